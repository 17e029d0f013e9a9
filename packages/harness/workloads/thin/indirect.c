/*
 * Indirect control flow: calls through a table of function pointers and a dense switch
 * (a jump table: jmp *table(,%reg,4)), 50000 times; prints the accumulated state. The
 * targets vary each iteration, which is what indirect-jump lookups (QEMU's
 * lookup_and_goto_ptr) are for.
 */
#include "../include/nolibc.h"

static unsigned op_add(unsigned a, unsigned b) { return a + b; }
static unsigned op_xor(unsigned a, unsigned b) { return a ^ (b << 3); }
static unsigned op_sub(unsigned a, unsigned b) { return a - b * 5; }
static unsigned op_rot(unsigned a, unsigned b) { return (a << (b & 7)) | (a >> (32 - (b & 7)) >> 1); }

static unsigned (*const volatile OPS[4])(unsigned, unsigned) = {op_add, op_xor, op_sub, op_rot};

static __attribute__((noinline)) unsigned dispatch(unsigned k, unsigned x) {
  switch (k) {
  case 0: return x + 11;
  case 1: return x * 3;
  case 2: return x ^ 0x5a5a5a5a;
  case 3: return x - 7;
  case 4: return x >> 1;
  case 5: return x << 2;
  case 6: return ~x;
  case 7: return x + (x >> 5);
  default: return x;
  }
}

int start_main(int argc, char **argv) {
  (void)argc, (void)argv;
  unsigned state = 1, seed = 99;
  for (unsigned i = 0; i < 50000; i++) {
    seed = seed * 1103515245u + 12345u;
    state = OPS[seed >> 30](state, i);
    state = dispatch((seed >> 12) & 7, state);
  }
  put_str("indirect state ");
  put_hex(state);
  put_str("\n");
  return 0;
}
