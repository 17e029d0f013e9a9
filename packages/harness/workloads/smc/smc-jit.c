/*
 * A tiny JIT: mmap an RWX page, write `mov $imm, %eax; add 4(%esp), %eax; ret` into it
 * with a new immediate each round, call it several times, print the sums. Every round
 * rewrites code that has already been translated and run at the same address.
 */
#include "../include/nolibc.h"

#define PROT_RWX 7
#define MAP_PRIVATE_ANON 0x22
#define ROUNDS 20
#define CALLS 10

typedef int (*jit_fn)(int);

int start_main(int argc, char **argv) {
  (void)argc, (void)argv;
  unsigned char *code = (unsigned char *)sys6(NR_mmap2, 0, 4096, PROT_RWX, MAP_PRIVATE_ANON, -1, 0);
  if ((unsigned)code > 0xfffff000u) return 1;
  for (unsigned round = 0; round < ROUNDS; round++) {
    unsigned imm = round * 1000 + 7;
    code[0] = 0xb8; /* mov $imm, %eax */
    for (int i = 0; i < 4; i++) code[1 + i] = (unsigned char)(imm >> (8 * i));
    code[5] = 0x03, code[6] = 0x44, code[7] = 0x24, code[8] = 0x04; /* add 4(%esp), %eax */
    code[9] = 0xc3;                                                 /* ret */
    unsigned sum = 0;
    for (int c = 0; c < CALLS; c++) sum += (unsigned)((jit_fn)code)(c);
    put_str("round ");
    put_dec(round);
    put_str(" sum ");
    put_dec(sum);
    put_str("\n");
  }
  return 0;
}
