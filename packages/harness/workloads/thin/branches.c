/*
 * Every Jcc kind (the 16 condition codes) after cmp, add and test on pseudo-random operand
 * pairs, plus jecxz and loop; prints how often each branch was taken.
 */
#include "../include/nolibc.h"

static const char *const CC_NAMES[16] = {"o", "no", "b", "ae", "e", "ne", "be", "a",
                                         "s", "ns", "p", "np", "l", "ge", "le", "g"};

/*
 * Sets the flags with OP (on a scratch copy %0 of a, against b), then branches on one
 * condition code over an increment of not_taken[idx]; OP is repeated per code because the
 * increment clobbers the flags.
 */
#define JCC(op, cc, idx) "mov %1, %0\n\t" op " %2, %0\n\tj" cc " 1f\n\tincl " #idx "*4(%3)\n1:\n\t"
#define ALL_JCC(op)                                                                  \
  JCC(op, "o", 0) JCC(op, "no", 1) JCC(op, "b", 2) JCC(op, "ae", 3) JCC(op, "e", 4)   \
  JCC(op, "ne", 5) JCC(op, "be", 6) JCC(op, "a", 7) JCC(op, "s", 8) JCC(op, "ns", 9)  \
  JCC(op, "p", 10) JCC(op, "np", 11) JCC(op, "l", 12) JCC(op, "ge", 13)               \
  JCC(op, "le", 14) JCC(op, "g", 15)

#define ROUNDS 3000
static unsigned not_taken[3][16];

static unsigned lcg(unsigned *s) { return *s = *s * 1103515245u + 12345u; }

int start_main(int argc, char **argv) {
  (void)argc, (void)argv;
  unsigned seed = 1, loops = 0, jecxz_taken = 0, tmp;
  for (int i = 0; i < ROUNDS; i++) {
    unsigned a = lcg(&seed), b = lcg(&seed);
    if (i % 4 == 0) b = a;                         /* equal operands */
    if (i % 8 == 1) a = 0x7fffffff;                /* signed overflow on add */
    if (i % 8 == 3) a = 0x80000000, b = 0x80000000; /* carry and overflow out of the sign */
    __asm__ volatile(ALL_JCC("cmp") : "=&r"(tmp) : "r"(a), "r"(b), "r"(not_taken[0]) : "cc", "memory");
    __asm__ volatile(ALL_JCC("add") : "=&r"(tmp) : "r"(a), "r"(b), "r"(not_taken[1]) : "cc", "memory");
    __asm__ volatile(ALL_JCC("test") : "=&r"(tmp) : "r"(a), "r"(b >> (i & 31)), "r"(not_taken[2]) : "cc", "memory");
    unsigned c = i & 7;
    __asm__ volatile("jecxz 1f\n\tjmp 2f\n1:\tincl %0\n2:\n\t" : "+m"(jecxz_taken) : "c"(c) : "cc");
    unsigned n = c + 1; /* loop with %ecx = 0 would run 2^32 times */
    __asm__ volatile("1:\tincl %0\n\tloop 1b" : "+r"(loops), "+c"(n) : : "cc");
  }
  for (int k = 0; k < 3; k++) {
    put_str(k == 0 ? "cmp " : k == 1 ? "add " : "test");
    for (int cc = 0; cc < 16; cc++) {
      put_str(" j");
      put_str(CC_NAMES[cc]);
      put_str("=");
      put_dec(ROUNDS - not_taken[k][cc]);
    }
    put_str("\n");
  }
  put_str("jecxz taken ");
  put_dec(jecxz_taken);
  put_str(", loop iterations ");
  put_dec(loops);
  put_str("\n");
  return 0;
}
