/* The forms of waiting for a child: waitpid(-1) and a given pid while others exit, WNOHANG
 * with a live child, the order zombies are reported in, a process group (waitpid(0), -pgid,
 * waitid P_PGID), option and idtype checks, a bad status or siginfo pointer (EFAULT, the child
 * reaped all the same), SIGCHLD ignored or SA_NOCLDWAIT (reaped at exit: ECHILD), a
 * grandchild re-parented to init or to a subreaper, a zombie re-parented to a subreaper (its SIGCHLD), a signal handler interrupting a wait (EINTR,
 * or restarted with SA_RESTART), clone children with another exit signal (__WCLONE, __WALL),
 * a child forked by another thread (__WNOTHREAD), the status of a process whose leader
 * thread exited first, and PR_SET_PDEATHSIG. Output comes from the parent only. */
#include "common.h"
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/time.h>

#ifndef P_PIDFD
#define P_PIDFD 3
#endif

static char stack[64 * 1024] __attribute__((aligned(16)));

/* A child that exits with `code` once pipe `gate` reads EOF (every write end closed); NULL: at once. */
static pid_t child(const int *gate, int code) {
  pid_t pid = fork();
  if (pid == 0) {
    char c;
    if (gate) {
      close(gate[1]);
      while (read(gate[0], &c, 1) > 0) {}
    }
    _exit(code);
  }
  return pid;
}

static void show(const char *what, pid_t r, int st) {
  if (r < 0) printf("%s = -1 %s\n", what, strerrorname_np(errno));
  else if (r == 0) printf("%s = 0\n", what);
  else if (WIFEXITED(st)) printf("%s = child, exit %d\n", what, WEXITSTATUS(st));
  else if (WIFSIGNALED(st)) printf("%s = child, signal %d\n", what, WTERMSIG(st));
  else printf("%s = child, status %#x\n", what, st);
  fflush(stdout);
}

static void wait_show(const char *what, pid_t pid, int options) {
  int st = 0;
  pid_t r = waitpid(pid, &st, options);
  show(what, r, st);
}

/* A call's result and errno, printed after the call. */
#define RESULT(what, call)                                       \
  do {                                                           \
    long r_ = (call);                                            \
    if (r_ < 0) printf("%s = -1 %s\n", what, strerrorname_np(errno)); \
    else printf("%s = %ld\n", what, r_);                          \
  } while (0)

static void waitid_show(const char *what, idtype_t type, id_t id, int options) {
  siginfo_t si;
  memset(&si, 0x55, sizeof si);
  int r = waitid(type, id, &si, options);
  if (r < 0) printf("%s = -1 %s\n", what, strerrorname_np(errno));
  else printf("%s = 0, signo %d code %d status %d pid %s\n", what, si.si_signo, si.si_code, si.si_status, si.si_pid ? "set" : "0");
  fflush(stdout);
}

/* Waits (without reaping) until `pid` has exited. */
static void until_zombie(pid_t pid) {
  siginfo_t si;
  waitid(P_PID, pid, &si, WEXITED | WNOWAIT | __WALL);
}


static void nohang_and_order(void) {
  int g[2];
  pipe(g);
  pid_t live = child(g, 7);
  wait_show("waitpid(-1, WNOHANG), child live", -1, WNOHANG);
  waitid_show("waitid(P_ALL, WNOHANG), child live", P_ALL, 0, WEXITED | WNOHANG);
  pid_t quick = child(NULL, 1);
  until_zombie(quick);
  wait_show("waitpid(live, WNOHANG), other child a zombie", live, WNOHANG);
  close(g[1]);
  int st = 0;
  pid_t r = waitpid(live, &st, 0);
  show(r == live ? "waitpid(live) after its gate" : "waitpid(live) WRONG child", r, st);
  r = waitpid(-1, &st, 0);
  show(r == quick ? "waitpid(-1): the zombie" : "waitpid(-1) WRONG child", r, st);
  wait_show("waitpid(-1), no child", -1, 0);

  /* several zombies: which one waitpid(-1) reports first */
  pid_t kids[4];
  for (int i = 0; i < 4; i++) kids[i] = child(NULL, 20 + i);
  for (int i = 3; i >= 0; i--) until_zombie(kids[i]);
  for (int i = 0; i < 4; i++) {
    r = waitpid(-1, &st, 0);
    int k = -1;
    for (int j = 0; j < 4; j++)
      if (kids[j] == r) k = j;
    printf("zombie %d reaped: child %d, exit %d\n", i, k, WEXITSTATUS(st));
  }
}

static void groups(void) {
  int g[2];
  pipe(g);
  pid_t c = child(g, 3);
  setpgid(c, c);
  wait_show("waitpid(0, WNOHANG), only child in another group", 0, WNOHANG);
  wait_show("waitpid(-pgid, WNOHANG)", -c, WNOHANG);
  waitid_show("waitid(P_PGID, pgid, WNOHANG)", P_PGID, c, WEXITED | WNOHANG);
  waitid_show("waitid(P_PGID, 0, WNOHANG)", P_PGID, 0, WEXITED | WNOHANG);
  wait_show("waitpid(-getpgrp(), WNOHANG)", -getpgrp(), WNOHANG);
  close(g[1]);
  int st;
  pid_t r = waitpid(-c, &st, 0);
  show(r == c ? "waitpid(-pgid)" : "waitpid(-pgid) WRONG child", r, st);
}

static void checks(void) {
  int st;
  pid_t c = child(NULL, 4);
  siginfo_t si;
  show("wait4(WNOWAIT)", wait4(-1, &st, WNOWAIT, NULL), 0);
  show("wait4(WEXITED)", wait4(-1, &st, WEXITED, NULL), 0);
  show("wait4(0x10000)", wait4(-1, &st, 0x10000, NULL), 0);
  show("waitpid(INT_MIN)", waitpid(INT_MIN, &st, WNOHANG), 0);
  RESULT("waitid(P_PID, 0)", waitid(P_PID, 0, &si, WEXITED));
  RESULT("waitid(P_ALL, no event)", waitid(P_ALL, 0, &si, WNOHANG));
  RESULT("waitid(idtype 9)", waitid(9, 0, &si, WEXITED));
  RESULT("waitid(P_PIDFD, -1)", waitid(P_PIDFD, -1, &si, WEXITED));
  RESULT("waitid(P_PIDFD, 999)", waitid(P_PIDFD, 999, &si, WEXITED));
  RESULT("waitid(P_PIDFD, stdout)", waitid(P_PIDFD, 1, &si, WEXITED));
  RESULT("waitid(WEXITED|0x10000)", waitid(P_ALL, 0, &si, WEXITED | 0x10000));
  until_zombie(c);
  RESULT("waitid(WEXITED|WNOWAIT|__WNOTHREAD|WNOHANG)", waitid(P_PID, c, &si, WEXITED | WNOWAIT | __WNOTHREAD | WNOHANG) < 0 ? -1 : si.si_pid == c);
  wait_show("waitpid(__WNOTHREAD)", c, __WNOTHREAD);

  /* a bad pointer: EFAULT, and the child is reaped all the same */
  c = child(NULL, 5);
  until_zombie(c);
  show("wait4(status BAD)", syscall(SYS_wait4, c, BAD, 0, NULL), 0);
  wait_show("then waitpid(pid)", c, WNOHANG);
  c = child(NULL, 6);
  until_zombie(c);
  show("wait4(rusage BAD)", syscall(SYS_wait4, c, NULL, 0, BAD), 0);
  wait_show("then waitpid(pid)", c, WNOHANG);
  c = child(NULL, 7);
  until_zombie(c);
  RESULT("waitid(infop BAD)", syscall(SYS_waitid, P_PID, c, BAD, WEXITED, NULL));
  wait_show("then waitpid(pid)", c, WNOHANG);
  c = child(NULL, 8);
  until_zombie(c);
  RESULT("waitid(infop NULL)", syscall(SYS_waitid, P_PID, c, NULL, WEXITED, NULL));
  wait_show("then waitpid(pid)", c, WNOHANG);
  c = child(NULL, 9);
  until_zombie(c);
  RESULT("waitid(rusage BAD)", syscall(SYS_waitid, P_PID, c, NULL, WEXITED, BAD));
  wait_show("then waitpid(pid)", c, WNOHANG);
}

static void autoreap(void) {
  struct sigaction sa = {0}, old;
  sa.sa_handler = SIG_IGN;
  sigaction(SIGCHLD, &sa, &old);
  pid_t c = child(NULL, 9);
  wait_show("SIGCHLD ignored: waitpid(pid)", c, 0);
  sa.sa_handler = SIG_DFL;
  sa.sa_flags = SA_NOCLDWAIT;
  sigaction(SIGCHLD, &sa, NULL);
  c = child(NULL, 10);
  wait_show("SA_NOCLDWAIT: waitpid(-1)", -1, 0);
  sigaction(SIGCHLD, &old, NULL);
}

static void grandchildren(void) {
  for (int reaper = 0; reaper < 2; reaper++) {
    prctl(PR_SET_CHILD_SUBREAPER, reaper);
    int g[2], p[2];
    pipe(g);
    pipe(p);
    pid_t mid = fork();
    if (mid == 0) {
      pid_t gc = child(g, 11);
      write(p[1], &gc, sizeof gc);
      _exit(12);
    }
    close(p[1]);
    pid_t gc;
    read(p[0], &gc, sizeof gc);
    close(p[0]);
    int st;
    pid_t r = waitpid(-1, &st, 0);
    show(r == mid ? "middle child" : "middle child WRONG", r, st);
    printf("subreaper %d:\n", reaper);
    wait_show("  waitpid(-1, WNOHANG), grandchild live", -1, WNOHANG);
    close(g[1]);
    r = waitpid(-1, &st, 0);
    show(r == gc ? "  waitpid(-1): the grandchild" : r > 0 ? "  waitpid(-1) WRONG" : "  waitpid(-1)", r, st);
    if (!reaper) {
      struct timespec ts = {0, 50 * 1000 * 1000};
      nanosleep(&ts, NULL); /* the orphan's exit before the next part */
    }
  }
  prctl(PR_SET_CHILD_SUBREAPER, 0);
}

/* A zombie re-parented to a subreaper tells it (reparent_leader): SIGCHLD with the zombie's
 * siginfo (queued first, before the exiting middle child's own, which a pending SIGCHLD
 * absorbs), then the subreaper reaps it; a subreaper ignoring SIGCHLD has it reaped at once. */
static void zombie_to_subreaper(void) {
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  sigset_t chld, old;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  for (int ignore = 0; ignore < 2; ignore++) {
    struct sigaction sa = {.sa_handler = ignore ? SIG_IGN : SIG_DFL}, was;
    sigaction(SIGCHLD, &sa, &was);
    sigprocmask(SIG_BLOCK, &chld, &old);
    int p[2];
    pipe(p);
    pid_t mid = fork();
    if (mid == 0) {
      pid_t gc = fork();
      if (gc == 0) _exit(13);
      siginfo_t si;
      waitid(P_PID, gc, &si, WEXITED | WNOWAIT); /* a zombie, not reaped */
      write(p[1], &gc, sizeof gc);
      _exit(12);
    }
    close(p[1]);
    pid_t gc = 0;
    read(p[0], &gc, sizeof gc);
    close(p[0]);
    int st;
    pid_t r = waitpid(mid, &st, 0);
    printf("zombie grandchild, subreaper %s SIGCHLD:\n", ignore ? "ignoring" : "taking");
    show(r == mid || r < 0 ? "  waitpid(middle)" : "  waitpid(middle) WRONG", r, st);
    siginfo_t si = {0};
    struct timespec none = {0, 0};
    int sig = sigtimedwait(&chld, &si, &none);
    printf("  pending SIGCHLD %d: from the grandchild %d, code %d, status %d\n", sig == SIGCHLD, si.si_pid == gc, si.si_code, si.si_status);
    r = waitpid(-1, &st, WNOHANG);
    show(r == gc ? "  waitpid(-1): the grandchild" : r > 0 ? "  waitpid(-1) WRONG" : "  waitpid(-1)", r, st);
    sigprocmask(SIG_SETMASK, &old, NULL);
    sigaction(SIGCHLD, &was, NULL);
  }
  prctl(PR_SET_CHILD_SUBREAPER, 0);
}

/* PR_SET_PDEATHSIG: a fork does not inherit it (nor the subreaper mark); the child gets it when its parent exits. */
static void death_signal(void) {
  int out[2];
  pipe(out);
  pid_t mid = fork();
  if (mid == 0) {
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    prctl(PR_SET_PDEATHSIG, SIGUSR2);
    int ready[2];
    pipe(ready);
    if (fork() == 0) {
      int v[5] = {0};
      pid_t parent = getppid();
      prctl(PR_GET_PDEATHSIG, &v[0]);
      prctl(PR_GET_CHILD_SUBREAPER, &v[1]);
      sigset_t set;
      sigemptyset(&set);
      sigaddset(&set, SIGUSR1);
      sigprocmask(SIG_BLOCK, &set, NULL);
      prctl(PR_SET_PDEATHSIG, SIGUSR1);
      write(ready[1], "r", 1);
      siginfo_t si;
      v[2] = sigwaitinfo(&set, &si);
      v[3] = si.si_code;
      v[4] = si.si_pid == parent ? 2 : si.si_pid == getppid() ? 1 : 0;
      write(out[1], v, sizeof v);
      _exit(0);
    }
    char c;
    read(ready[0], &c, 1);
    _exit(0);
  }
  close(out[1]);
  int v[5];
  read(out[0], v, sizeof v);
  close(out[0]);
  printf("forked child: pdeathsig %d subreaper %d; parent exited: signal %d code %d pid %s\n", v[0], v[1], v[2], v[3], v[4] == 2 ? "the parent's" : v[4] ? "the new parent's" : "other");
  wait_show("the parent", mid, 0);
}

static volatile int handled;
static void on_alarm(int sig) {
  (void)sig;
  handled++;
}

static void interrupted(void) {
  for (int restart = 0; restart < 2; restart++) {
    struct sigaction sa = {0};
    sa.sa_handler = on_alarm;
    sa.sa_flags = restart ? SA_RESTART : 0;
    sigaction(SIGALRM, &sa, NULL);
    handled = 0;
    int g[2];
    pipe(g);
    pid_t c = child(g, 13);
    struct itimerval it = {{0, 0}, {0, 200 * 1000}};
    setitimer(ITIMER_REAL, &it, NULL);
    int st = 0;
    pid_t r;
    if (restart) {
      /* the gate closes from a second child after the timer fired */
      pid_t closer = fork();
      if (closer == 0) {
        struct timespec ts = {0, 500 * 1000 * 1000};
        nanosleep(&ts, NULL);
        _exit(0);
      }
      close(g[1]);
      r = waitpid(c, &st, 0);
      /* the gate's other copy was the closer's: c ends when the closer does */
      waitpid(closer, NULL, 0);
    } else {
      r = waitpid(c, &st, 0);
      close(g[1]);
    }
    printf("SA_RESTART %d: handler ran %d times; ", restart, handled);
    show("waitpid(pid)", r, st);
    if (r < 0) wait_show("  again", c, 0);
  }
  signal(SIGALRM, SIG_DFL);
}

static int clone_fn(void *arg) { return (int)(long)arg; }

static void clone_children(void) {
  int sigs[] = {0, SIGUSR2};
  signal(SIGUSR2, SIG_IGN);
  for (int i = 0; i < 2; i++) {
    pid_t c = clone(clone_fn, stack + sizeof stack, sigs[i], (void *)(long)(30 + i));
    until_zombie(c);
    printf("exit signal %d:\n", sigs[i]);
    wait_show("  waitpid(pid, 0)", c, WNOHANG);
    wait_show("  waitpid(pid, __WCLONE)", c, WNOHANG | __WCLONE);
    wait_show("  waitpid(pid, __WALL)", c, WNOHANG | __WALL);
  }
  pid_t c = child(NULL, 32);
  until_zombie(c);
  wait_show("SIGCHLD child: waitpid(pid, __WCLONE)", c, WNOHANG | __WCLONE);
  wait_show("SIGCHLD child: waitpid(pid, 0)", c, 0);
  signal(SIGUSR2, SIG_DFL);
}

static pid_t thread_child;
static int thread_gate[2], thread_ready[2], thread_hold[2];
static void *forker(void *arg) {
  (void)arg;
  char c;
  thread_child = child(thread_gate, 14);
  write(thread_ready[1], "f", 1);
  read(thread_hold[0], &c, 1);
  return NULL;
}

/* A child forked by another thread: __WNOTHREAD does not see it while that thread lives; once
 * it exited, the child is the first live thread's. */
static void threads(void) {
  pipe(thread_gate);
  pipe(thread_ready);
  pipe(thread_hold);
  pthread_t t;
  pthread_create(&t, NULL, forker, NULL);
  char c;
  read(thread_ready[0], &c, 1);
  wait_show("another thread's child, __WNOTHREAD|WNOHANG", thread_child, __WNOTHREAD | WNOHANG);
  wait_show("another thread's child, WNOHANG", thread_child, WNOHANG);
  wait_show("waitpid(-1, __WNOTHREAD)", -1, __WNOTHREAD);
  write(thread_hold[1], "g", 1);
  pthread_join(t, NULL);
  wait_show("its thread exited, __WNOTHREAD|WNOHANG", thread_child, __WNOTHREAD | WNOHANG);
  close(thread_gate[1]);
  int st;
  pid_t r = waitpid(thread_child, &st, __WNOTHREAD);
  show(r == thread_child ? "its thread exited, __WNOTHREAD" : "WRONG", r, st);
}

static int leader_gate[2];
static void *last_thread(void *arg) {
  char c;
  while (read(leader_gate[0], &c, 1) > 0) {}
  syscall(SYS_exit, (int)(long)arg);
  return NULL;
}

/* The leader leaves first (raw exit with its own code), the last thread exits with another. */
static void leader_first(void) {
  for (int leader_code = 0; leader_code < 4; leader_code += 3) {
    pipe(leader_gate);
    pid_t c = fork();
    if (c == 0) {
      close(leader_gate[1]);
      pthread_t t;
      pthread_create(&t, NULL, last_thread, (void *)5L);
      syscall(SYS_exit, leader_code);
    }
    close(leader_gate[0]);
    struct timespec ts = {0, 100 * 1000 * 1000};
    nanosleep(&ts, NULL);
    printf("leader exit %d:\n", leader_code);
    wait_show("  waitpid(WNOHANG), one thread left", c, WNOHANG);
    close(leader_gate[1]);
    wait_show("  waitpid", c, 0);
  }
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  nohang_and_order();
  groups();
  checks();
  autoreap();
  grandchildren();
  zombie_to_subreaper();
  death_signal();
  interrupted();
  clone_children();
  threads();
  leader_first();
  return 0;
}
