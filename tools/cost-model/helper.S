# N iterations of a one-TB self loop; -DHELPER adds `lahf` after the sub, which QEMU
# translates as a call to helper_cc_compute_all (CC_OP_SUBL) plus an inline AH deposit.
.globl _start
_start:
	mov	$N, %ecx
1:	sub	$1, %ecx
#ifdef HELPER
	lahf
#endif
	jnz	1b
	mov	$1, %eax		# exit(0)
	xor	%ebx, %ebx
	int	$0x80
