/* Timers and waiting: alarm, setitimer/getitimer, POSIX timers, pause, sigsuspend,
 * sigtimedwait, nanosleep interrupted; a busy loop interrupted by SIGALRM; the old-ABI signal calls. */
#include "common.h"
#include <signal.h>
#include <sys/time.h>
#include <time.h>

static volatile int hits;
static volatile int last_code, last_value;
static void on_alarm(int sig) { hits++; (void)sig; }
static void on_info(int sig, siginfo_t *si, void *uc) { hits++; last_code = si->si_code; last_value = si->si_value.sival_int; (void)sig; (void)uc; }

int main(void) {
  signal(SIGALRM, on_alarm);
  SYS(alarm, 0);
  SYS(alarm, 5);
  long left = SYS(alarm, 0);
  printf("  left %ld\n", left);
  /* busy loop ended by the alarm */
  struct itimerval it = {{0, 0}, {0, 20000}};
  SYS(setitimer, ITIMER_REAL, &it, 0);
  while (!hits) {}
  printf("  busy loop interrupted, hits %d\n", hits);
  /* a loop of system calls ended by the alarm (each call re-arms the emulator's look at the clock) */
  hits = 0;
  SYS(setitimer, ITIMER_REAL, &it, 0);
  while (!hits) getppid();
  printf("  system-call loop interrupted, hits %d\n", hits);
  /* pause returns after the handler */
  SYS(setitimer, ITIMER_REAL, &it, 0);
  SYS(pause);
  printf("  hits %d\n", hits);
  struct itimerval cur;
  SYS(getitimer, ITIMER_REAL, &cur);
  printf("  disarmed %ld %ld\n", (long)cur.it_value.tv_sec, (long)cur.it_value.tv_usec);
  SYS(getitimer, 7, &cur);
  SYS(setitimer, 7, &it, 0);
  struct itimerval badit = {{0, 0}, {0, 1000000}};
  SYS(setitimer, ITIMER_REAL, &badit, 0);
  SYS(getitimer, ITIMER_REAL, BAD);
  /* periodic timer, three ticks through sigsuspend */
  struct itimerval per = {{0, 10000}, {0, 10000}};
  SYS(setitimer, ITIMER_REAL, &per, 0);
  sigset_t none;
  sigemptyset(&none);
  hits = 0;
  while (hits < 3) sigsuspend(&none);
  printf("  periodic hits %d\n", hits);
  struct itimerval off = {{0, 0}, {0, 0}};
  SYS(setitimer, ITIMER_REAL, &off, &cur);
  printf("  interval %ld\n", (long)cur.it_interval.tv_usec);
  /* nanosleep interrupted by a signal: EINTR and a remainder */
  SYS(setitimer, ITIMER_REAL, &it, 0);
  struct timespec req = {5, 0}, rem = {0, 0};
  SYS(nanosleep, &req, &rem);
  printf("  remainder under 5 s: %d\n", rem.tv_sec < 5 && (rem.tv_sec > 0 || rem.tv_nsec > 0));
  /* ITIMER_VIRTUAL: CPU time */
  signal(SIGVTALRM, on_alarm);
  hits = 0;
  struct itimerval virt = {{0, 0}, {0, 10000}};
  SYS(setitimer, ITIMER_VIRTUAL, &virt, 0);
  while (!hits) {}
  printf("  SIGVTALRM hits %d\n", hits);
  /* POSIX timer with SIGEV_SIGNAL and a value */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_info;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR1, &sa, 0);
  struct sigevent ev;
  memset(&ev, 0, sizeof ev);
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = SIGUSR1;
  ev.sigev_value.sival_int = 42;
  int tid = -1;
  SYS(timer_create, CLOCK_MONOTONIC, &ev, &tid);
  printf("  timer id valid: %d\n", tid != -1);
  struct itimerspec its = {{0, 0}, {0, 5000000}};
  hits = 0;
  SYS(timer_settime, tid, 0, &its, 0);
  while (!hits) pause();
  printf("  code %d value %d\n", last_code, last_value);
  struct itimerspec cur2;
  SYS(timer_gettime, tid, &cur2);
  printf("  disarmed %ld\n", cur2.it_value.tv_nsec);
  SYS(timer_getoverrun, tid);
  SYS(timer_settime, 99, 0, &its, 0);
  struct itimerspec badits = {{0, 0}, {0, 1000000000}};
  SYS(timer_settime, tid, 0, &badits, 0);
  SYS(timer_settime, tid, 8, &its, 0);
  SYS(timer_delete, tid);
  SYS(timer_delete, tid);
  ev.sigev_signo = 99;
  SYS(timer_create, CLOCK_MONOTONIC, &ev, &tid);
  SYS(timer_create, 99, 0, &tid);
  SYS(timer_create, CLOCK_MONOTONIC, 0, BAD);
  /* sigtimedwait: a blocked SIGALRM taken synchronously; a timeout */
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGALRM);
  sigprocmask(SIG_BLOCK, &set, 0);
  SYS(setitimer, ITIMER_REAL, &it, 0);
  siginfo_t si;
  int got = sigwaitinfo(&set, &si);
  printf("  sigwaitinfo %d code %d\n", got, si.si_code);
  struct timespec shortwait = {0, 1000000};
  SYS(rt_sigtimedwait, &set, &si, &shortwait, 8);
  SYS(rt_sigtimedwait, &set, &si, &shortwait, 3);
  /* sigqueue to itself */
  union sigval v = {.sival_int = 7};
  sigqueue(getpid(), SIGUSR1, v);
  printf("  queued: code %d value %d\n", last_code, last_value);
  /* the old ABI: sigprocmask, sigaction, sigpending, sgetmask */
  unsigned long oldmask = 0, newmask = 1UL << (SIGUSR2 - 1);
  SYS(sigprocmask, SIG_BLOCK, &newmask, &oldmask);
  printf("  old mask %lx\n", oldmask);
  SYS(sigprocmask, 9, &newmask, 0);
  SYS(sigprocmask, SIG_BLOCK, BAD, 0);
  kill(getpid(), SIGUSR2);
  unsigned long pend = 0;
  SYS(sigpending, &pend);
  printf("  pending %lx\n", pend);
  SYS(sgetmask);
  struct { unsigned long handler, mask, flags, restorer; } oact;
  SYS(sigaction, SIGUSR2, 0, &oact);
  printf("  handler %lx\n", oact.handler);
  SYS(sigaction, 99, 0, &oact);
  SYS(sigaction, SIGKILL, &oact, 0);
  signal(SIGUSR2, SIG_IGN);
  SYS(sigprocmask, SIG_UNBLOCK, &newmask, 0);
  printf("  still here\n");
  /* clock_nanosleep absolute, in the past */
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  SYS(clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &now, 0);
  SYS(clock_nanosleep, CLOCK_THREAD_CPUTIME_ID, 0, &now, 0);
  /* the alarm that kills: default action */
  signal(SIGALRM, SIG_DFL);
  sigprocmask(SIG_UNBLOCK, &set, 0);
  alarm(1);
  for (;;) {}
}
