/* Which blocked calls a signal handler restarts (SA_RESTART) and which return EINTR, by the
 * kernel's class: -ERESTARTSYS (eventfd, signalfd, timerfd and inotify reads, eventfd's write,
 * socket recv/send/accept/connect without a timeout; pipes as the known case), -EINTR whatever
 * the flag (a socket call with SO_RCVTIMEO/SO_SNDTIMEO, poll: ERESTARTNOHAND), and nanosleep's
 * ERESTART_RESTARTBLOCK (EINTR with the remaining time after any handler; a stop and continue
 * sleeps on for the rest). Each case: a child blocks; once /proc says it sleeps, the parent sends
 * SIGALRM (its handler with or without SA_RESTART), waits for the handler, then for the child to
 * sleep again (restarted) or to end (EINTR), and completes the call; the child prints the result. */
#include "common.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <time.h>

static volatile int handled;
static int handler_ran[2];
static void on_alarm(int sig) {
  handled = sig;
  write(handler_ran[1], "h", 1);
}

static void ms_sleep(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
  while (nanosleep(&ts, &ts) != 0) {
  }
}

/* In the child: SIGALRM's handler (SA_RESTART or not). */
static void arm(int restart) {
  struct sigaction sa = {.sa_handler = on_alarm, .sa_flags = restart ? SA_RESTART : 0};
  sigaction(SIGALRM, &sa, NULL);
}

/* SIGALRM once the child sleeps; back once its handler ran and it sleeps again or ended. */
static void interrupt(pid_t pid) {
  until_asleep(pid);
  kill(pid, SIGALRM);
  char c;
  read(handler_ran[0], &c, 1);
  until_asleep(pid);
}

static void result(const char *what, int restart, long r) {
  printf("%s %s: %ld %s, handler %s\n", what, restart ? "SA_RESTART" : "no SA_RESTART", r, r < 0 ? strerrorname_np(errno) : "", handled ? "ran" : "did not run");
  fflush(stdout);
}

enum kind { EVENTFD_READ, EVENTFD_WRITE, TIMERFD_READ, SIGNALFD_READ, INOTIFY_READ, PIPE_READ, RECV, RECV_TIMEO, SEND, ACCEPT, CONNECT, POLL, KINDS };
static const char *names[] = {"eventfd read", "eventfd write", "timerfd read", "signalfd read", "inotify read", "pipe read", "recv", "recv with SO_RCVTIMEO", "send", "accept", "connect", "poll"};

static void run(enum kind k, int restart) {
  int fds[2] = {-1, -1}, fd = -1, other = -1;
  char path[64];
  struct sockaddr_un sun = {.sun_family = AF_UNIX};
  snprintf(sun.sun_path, sizeof sun.sun_path, "sock-%d-%d", k, restart);
  snprintf(path, sizeof path, "dir-%d-%d", k, restart);
  switch (k) {
  case EVENTFD_READ: fd = eventfd(0, 0); break;
  case EVENTFD_WRITE: fd = eventfd(0, 0); eventfd_write(fd, 0xfffffffffffffffeULL); break;
  case TIMERFD_READ: {
    fd = timerfd_create(CLOCK_MONOTONIC, 0);
    break;
  }
  case SIGNALFD_READ: {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, NULL);
    fd = signalfd(-1, &set, 0);
    break;
  }
  case INOTIFY_READ: mkdir(path, 0700); fd = inotify_init(); inotify_add_watch(fd, path, IN_CREATE); break;
  case PIPE_READ: pipe(fds); fd = fds[0], other = fds[1]; break;
  case RECV: case RECV_TIMEO: case SEND: case POLL:
    socketpair(AF_UNIX, SOCK_STREAM, 0, fds);
    fd = fds[0], other = fds[1];
    if (k == RECV_TIMEO) {
      struct timeval tv = {5, 0};
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    if (k == SEND) {
      char block[4096] = {0};
      while (send(fd, block, sizeof block, MSG_DONTWAIT) > 0) {
      }
    }
    break;
  case ACCEPT: case CONNECT:
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    bind(fd, (struct sockaddr *)&sun, sizeof sun);
    listen(fd, 0);
    if (k == CONNECT) {
      /* backlog 0: one connection waits, the next connect blocks until it is accepted */
      other = socket(AF_UNIX, SOCK_STREAM, 0);
      connect(other, (struct sockaddr *)&sun, sizeof sun);
    }
    break;
  default: break;
  }
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    arm(restart);
    long r = -1;
    char buf[128];
    uint64_t v;
    switch (k) {
    case EVENTFD_READ: case TIMERFD_READ: r = read(fd, &v, 8); break;
    case EVENTFD_WRITE: v = 2; r = write(fd, &v, 8); break;
    case SIGNALFD_READ: r = read(fd, buf, 128); break;
    case INOTIFY_READ: r = read(fd, buf, sizeof buf); r = r > 0 ? 1 : r; break;
    case PIPE_READ: case RECV: case RECV_TIMEO: r = read(fd, buf, sizeof buf); break;
    case SEND: r = send(fd, "x", 1, 0); break;
    case ACCEPT: r = accept(fd, NULL, NULL); r = r >= 0 ? 1 : r; break;
    case CONNECT: {
      int c = socket(AF_UNIX, SOCK_STREAM, 0);
      r = connect(c, (struct sockaddr *)&sun, sizeof sun);
      break;
    }
    case POLL: {
      struct pollfd pfd = {fd, POLLIN, 0};
      r = poll(&pfd, 1, -1);
      break;
    }
    default: break;
    }
    result(names[k], restart, r);
    _exit(0);
  }
  interrupt(pid);
  switch (k) {
  case EVENTFD_READ: eventfd_write(fd, 3); break;
  case TIMERFD_READ: {
    struct itimerspec its = {{0, 0}, {0, 10000000}};
    timerfd_settime(fd, 0, &its, NULL);
    break;
  }
  case EVENTFD_WRITE: { uint64_t v; read(fd, &v, 8); break; }
  case SIGNALFD_READ: kill(pid, SIGUSR2); break;
  case INOTIFY_READ: { char f[80]; snprintf(f, sizeof f, "%s/new", path); close(open(f, O_CREAT | O_WRONLY, 0600)); break; }
  case PIPE_READ: case RECV: case RECV_TIMEO: case POLL: write(other, "hello", 5); break;
  case SEND: { char block[4096]; while (recv(other, block, sizeof block, MSG_DONTWAIT) > 0) {} break; }
  case ACCEPT: { int c = socket(AF_UNIX, SOCK_STREAM, 0); connect(c, (struct sockaddr *)&sun, sizeof sun); break; }
  case CONNECT: close(accept(fd, NULL, NULL)); break;
  default: break;
  }
  wait_child(pid);
  if (k == SIGNALFD_READ) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
  }
  close(fd);
  if (other >= 0) close(other);
  if (fds[1] >= 0 && fds[1] != other) close(fds[1]);
}

static long elapsed_ms(struct timespec *t0) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* nanosleep: EINTR and the remaining time after a handler, with SA_RESTART too. */
static void sleep_handler(int restart) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    arm(restart);
    /* long enough that a loaded machine's late signal still finds it asleep (nanosleep is never
       restarted, so the signal ends it at once either way) */
    struct timespec req = {60, 0}, rem = {0, 0};
    long r = nanosleep(&req, &rem);
    long left = rem.tv_sec * 1000 + rem.tv_nsec / 1000000;
    result("nanosleep", restart, r);
    printf("remaining time between 0 and 60 s %d\n", left > 0 && left < 60000);
    fflush(stdout);
    _exit(0);
  }
  interrupt(pid);
  wait_child(pid);
}

/* nanosleep stopped and continued: it sleeps on for the rest and returns 0 (restart_syscall). */
static void sleep_stopped(void) {
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    struct timespec t0, req = {0, 400000000}, rem = {0, 0};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    long r = nanosleep(&req, &rem);
    printf("nanosleep stopped and continued: %ld, slept the whole 400 ms %d\n", r, elapsed_ms(&t0) >= 400);
    fflush(stdout);
    _exit(0);
  }
  ms_sleep(100);
  kill(pid, SIGSTOP);
  ms_sleep(100);
  kill(pid, SIGCONT);
  wait_child(pid);
}

int main(void) {
  pipe(handler_ran);
  for (int k = 0; k < KINDS; k++)
    for (int restart = 0; restart < 2; restart++) run(k, restart);
  sleep_handler(0);
  sleep_handler(1);
  sleep_stopped();
  return 0;
}
