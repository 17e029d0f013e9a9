/* The EFLAGS bits user code may change besides the arithmetic ones: NT, AC and ID (and what popfw
   leaves of them), through popf/popfw, across a system call, into a signal handler's context and
   back out through sigreturn, and iret with NT set (a task return: #GP in IA-32e mode). Built -m32
   and -m64; natively and under dbtlab the output must be identical. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>
#include <sys/syscall.h>
#include "catch-signals.h"
#ifdef __x86_64__
#define REG_PC REG_RIP
#define REG_FL REG_EFL
#define SYSCALL "syscall"
#else
#define REG_PC REG_EIP
#define REG_FL REG_EFL
#define SYSCALL "int $0x80"
#endif
#define NT 0x4000UL
#define AC 0x40000UL
#define ID 0x200000UL
#define SHOWN (NT | AC | ID | 0xcd5UL)

static volatile unsigned long seen, inside;
static volatile int set_in_handler;
static sigjmp_buf env;

static void handler(int sig, siginfo_t *si, void *u) {
  ucontext_t *uc = u;
  unsigned long f;
  __asm__ volatile("pushf; pop %0" : "=r"(f));
  seen = uc->uc_mcontext.gregs[REG_FL];
  inside = f;
  if (sig == SIGSEGV) {
    printf("  SIGSEGV code %d addr %#lx\n", si->si_code, (unsigned long)si->si_addr);
    siglongjmp(env, 1);
  }
  uc->uc_mcontext.gregs[REG_PC] += 2; /* ud2 */
  uc->uc_mcontext.gregs[REG_FL] |= set_in_handler;
}

static unsigned long popf_then(unsigned long in) {
  unsigned long out;
  __asm__ volatile("push %1; popf; pushf; pop %0; push %2; popf" : "=r"(out) : "r"(in), "r"(0x202UL) : "cc", "memory");
  return out;
}

/* popf of `before`, then popfw of `w`: what the 16-bit form leaves of the upper half */
static unsigned long popfw_after(unsigned long before, unsigned short w) {
  unsigned long out;
  __asm__ volatile("push %1; popf; pushw %2; popfw; pushf; pop %0; push %3; popf" : "=r"(out) : "r"(before), "r"(w), "r"(0x202UL) : "cc", "memory");
  return out;
}

static unsigned long across_syscall(unsigned long in) {
  unsigned long out;
  long nr = SYS_getpid;
  __asm__ volatile("push %2; popf; " SYSCALL "; pushf; pop %0; push %3; popf"
                   : "=r"(out), "+a"(nr)
                   : "r"(in), "r"(0x202UL)
#ifdef __x86_64__
                   : "rcx", "r11", "cc", "memory");
#else
                   : "cc", "memory");
#endif
  return out;
}

static unsigned long across_signal(unsigned long in, int add) {
  unsigned long out;
  set_in_handler = add;
  __asm__ volatile("push %1; popf; ud2; pushf; pop %0; push %2; popf" : "=r"(out) : "r"(in), "r"(0x202UL) : "cc", "memory");
  return out;
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  catch_signals(handler, SIGILL, SIGSEGV, 0);
  const unsigned long ins[] = { 0, NT, AC, ID, NT | AC | ID, NT | 0x8d5, AC | ID | 0x400 };
  for (unsigned i = 0; i < sizeof ins / sizeof ins[0]; i++) {
    unsigned long in = ins[i];
    printf("in %06lx: popf %06lx", in, popf_then(in) & SHOWN);
    printf(" syscall %06lx", across_syscall(in) & SHOWN);
    unsigned long out = across_signal(in, 0);
    printf(" signal: saved %06lx handler %06lx after %06lx", seen & SHOWN, inside & (NT | AC | ID), out & SHOWN);
    out = across_signal(in, NT | AC | ID);
    printf(" handler sets NT|AC|ID: after %06lx\n", out & SHOWN);
    printf("  popfw 0000 after %06lx: %06lx; popfw feff: %06lx\n", in, popfw_after(in, 0) & SHOWN, popfw_after(in, 0xfeff) & SHOWN);
  }
#ifndef __x86_64__
  /* iret to the next instruction: NT clear pops NT from the frame; NT set is a task return (#GP) */
  for (int nt = 0; nt < 2; nt++) {
    unsigned long out = 0;
    if (sigsetjmp(env, 1) == 0) {
      __asm__ volatile("push %1; popf; pushl %2; pushl %%cs; pushl $1f; iret; 1: pushf; pop %0; push %3; popf"
                       : "=r"(out)
                       : "r"(nt ? NT : 0), "r"(0x202UL | NT | AC), "r"(0x202UL)
                       : "cc", "memory");
      printf("iret with NT %d: %06lx\n", nt, out & SHOWN);
    } else
      printf("iret with NT %d: faulted, flags at the fault %06lx\n", nt, seen & SHOWN);
  }
#endif
  return 0;
}
