/*
 * SMC by a store: a movb rewrites the immediate of the very next instruction of its own
 * block (in a writable "awx" section). x86 sees the new byte; a DBT must detect the write
 * to a translated page and restart precisely after the store.
 */
#include "../include/nolibc.h"

int store_into_own_block(int value);

__asm__(".section .smc_text, \"awx\", @progbits\n"
        ".globl store_into_own_block\n"
        "store_into_own_block:\n"
        "  mov 4(%esp), %ecx\n"
        "  movb %cl, 1f - 4\n" /* the low byte of the next instruction's immediate */
        "  mov $0, %eax\n"     /* b8 00 00 00 00 */
        "1:\n"                 /* a local label: no symbol splits the instruction for objdump */
        "  ret\n"
        ".previous\n");

int start_main(int argc, char **argv) {
  (void)argc, (void)argv;
  unsigned sum = 0;
  for (int v = 1; v <= 5; v++) {
    int got = store_into_own_block(v * 11);
    sum += (unsigned)got;
    put_str("stored ");
    put_dec((unsigned)v * 11);
    put_str(", ran ");
    put_dec((unsigned)got);
    put_str("\n");
  }
  put_str("sum ");
  put_dec(sum);
  put_str("\n");
  return 0;
}
