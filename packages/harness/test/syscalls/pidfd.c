/* pidfd_open, pidfd_send_signal, poll on a pidfd and waitid(P_PIDFD): the argument checks, a
 * live child (not readable), signalled through its pidfd, readable once it is a zombie (POLLIN),
 * and with POLLHUP too once reaped; a reaped process's pidfd (ESRCH), a PIDFD_NONBLOCK pidfd's
 * waitid (EAGAIN while it lives), a siginfo sent to oneself; pidfd_getfd (a child's descriptor
 * duplicated into the caller, close-on-exec; EINVAL, EBADF, ESRCH for a zombie, EPERM unprivileged). */
#include "common.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#define P_PIDFD_ 3
#define PIDFD_NONBLOCK_ O_NONBLOCK

static volatile int got_code, got_value;
static void on_usr1(int sig, siginfo_t *si, void *uc) {
  (void)sig, (void)uc;
  got_code = si->si_code;
  got_value = si->si_value.sival_int;
}

/* poll for POLLIN; `shown` the revents bits printed (a grandchild is reaped by its parent at its own pace) */
static void show_poll(const char *what, int fd, int timeout, int shown) {
  struct pollfd p = {fd, POLLIN, 0};
  int r = poll(&p, 1, timeout);
  printf("%s: poll = %d, revents %#x\n", what, r, p.revents & shown);
  fflush(stdout);
}

static pid_t pausing_child(void) {
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    pause();
    _exit(0);
  }
  return c;
}

static void getfd_as_nobody(void) {
  int pf = syscall(SYS_pidfd_open, getppid(), 0);
  SYS(pidfd_getfd, pf, 1, 0);
  pf = syscall(SYS_pidfd_open, getpid(), 0);
  int fd = syscall(SYS_pidfd_getfd, pf, 1, 0);
  printf("pidfd_getfd of its own: a new fd %d, cloexec %d\n", fd > 2, fcntl(fd, F_GETFD));
  fflush(stdout);
}

static void getfd(void) {
  printf("-- pidfd_getfd\n");
  int q[2], ready[2];
  pipe(q);
  pipe(ready);
  fflush(stdout);
  pid_t c = fork();
  if (c == 0) {
    dup2(q[1], 40);
    close(q[1]);
    write(ready[1], "r", 1);
    pause();
    _exit(0);
  }
  close(q[1]);
  char b[8];
  read(ready[0], b, 1);
  int pf = syscall(SYS_pidfd_open, c, 0);
  SYS(pidfd_getfd, pf, 40, 1);
  SYS(pidfd_getfd, 99, 40, 0);
  SYS(pidfd_getfd, q[0], 40, 0);
  SYS(pidfd_getfd, pf, 41, 0);
  SYS(pidfd_getfd, pf, -1, 0);
  int fd = syscall(SYS_pidfd_getfd, pf, 40, 0);
  printf("pidfd_getfd: a new fd %d, cloexec %d\n", fd > 2, fcntl(fd, F_GETFD));
  write(fd, "hi", 2);
  close(fd);
  printf("  read through the child's end: %ld\n", (long)read(q[0], b, 8));
  kill(c, SIGKILL);
  struct pollfd p = {pf, POLLIN, 0};
  poll(&p, 1, 5000);
  SYS(pidfd_getfd, pf, 40, 0);
  wait_child(c);
  SYS(pidfd_getfd, pf, 40, 0);
  fflush(stdout);
  as_nobody(getfd_as_nobody);
}

int main(void) {
  SYS(pidfd_open, 0, 0);
  SYS(pidfd_open, -1, 0);
  SYS(pidfd_open, getpid(), 1);
  SYS(pidfd_open, 0x3fffffff, 0);
  int self = syscall(SYS_pidfd_open, getpid(), 0);
  printf("own pidfd: %d, FD_CLOEXEC %d, O_NONBLOCK %d\n", self >= 0, fcntl(self, F_GETFD), (fcntl(self, F_GETFL) & O_NONBLOCK) != 0);
  int nb = syscall(SYS_pidfd_open, getpid(), PIDFD_NONBLOCK_);
  printf("PIDFD_NONBLOCK: O_NONBLOCK %d\n", (fcntl(nb, F_GETFL) & O_NONBLOCK) != 0);
  show_poll("own pidfd", self, 0, 0xffff);
  char buf[8];
  report("read of a pidfd", read(self, buf, sizeof buf));
  siginfo_t si;
  report("waitid(P_PIDFD, own)", waitid(P_PIDFD_, self, &si, WEXITED | WNOHANG));
  report("waitid(P_PIDFD, stdin)", waitid(P_PIDFD_, 0, &si, WEXITED | WNOHANG));
  report("waitid(P_PIDFD, -1)", waitid(P_PIDFD_, -1, &si, WEXITED | WNOHANG));

  /* a signal with its siginfo to oneself */
  struct sigaction sa = {.sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO};
  sigaction(SIGUSR1, &sa, NULL);
  siginfo_t info = {0};
  info.si_signo = SIGUSR1;
  info.si_code = SI_QUEUE;
  info.si_value.sival_int = 42;
  SYS(pidfd_send_signal, self, SIGUSR1, &info, 0);
  printf("to oneself: si_code %d, value %d\n", got_code, got_value);
  SYS(pidfd_send_signal, self, SIGUSR1, NULL, 0);
  printf("to oneself without info: si_code %d\n", got_code);
  info.si_signo = SIGUSR2;
  SYS(pidfd_send_signal, self, SIGUSR1, &info, 0);
  SYS(pidfd_send_signal, self, SIGUSR1, (void *)BAD, 0);

  int r;
  pid_t c = pausing_child();
  int fd = syscall(SYS_pidfd_open, c, 0);
  show_poll("live child", fd, 0, 0xffff);
  SYS(pidfd_send_signal, fd, 0, NULL, 0);
  SYS(pidfd_send_signal, fd, SIGTERM, NULL, 0x20);
  SYS(pidfd_send_signal, 0, SIGTERM, NULL, 0);
  SYS(pidfd_send_signal, 1000000, SIGTERM, NULL, 0);
  SYS(pidfd_send_signal, fd, 99, NULL, 0);
  info.si_signo = SIGTERM;
  info.si_code = SI_QUEUE;
  SYS(pidfd_send_signal, fd, SIGTERM, &info, 0);
  SYS(pidfd_send_signal, fd, SIGTERM, NULL, 0);
  show_poll("killed child", fd, 5000, 0xffff);
  memset(&si, 0, sizeof si);
  r = waitid(P_PIDFD_, fd, &si, WEXITED | WNOWAIT);
  printf("waitid(P_PIDFD, WNOWAIT) = %d: the child %d, code %d, status %d\n", r, si.si_pid == c, si.si_code, si.si_status);
  show_poll("zombie", fd, 0, 0xffff);
  r = waitid(P_PIDFD_, fd, &si, WEXITED);
  printf("waitid(P_PIDFD) = %d: the child %d\n", r, si.si_pid == c);
  show_poll("reaped", fd, 0, 0xffff);
  SYS(pidfd_send_signal, fd, SIGTERM, NULL, 0);
  SYS(pidfd_open, c, 0);
  report("waitid(P_PIDFD, reaped)", waitid(P_PIDFD_, fd, &si, WEXITED));
  close(fd);

  /* PIDFD_NONBLOCK: waitid says EAGAIN while the child lives */
  c = pausing_child();
  fd = syscall(SYS_pidfd_open, c, PIDFD_NONBLOCK_);
  report("waitid(P_PIDFD, nonblocking, live)", waitid(P_PIDFD_, fd, &si, WEXITED));
  r = waitid(P_PIDFD_, fd, &si, WEXITED | WNOHANG);
  printf("with WNOHANG = %d, si_pid %d\n", r, si.si_pid);
  kill(c, SIGKILL);
  show_poll("killed", fd, 5000, 0xffff);
  r = waitid(P_PIDFD_, fd, &si, WEXITED);
  printf("waitid(P_PIDFD, nonblocking, dead) = %d: the child %d, code %d, status %d\n", r, si.si_pid == c, si.si_code, si.si_status);
  /* a grandchild's pidfd: not a child of ours */
  int pp[2];
  pipe(pp);
  fflush(stdout);
  pid_t mid = fork();
  if (mid == 0) {
    pid_t g = pausing_child();
    write(pp[1], &g, sizeof g);
    waitpid(g, NULL, 0);
    _exit(0);
  }
  pid_t g;
  read(pp[0], &g, sizeof g);
  fd = syscall(SYS_pidfd_open, g, 0);
  report("waitid(P_PIDFD, grandchild)", waitid(P_PIDFD_, fd, &si, WEXITED | WNOHANG));
  SYS(pidfd_send_signal, fd, SIGKILL, NULL, 0);
  show_poll("killed grandchild", fd, 5000, POLLIN);
  wait_child(mid);
  getfd();
  return 0;
}
