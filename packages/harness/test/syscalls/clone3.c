/* clone3 (435 on both ABIs): struct clone_args's size checks (EINVAL below 64 bytes, E2BIG past a
 * page or for a non-zero tail, EFAULT), its field checks (exit_signal, CSIGNAL and CLONE_DETACHED
 * in flags, stack and stack_size, set_tid and set_tid_size), a child with its own exit signal,
 * CLONE_PIDFD (also through clone's parent_tid), set_tid (EEXIST, a free pid, EPERM unprivileged),
 * CLONE_CLEAR_SIGHAND; glibc's pthread_create and posix_spawn, which try clone3 first. */
#include "common.h"
#include <linux/sched.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>

#ifndef CLONE_CLEAR_SIGHAND
#define CLONE_CLEAR_SIGHAND 0x100000000ULL
#endif

static long clone3_(struct clone_args *a, size_t size) { return syscall(SYS_clone3, a, size); }

/* A clone3 that may make a child: the child exits 7 at once; the parent reaps it (any exit signal). */
static void try_clone(const char *what, struct clone_args *a, size_t size) {
  fflush(stdout);
  long r = clone3_(a, size);
  if (r == 0) _exit(7);
  report(what, r < 0 ? r : 1);
  if (r > 0) {
    int st;
    pid_t w = waitpid(r, &st, __WALL);
    printf("  reaped %d, exit %d\n", w == r, WIFEXITED(st) ? WEXITSTATUS(st) : -1);
  }
}

static volatile int usr1;
static void on_usr1(int sig) { (void)sig; usr1++; }
static void on_usr2(int sig) { (void)sig; }

static void *thread_main(void *arg) { return (char *)arg + 1; }

static void set_tid_as_nobody(void) {
  pid_t want = 1;
  struct clone_args a = {0};
  a.exit_signal = SIGCHLD;
  a.set_tid = (uintptr_t)&want;
  a.set_tid_size = 1;
  try_clone("set_tid unprivileged", &a, sizeof a);
}

int main(void) {
  struct clone_args a;
  memset(&a, 0, sizeof a);
  a.exit_signal = SIGCHLD;
  printf("-- sizes\n");
  report("size 0", clone3_(&a, 0));
  report("size 63", clone3_(&a, 63));
  report("size 4097", clone3_(&a, 4097));
  report("from BAD", clone3_(BAD, 88));
  unsigned char big[128] = {0};
  memcpy(big, &a, sizeof a);
  big[100] = 1;
  report("size 128, byte 100 set", clone3_((void *)big, 128));
  big[100] = 0;
  try_clone("size 128, zero tail", (void *)big, 128);
  try_clone("size 64", &a, 64);

  printf("-- fields\n");
  struct clone_args b;
#define FIELD(what, stmt)        \
  do {                           \
    b = a;                       \
    stmt;                        \
    try_clone(what, &b, sizeof b); \
  } while (0)
  FIELD("exit_signal 65", b.exit_signal = 65);
  FIELD("exit_signal 0x111", b.exit_signal = 0x111);
  FIELD("exit_signal high word", b.exit_signal = SIGCHLD | (1ULL << 32));
  FIELD("SIGCHLD in flags", b.flags = SIGCHLD);
  FIELD("CLONE_DETACHED", b.flags = 0x400000);
  FIELD("flag bit 40", b.flags = 1ULL << 40);
  FIELD("CLONE_THREAD with an exit signal", b.flags = CLONE_THREAD | CLONE_SIGHAND | CLONE_VM);
  FIELD("CLONE_PARENT with an exit signal", b.flags = CLONE_PARENT);
  FIELD("CLONE_SIGHAND|CLONE_CLEAR_SIGHAND", b.flags = CLONE_SIGHAND | CLONE_VM | CLONE_CLEAR_SIGHAND);
  FIELD("CLONE_SIGHAND without CLONE_VM", b.flags = CLONE_SIGHAND);
  FIELD("stack without a size", b.stack = (uintptr_t)big);
  FIELD("stack_size without a stack", b.stack_size = 64);
  FIELD("stack past user space", (b.stack = 0x7ffffffff000ULL, b.stack_size = 0x2000));
  FIELD("set_tid_size without set_tid", b.set_tid_size = 1);
  FIELD("set_tid without set_tid_size", b.set_tid = (uintptr_t)big);
  FIELD("set_tid_size 33", (b.set_tid = (uintptr_t)big, b.set_tid_size = 33));
  FIELD("set_tid from BAD", (b.set_tid = (uintptr_t)BAD, b.set_tid_size = 1));
  pid_t tids[2] = {getpid(), 0};
  FIELD("set_tid_size 2", (b.set_tid = (uintptr_t)tids, b.set_tid_size = 2));
  FIELD("set_tid: the caller's pid", (b.set_tid = (uintptr_t)tids, b.set_tid_size = 1));
  tids[0] = 0;
  FIELD("set_tid 0", (b.set_tid = (uintptr_t)tids, b.set_tid_size = 1));
  tids[0] = 32768;
  FIELD("set_tid pid_max", (b.set_tid = (uintptr_t)tids, b.set_tid_size = 1));
  /* a pid nobody has: the child gets it */
  for (tids[0] = 30000; tids[0] > 2 && (kill(tids[0], 0) == 0 || errno != ESRCH); tids[0]--) {}
  b = a;
  b.set_tid = (uintptr_t)tids;
  b.set_tid_size = 1;
  fflush(stdout);
  long r = clone3_(&b, sizeof b);
  if (r == 0) _exit(getpid() == tids[0] ? 3 : 4);
  printf("set_tid of a free pid: returned it %d\n", r == tids[0]);
  wait_child(r);
  fflush(stdout);
  as_nobody(set_tid_as_nobody);

  printf("-- exit signals\n");
  signal(SIGUSR1, on_usr1);
  FIELD("exit_signal SIGUSR1", b.exit_signal = SIGUSR1);
  printf("  SIGUSR1 came %d\n", usr1);
  FIELD("exit_signal 0", b.exit_signal = 0);
  printf("  SIGUSR1 came %d\n", usr1);

  printf("-- CLONE_PIDFD\n");
  int pidfd = -5;
  b = a;
  b.flags = CLONE_PIDFD;
  b.pidfd = (uintptr_t)&pidfd;
  fflush(stdout);
  r = clone3_(&b, sizeof b);
  if (r == 0) {
    pause();
    _exit(1);
  }
  printf("clone3 CLONE_PIDFD: pidfd %d, cloexec %d\n", pidfd > 2, fcntl(pidfd, F_GETFD));
  struct pollfd pf = {pidfd, POLLIN, 0};
  report("poll while it lives", poll(&pf, 1, 0));
  SYS(pidfd_send_signal, pidfd, SIGKILL, 0, 0);
  pf.revents = 0;
  report("poll once it died", poll(&pf, 1, -1));
  printf("  revents %#x\n", pf.revents);
  wait_child(r);
  close(pidfd);
  FIELD("CLONE_PIDFD to BAD", (b.flags = CLONE_PIDFD, b.pidfd = (uintptr_t)BAD));
  report("then no child", waitpid(-1, 0, WNOHANG));
  int fds[2];
  pipe(fds);
  close(fds[1]);
  FIELD("CLONE_PIDFD with CLONE_PARENT_SETTID at the same place", (b.flags = CLONE_PIDFD | CLONE_PARENT_SETTID, b.pidfd = b.parent_tid = (uintptr_t)&pidfd));
  b.parent_tid = (uintptr_t)&tids[1];
  fflush(stdout);
  r = clone3_(&b, sizeof b);
  if (r == 0) _exit(0);
  printf("CLONE_PIDFD and CLONE_PARENT_SETTID apart: parent_tid right %d, pidfd %d\n", tids[1] == r, pidfd == fds[1]);
  wait_child(r);
  close(pidfd);
  fflush(stdout);
  r = syscall(SYS_clone, CLONE_PIDFD | SIGCHLD, 0, &pidfd, 0, 0);
  if (r == 0) _exit(5);
  printf("clone CLONE_PIDFD: pidfd in parent_tid %d\n", pidfd == fds[1]);
  siginfo_t si;
  memset(&si, 0, sizeof si);
  SYS(waitid, P_PIDFD, pidfd, &si, WEXITED, 0);
  printf("  waitid by pidfd: status %d\n", si.si_status);
  close(pidfd);
  report("clone CLONE_PIDFD|CLONE_PARENT_SETTID", syscall(SYS_clone, CLONE_PIDFD | CLONE_PARENT_SETTID | SIGCHLD, 0, &pidfd, 0, 0));
  report("clone CLONE_PIDFD|CLONE_DETACHED", syscall(SYS_clone, CLONE_PIDFD | 0x400000 | SIGCHLD, 0, &pidfd, 0, 0));

  printf("-- CLONE_CLEAR_SIGHAND\n");
  signal(SIGUSR2, on_usr2);
  signal(SIGHUP, SIG_IGN);
  b = a;
  b.flags = CLONE_CLEAR_SIGHAND;
  fflush(stdout);
  r = clone3_(&b, sizeof b);
  if (r == 0) {
    struct sigaction usr2, hup;
    sigaction(SIGUSR2, 0, &usr2);
    sigaction(SIGHUP, 0, &hup);
    _exit((usr2.sa_handler == SIG_DFL) | (hup.sa_handler == SIG_IGN) << 1);
  }
  wait_child(r);

  printf("-- glibc: pthread_create and posix_spawn\n");
  pthread_t t;
  void *ret;
  report("pthread_create", pthread_create(&t, 0, thread_main, (void *)41));
  report("pthread_join", pthread_join(t, &ret));
  printf("  thread returned %ld\n", (long)ret);
  pid_t kid;
  char *argv[] = {"/bin/true", 0};
  report("posix_spawn", posix_spawn(&kid, "/bin/true", 0, 0, argv, 0));
  wait_child(kid);
  char *bad[] = {"/nonexistent", 0};
  printf("posix_spawn of a missing file: %s\n", strerrorname_np(posix_spawn(&kid, "/nonexistent", 0, 0, bad, 0))); /* glibc reaps that child */
  return 0;
}
