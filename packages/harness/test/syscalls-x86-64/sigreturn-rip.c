/* rt_sigreturn to a rip outside the user address space (x86-64): a non-canonical one makes the
 * iret back to user mode fault (#GP: SIGSEGV SI_KERNEL, no address), a canonical one of the
 * kernel's half faults when it is fetched (SIGSEGV SEGV_MAPERR at it). Either way the fault's
 * frame holds that rip. Printed: the signal, si_code, si_addr, trapno and whether rip is the one
 * requested. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

static sigjmp_buf back;
static volatile unsigned long target;

static void redirect(int sig, siginfo_t *si, void *uc) {
  (void)sig; (void)si;
  ((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP] = target;
}

static void on_segv(int sig, siginfo_t *si, void *uc) {
  greg_t *g = ((ucontext_t *)uc)->uc_mcontext.gregs;
  printf("%#18lx: signal %d code %3d addr %#lx trapno %2d rip %s\n", target, sig, si->si_code, (unsigned long)si->si_addr,
         (int)g[REG_TRAPNO], (unsigned long)g[REG_RIP] == target ? "as requested" : "elsewhere");
  siglongjmp(back, 1);
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_flags = SA_SIGINFO;
  sa.sa_sigaction = redirect;
  sigaction(SIGUSR1, &sa, 0);
  sa.sa_sigaction = on_segv;
  sigaction(SIGSEGV, &sa, 0);
  static const unsigned long TARGETS[] = { 1UL << 47, 1UL << 52, 1UL << 62, 1UL << 63, 0xffff7fffffffffffUL, 0xffff800000000000UL, 0xffffffffff601000UL };
  for (unsigned i = 0; i < sizeof TARGETS / sizeof TARGETS[0]; i++) {
    target = TARGETS[i];
    if (!sigsetjmp(back, 1)) raise(SIGUSR1);
    fflush(stdout);
  }
  return 0;
}
