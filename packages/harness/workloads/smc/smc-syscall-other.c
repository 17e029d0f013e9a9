/*
 * The control case for smc-syscall-read: read() from a pipe rewrites a function that was
 * translated and run BEFORE the system call, but is not the running block. Every correct
 * DBT prints what native does (the system call's write must invalidate that translation),
 * whichever runtime scheme it uses; only the running block is the talk's hard case.
 */
#include "../include/nolibc.h"

int pipe_fds[2];
int patched_function(void);

/* patched_function: mov $0, %eax; ret — its 5-byte mov is the read() target. */
__asm__(".section .smc_text, \"awx\", @progbits\n"
        ".globl patched_function\n"
        "patched_function:\n"
        "  mov $0, %eax\n"
        "  ret\n"
        ".previous\n");

int start_main(int argc, char **argv) {
  (void)argc, (void)argv;
  if (sys1(NR_pipe, (int)pipe_fds) != 0) return 1;
  put_str("before any read, ran version ");
  put_dec((unsigned)patched_function());
  put_str("\n");
  for (unsigned char n = 1; n <= 3; n++) {
    const unsigned char mov_eax[5] = {0xb8, n, 0, 0, 0}; /* mov $n, %eax */
    if (sys3(NR_write, pipe_fds[1], (int)mov_eax, 5) != 5) return 2;
    if (sys3(NR_read, pipe_fds[0], (int)patched_function, 5) != 5) return 3;
    put_str("read wrote version ");
    put_dec(n);
    put_str(", ran version ");
    put_dec((unsigned)patched_function());
    put_str("\n");
  }
  return 0;
}
