/*
 * The CPU's x87 transcendental results for transcendental-sweep: each input line is
 * "op cw st0 st1" (op 0-7: fsin fcos fsincos fptan f2xm1 fyl2x fyl2xp1 fpatan; cw the control
 * word; st0/st1 the 80-bit operands as 20 hex digits, sign|exponent first). Each output line
 * holds st(0) and st(1) after the instruction (a binary one pops onto a 1.0 below its
 * operands) and the status word.
 */
#include <stdio.h>
#include <string.h>

static void bytesOf(const char *hex, unsigned char *b) {
  for (int i = 0; i < 10; i++) {
    unsigned v;
    sscanf(hex + 2 * i, "%2x", &v);
    b[9 - i] = (unsigned char)v;
  }
}

static void print(const unsigned char *b) {
  for (int i = 9; i >= 0; i--) printf("%02x", b[i]);
}

#define UNARY(INS) \
  __asm__ volatile("fninit; fldcw %3; fldt %4; fldt %5; " INS "; fnstsw %2; fstpt %0; fstpt %1; fninit" \
                   : "=m"(r0), "=m"(r1), "=m"(sw) : "m"(cw), "m"(b), "m"(a))
#define BINARY(INS) \
  __asm__ volatile("fninit; fldcw %3; fld1; fldt %4; fldt %5; " INS "; fnstsw %2; fstpt %0; fstpt %1; fninit" \
                   : "=m"(r0), "=m"(r1), "=m"(sw) : "m"(cw), "m"(b), "m"(a))

int main(void) {
  int op;
  unsigned control;
  char h0[32], h1[32];
  unsigned char a[10], b[10], r0[10], r1[10];
  unsigned short sw, cw;
  while (scanf("%d %x %31s %31s", &op, &control, h0, h1) == 4) {
    bytesOf(h0, a);
    bytesOf(h1, b);
    cw = (unsigned short)control;
    switch (op) {
      case 0: UNARY("fsin"); break;
      case 1: UNARY("fcos"); break;
      case 2: UNARY("fsincos"); break;
      case 3: UNARY("fptan"); break;
      case 4: UNARY("f2xm1"); break;
      case 5: BINARY("fyl2x"); break;
      case 6: BINARY("fyl2xp1"); break;
      default: BINARY("fpatan"); break;
    }
    print(r0);
    printf(" ");
    print(r1);
    printf(" %04x\n", sw);
  }
  return 0;
}
