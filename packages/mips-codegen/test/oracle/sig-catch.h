/* The SA_SIGINFO handler of the i386 signal probes (signal-probe.c, segment-probe.c): it records the
   signal, si_code, si_addr and the context's eip, and longjmps back to the case's sigsetjmp(env, 1).
   Include it after defining _GNU_SOURCE (REG_EIP). */
#include <setjmp.h>
#include <signal.h>
#include <ucontext.h>

static sigjmp_buf env;
static volatile int got_sig, got_code;
static volatile unsigned long got_addr, got_eip;

static void handler(int sig, siginfo_t *si, void *uc) {
  got_sig = sig; got_code = si->si_code; got_addr = (unsigned long)si->si_addr;
  got_eip = ((ucontext_t *)uc)->uc_mcontext.gregs[REG_EIP];
  siglongjmp(env, 1);
}
