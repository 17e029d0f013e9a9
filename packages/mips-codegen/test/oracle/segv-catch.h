/* The SIGSEGV handler of the crossing-store probes (split-store.c, stack-multi-store.c): it records
   si_code and si_addr and longjmps back to the case's sigsetjmp(back, 1). It runs on an alternate
   stack (the stores under test may be pushes) and may fault again while a case runs (SA_NODEFER). */
#include <setjmp.h>
#include <signal.h>
#include <string.h>

static sigjmp_buf back;
static volatile long code;
static volatile unsigned long addr;
static void onsegv(int s, siginfo_t *si, void *u) {
  (void)s; (void)u;
  code = si->si_code;
  addr = (unsigned long)si->si_addr;
  siglongjmp(back, 1);
}

static void catch_segv(void) {
  static char altstack[65536];
  stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack };
  sigaltstack(&ss, 0);
  struct sigaction sa; memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = onsegv; sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER;
  sigaction(SIGSEGV, &sa, 0);
}
