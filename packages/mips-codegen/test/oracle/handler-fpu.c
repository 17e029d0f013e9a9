/* The FPU state a signal handler starts with: Linux gives it the initial state (x87 as after fninit,
   MXCSR 0x1f80, XMM registers zero) once the frame holds the interrupted one, which sigreturn restores;
   a handler that longjmps out keeps the initial state. Built -m32 -msse2 and -m64 by handler-fpu.test.ts. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
static sigjmp_buf back;
static volatile unsigned short cw, sw, tag;
static volatile unsigned mxcsr, xmm0;
static volatile int jump;
static void report(const char *when) {
  unsigned char env[28];
  unsigned m, x;
  __asm__ volatile("fnstenv %0\n\tfldcw %0" : "=m"(env));
  __asm__ volatile("stmxcsr %0\n\tmovd %%xmm0, %1" : "=m"(m), "=r"(x));
  /* after a longjmp glibc's own code (its string functions, chosen by cpuid) may have used xmm0 */
  if (strcmp(when, "after longjmp") == 0) x = 0;
  printf("%s: fcw %04x fsw %04x ftw %04x mxcsr %08x xmm0 %08x\n", when, env[0] | env[1] << 8, (env[4] | env[5] << 8) & 0xb8ff, env[8] | env[9] << 8, m, x);
}
static void handler(int s) {
  (void)s;
  report("handler");
  if (jump) siglongjmp(back, 1);
}
static void dirty(void) {
  static const double one = 1.0;
  unsigned m = 0x9fc0, x = 0x12345678;
  unsigned short c = 0x0c7a;
  __asm__ volatile("fldcw %0\n\tfldl %1\n\tfldl %1\n\tldmxcsr %2\n\tmovd %3, %%xmm0" : : "m"(c), "m"(one), "m"(m), "r"(x) : "xmm0");
}
int main(void) {
  signal(SIGUSR1, handler);
  for (jump = 0; jump < 2; jump++) {
    dirty();
    if (!sigsetjmp(back, 1)) raise(SIGUSR1);
    report(jump ? "after longjmp" : "after sigreturn");
    __asm__ volatile("fninit");
  }
  return 0;
}
