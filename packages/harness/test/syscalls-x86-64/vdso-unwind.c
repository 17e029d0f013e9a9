/* A signal delivered inside the vDSO's __vdso_clock_gettime (x86-64), unwound from the handler by
   libgcc's _Unwind_Backtrace: the vDSO's .eh_frame must carry the unwind through its function to the
   caller. The probe single-steps (TF) into clock_gettime; at the first SIGTRAP whose pc is inside the
   vDSO it stops stepping and backtraces, printing each frame as vdso, probe (the calling function),
   main, or libc (the rest), up to main. Build: gcc -m64 -static -O1. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <time.h>
#include <ucontext.h>
#include <unwind.h>

static unsigned long vdso;
static int done, frames;
static char trace[512];

int main(void);
static int read_clock(struct timespec *ts);
/* where read_clock returns to in main; read_clock is shorter than probe_size bytes */
static void *volatile in_main;
static const unsigned long probe_size = 0x40;

static _Unwind_Reason_Code frame(struct _Unwind_Context *c, void *arg) {
  (void)arg;
  unsigned long pc = _Unwind_GetIP(c);
  const char *what = pc - vdso < 0x2000                       ? "vdso"
                     : pc == (unsigned long)in_main                ? "main"
                     : pc - (unsigned long)read_clock < probe_size ? "probe"
                                                                   : "libc";
  if (frames++ < 24) {
    strcat(trace, " ");
    strcat(trace, what);
  }
  return strcmp(what, "main") == 0 ? _URC_END_OF_STACK : _URC_NO_REASON;
}

static void on_trap(int sig, siginfo_t *si, void *p) {
  (void)sig; (void)si;
  greg_t *g = ((ucontext_t *)p)->uc_mcontext.gregs;
  if (done || g[REG_RIP] - vdso >= 0x2000) return;
  done = 1;
  g[REG_EFL] &= ~0x100UL;
  _Unwind_Backtrace(frame, NULL);
}

__attribute__((noinline)) static int read_clock(struct timespec *ts) {
  in_main = __builtin_return_address(0);
  asm volatile("pushf\n\torq $0x100, (%%rsp)\n\tpopf" ::: "memory", "cc");
  int r = clock_gettime(CLOCK_MONOTONIC, ts);
  asm volatile("pushf\n\tandq $~0x100, (%%rsp)\n\tpopf" ::: "memory", "cc");
  return r;
}

int main(void) {
  vdso = getauxval(AT_SYSINFO_EHDR);
  struct sigaction sa = { .sa_sigaction = on_trap, .sa_flags = SA_SIGINFO };
  sigaction(SIGTRAP, &sa, NULL);
  struct timespec ts;
  int r = read_clock(&ts);
  printf("vdso %s, clock_gettime %d, stepped into the vDSO: %s\nbacktrace:%s\n", vdso ? "present" : "absent", r, done ? "yes" : "no", trace);
  return 0;
}
