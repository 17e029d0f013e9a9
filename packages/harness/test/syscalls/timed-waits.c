/* A process blocked until a time while another runs without blocking: timeout(1)'s shape. The
 * parent waits in sigsuspend for its timer, in nanosleep, in poll with a timeout; the child
 * loops over system calls (or its own code) until the parent kills it. Natively the parent's
 * time comes whatever the child does. */
#include "common.h"
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

static void on_alarm(int sig) { (void)sig; }

/* child: spin (calls = 1: a loop of getppid) until killed; the parent waits for its time, by `how` */
static void round_(const char *how, int calls) {
  pid_t kid = fork();
  if (kid == 0) {
    for (;;)
      if (calls) getppid();
  }
  if (how[0] == 's') {
    sigset_t block, none;
    sigemptyset(&block);
    sigaddset(&block, SIGALRM);
    sigprocmask(SIG_BLOCK, &block, 0);
    timer_t t;
    struct sigevent ev = {0};
    ev.sigev_notify = SIGEV_SIGNAL;
    ev.sigev_signo = SIGALRM;
    timer_create(CLOCK_REALTIME, &ev, &t);
    struct itimerspec its = {{0, 0}, {0, 20000000}};
    timer_settime(t, 0, &its, 0);
    sigemptyset(&none);
    SYS(rt_sigsuspend, &none, 8);
    timer_delete(t);
    sigprocmask(SIG_UNBLOCK, &block, 0);
  } else if (how[0] == 'n') {
    struct timespec ts = {0, 20000000};
    SYS(nanosleep, &ts, 0);
  } else {
    struct pollfd none[1];
    SYS(poll, none, 0, 20);
  }
  kill(kid, SIGKILL);
  int st;
  waitpid(kid, &st, 0);
  printf("  %s, child %s: killed by %d\n", how, calls ? "calling getppid" : "in its own loop", WTERMSIG(st));
}

int main(void) {
  signal(SIGALRM, on_alarm);
  const char *hows[] = {"sigsuspend for a timer", "nanosleep", "poll with a timeout"};
  for (int h = 0; h < 3; h++)
    for (int c = 0; c < 2; c++) round_(hows[h], c);
  return 0;
}
