/* The SIGSEGV handler of the crossing-store probes (split-store.c, stack-multi-store.c): it records
   si_code and si_addr and longjmps back to the case's sigsetjmp(back, 1). */
#include <setjmp.h>
#include <signal.h>

static sigjmp_buf back;
static volatile long code;
static volatile unsigned long addr;
static void onsegv(int s, siginfo_t *si, void *u) {
  (void)s; (void)u;
  code = si->si_code;
  addr = (unsigned long)si->si_addr;
  siglongjmp(back, 1);
}
