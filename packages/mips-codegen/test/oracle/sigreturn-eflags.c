/* EFLAGS through a signal: every combination of CF PF AF ZF SF OF DF set by popf before an int3 (a trap) and a ud2 (a fault, the handler skips it); the handler reports the saved EFLAGS and, in the second pass, flips the arithmetic flags in uc_mcontext, which sigreturn must restore. Built -m32 and -m64 by sigreturn-eflags.test.ts; the x86-64 build run natively is the oracle for both (the rule is the same in both ABIs). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#ifdef __x86_64__
#define REG_PC REG_RIP
#define REG_FL REG_EFL
#else
#define REG_PC REG_EIP
#define REG_FL REG_EFL
#endif
static volatile unsigned long seen;
static volatile int mode;
static void h(int s, siginfo_t *si, void *u) {
  ucontext_t *uc = u;
  seen = uc->uc_mcontext.gregs[REG_FL];
  if (s == SIGILL) uc->uc_mcontext.gregs[REG_PC] += 2;
  if (mode == 1) uc->uc_mcontext.gregs[REG_FL] ^= 0x8d5;
}
int main(void) {
  struct sigaction sa; memset(&sa, 0, sizeof sa); sa.sa_sigaction = h; sa.sa_flags = SA_SIGINFO;
  sigaction(SIGTRAP, &sa, 0); sigaction(SIGILL, &sa, 0);
  for (mode = 0; mode < 2; mode++)
    for (unsigned long f = 0; f < 0x100; f++) {
      unsigned long in = (f & 1 ? 0x1 : 0) | (f & 2 ? 0x4 : 0) | (f & 4 ? 0x10 : 0) | (f & 8 ? 0x40 : 0) | (f & 16 ? 0x80 : 0) | (f & 32 ? 0x800 : 0) | (f & 64 ? 0x400 : 0), out1, out2;
      __asm__ volatile("push %2; popf; int3; pushf; pop %0; push %2; popf; ud2; pushf; pop %1; cld" : "=r"(out1), "=r"(out2) : "r"(in) : "cc", "memory");
      printf("%d %03lx: int3 %03lx seen %03lx ud2 %03lx\n", mode, in, out1 & 0xcd5, seen & 0xcd5, out2 & 0xcd5);
    }
  return 0;
}
