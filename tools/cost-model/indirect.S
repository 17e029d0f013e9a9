# N iterations of a two-TB loop whose back edge is `jmp *%edx` (-DINDIRECT: helper_lookup_tb_ptr,
# a tb_jmp_cache hit, stays in the code cache) or `jmp 1b` (goto_tb, chained).
.globl _start
_start:
	mov	$N, %ecx
	mov	$1f, %edx
1:	sub	$1, %ecx
	jz	2f
#ifdef INDIRECT
	jmp	*%edx
#else
	jmp	1b
#endif
2:	mov	$1, %eax		# exit(0)
	xor	%ebx, %ebx
	int	$0x80
