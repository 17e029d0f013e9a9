# N iterations of a one-TB self loop (sub/jnz: flags inline, no helper). Chained, the TB
# jumps to itself through goto_tb; under -d nochain every iteration returns to cpu_exec.
.globl _start
_start:
	mov	$N, %ecx
1:	sub	$1, %ecx
	jnz	1b
	mov	$1, %eax		# exit(0)
	xor	%ebx, %ebx
	int	$0x80
