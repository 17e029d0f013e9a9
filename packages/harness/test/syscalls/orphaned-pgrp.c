/* kill_orphaned_pgrp: C, in a group of its own in a new session, has a child D in its group that
 * stops itself; when C exits, D's group has no parent left in another group of the session.
 * With the nearest subreaper outside the session, that group is orphaned: D gets SIGHUP (from
 * the kernel) then SIGCONT. With the session leader as the subreaper, D's new parent is in
 * another group of the session: D stays stopped. */
#include "common.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <time.h>

static int out_pipe[2];

static void on_hup(int sig, siginfo_t *si, void *ctx) {
  (void)ctx;
  char line[80];
  int n = snprintf(line, sizeof line, "D: signal %d code %#x pid %d\n", sig, si->si_code, si->si_pid);
  write(out_pipe[1], line, n);
}
static void on_cont(int sig) {
  char line[40];
  int n = snprintf(line, sizeof line, "D: signal %d\n", sig);
  write(out_pipe[1], line, n);
}

static void scenario(int leader_reaps) {
  pipe(out_pipe);
  pid_t t = fork();
  if (t == 0) {
    setsid();
    if (leader_reaps) prctl(PR_SET_CHILD_SUBREAPER, 1);
    int ids[2];
    pipe(ids);
    pid_t c = fork();
    if (c == 0) {
      setpgid(0, 0);
      pid_t d = fork();
      if (d == 0) {
        struct sigaction sa = {.sa_sigaction = on_hup, .sa_flags = SA_SIGINFO};
        sigaction(SIGHUP, &sa, NULL);
        signal(SIGCONT, on_cont);
        raise(SIGSTOP);
        write(out_pipe[1], "D: running again\n", 17);
        exit(0);
      }
      /* C exits once D is stopped */
      while (state_of(d) != 'T') {
        struct timespec ts = {0, 2000000};
        nanosleep(&ts, NULL);
      }
      write(ids[1], &d, sizeof d);
      exit(0);
    }
    pid_t d;
    read(ids[0], &d, sizeof d);
    waitpid(c, NULL, 0);
    if (leader_reaps) {
      char line[40];
      int n = snprintf(line, sizeof line, "T: D is %c\n", state_of(d));
      write(out_pipe[1], line, n);
      kill(d, SIGKILL);
      waitpid(d, NULL, 0);
    }
    exit(0);
  }
  close(out_pipe[1]);
  waitpid(t, NULL, 0);
  char buf[512];
  int n, len = 0;
  /* until every writer (D included, wherever it went) has gone */
  while ((n = read(out_pipe[0], buf + len, sizeof buf - 1 - len)) > 0) len += n;
  buf[len] = 0;
  printf("%s reaps:\n%s", leader_reaps ? "the session leader" : "a subreaper outside the session", buf);
  fflush(stdout);
  close(out_pipe[0]);
}

int main(void) {
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  scenario(0);
  /* D, orphaned to this process, is reaped here */
  while (waitpid(-1, NULL, 0) > 0) {
  }
  scenario(1);
  return 0;
}
