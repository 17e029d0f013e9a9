/* Prints a line, then stores to address 0: killed by SIGSEGV, status 139 (128 + 11). A
 * guest fault must reach the guest as its signal, after the output written before it. */
#include "../include/nolibc.h"

int start_main(int argc, char **argv) {
  (void)argc, (void)argv;
  put_str("about to store to address 0\n");
  *(volatile int *)0 = 1;
  put_str("not reached\n");
  return 0;
}
