# K distinct straight-line blocks, each executed once: R units of 4 instructions (two ALU, a
# store, a load+compare) then `jmp` to the next block, so every block is one TB of 4R+1
# guest instructions that QEMU translates exactly once.
.globl _start
_start:
	.rept	K
	.rept	R
	mov	%eax, %ebx
	add	$7, %ebx
	mov	%ebx, buf
	cmp	buf, %eax
	.endr
	jmp	1f
1:
	.endr
	mov	$1, %eax		# exit(0)
	xor	%ebx, %ebx
	int	$0x80
	.bss
buf:	.long	0
