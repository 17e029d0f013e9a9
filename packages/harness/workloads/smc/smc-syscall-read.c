/*
 * SMC by a system call: read() from a pipe writes a new `mov $N, %esi` over the instruction
 * right after its own `int $0x80`, in the same straight-line block (in a writable "awx"
 * section). Done twice (N = 1, then 2), so the second time the block has been translated
 * before. Native, and a DBT that runs the system call outside the TB, print versions 1 and
 * 2; one that runs it inline keeps executing the stale translation (version 0 at first).
 */
#include "../include/nolibc.h"

int pipe_fds[2];
int read_into_own_block(void);

__asm__(".section .smc_text, \"awx\", @progbits\n"
        ".globl read_into_own_block\n"
        "read_into_own_block:\n"
        "  push %ebx\n"
        "  push %esi\n"
        "  mov $3, %eax\n" /* NR_read */
        "  mov pipe_fds, %ebx\n"
        "  mov $patched_insn, %ecx\n"
        "  mov $5, %edx\n"
        "  int $0x80\n"
        "patched_insn:\n"
        "  mov $0, %esi\n" /* be 00 00 00 00: overwritten by the read */
        "  mov %esi, %eax\n"
        "  pop %esi\n"
        "  pop %ebx\n"
        "  ret\n"
        ".previous\n");

int start_main(int argc, char **argv) {
  (void)argc, (void)argv;
  if (sys1(NR_pipe, (int)pipe_fds) != 0) return 1;
  for (unsigned char n = 1; n <= 2; n++) {
    const unsigned char mov_esi[5] = {0xbe, n, 0, 0, 0}; /* mov $n, %esi */
    if (sys3(NR_write, pipe_fds[1], (int)mov_esi, 5) != 5) return 2;
    put_str("read wrote version ");
    put_dec(n);
    put_str(", ran version ");
    put_dec((unsigned)read_into_own_block());
    put_str("\n");
  }
  return 0;
}
