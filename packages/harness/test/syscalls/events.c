/* Event descriptors: eventfd, timerfd, signalfd and epoll over them and over pipes; their
 * readiness in poll/select; errno on bad arguments. Prints only what does not depend on the
 * ABI, so the x86-64 build run on this kernel is an oracle too. */
#include "common.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>

static int revents(int fd, short events, int timeout) {
  struct pollfd p = {fd, events, 0};
  int n = poll(&p, 1, timeout);
  printf("  poll fd -> %d revents %#x\n", n, p.revents);
  return p.revents;
}

static void show_epoll(int ep, int max, int timeout) {
  struct epoll_event ev[8];
  int n = epoll_wait(ep, ev, max, timeout);
  printf("  epoll_wait(max %d) = %d", max, n);
  if (n < 0) printf(" %s", strerrorname_np(errno));
  for (int i = 0; i < n; i++) printf(" {%#x, %llu}", ev[i].events, (unsigned long long)ev[i].data.u64);
  printf("\n");
}

static void eventfds(void) {
  printf("eventfd\n");
  SYS(eventfd2, 0, 0x1234);
  int e = SYS(eventfd2, 3, EFD_NONBLOCK);
  uint64_t v = 0;
  SYS(read, e, &v, 4);
  SYS(read, e, &v, 8);
  printf("  value %llu\n", (unsigned long long)v);
  SYS(read, e, &v, 8);
  revents(e, POLLIN | POLLOUT, 0);
  v = 5;
  SYS(write, e, &v, 8);
  SYS(write, e, &v, 7);
  v = UINT64_MAX;
  SYS(write, e, &v, 8);
  v = UINT64_MAX - 1;
  SYS(write, e, &v, 8);
  revents(e, POLLIN | POLLOUT, 0);
  SYS(read, e, BAD, 8);
  SYS(read, e, &v, 8);
  printf("  value %llu\n", (unsigned long long)v);
  int s = SYS(eventfd2, 2, EFD_SEMAPHORE | EFD_NONBLOCK | EFD_CLOEXEC);
  for (int i = 0; i < 3; i++) {
    v = 0;
    SYS(read, s, &v, 8);
    printf("  semaphore %llu\n", (unsigned long long)v);
  }
  printf("  F_GETFD cloexec %d\n", fcntl(s, F_GETFD));
  printf("  F_GETFL nonblock %d\n", (fcntl(s, F_GETFL) & O_NONBLOCK) != 0);
  struct stat st;
  fstat(s, &st);
  printf("  mode %o nlink %ld size %ld\n", st.st_mode, (long)st.st_nlink, (long)st.st_size);
  SYS(lseek, s, 0, SEEK_CUR);
  SYS(pread64, s, &v, 8, 0, 0);
  int o = SYS(eventfd, 7);
  SYS(read, o, &v, 8);
  printf("  old eventfd %llu\n", (unsigned long long)v);
  close(e);
  close(s);
  close(o);
}

static void timerfds(void) {
  printf("timerfd\n");
  SYS(timerfd_create, 99, 0);
  SYS(timerfd_create, CLOCK_MONOTONIC, 0x10);
  SYS(timerfd_create, CLOCK_PROCESS_CPUTIME_ID, 0);
  int t = SYS(timerfd_create, CLOCK_MONOTONIC, TFD_NONBLOCK);
  uint64_t v = 0;
  SYS(read, t, &v, 8);
  SYS(read, t, &v, 4);
  revents(t, POLLIN, 0);
  struct itimerspec its = {{10, 0}, {10, 0}}, cur;
  SYS(timerfd_settime, t, 0, &its, 0);
  SYS(timerfd_settime, t, 0x8, &its, 0);
  struct itimerspec bad = {{0, 0}, {0, 1000 * 1000 * 1000}};
  SYS(timerfd_settime, t, 0, &bad, 0);
  SYS(timerfd_settime, t, 0, BAD, 0);
  SYS(timerfd_gettime, t, &cur);
  printf("  armed %d interval %ld\n", cur.it_value.tv_sec < 10 && cur.it_value.tv_sec >= 9, (long)cur.it_interval.tv_sec);
  SYS(timerfd_gettime, 0, &cur);
  SYS(timerfd_gettime, 99, &cur);
  SYS(timerfd_gettime, t, BAD);
  /* poll waits for the expiry */
  struct itimerspec soon = {{0, 0}, {0, 20 * 1000 * 1000}};
  SYS(timerfd_settime, t, 0, &soon, &cur);
  printf("  old interval %ld\n", (long)cur.it_interval.tv_sec);
  int r = revents(t, POLLIN, 5000);
  SYS(read, t, &v, 8);
  printf("  ticks %llu (revents %#x)\n", (unsigned long long)v, r);
  SYS(timerfd_gettime, t, &cur);
  printf("  disarmed %ld %ld\n", (long)cur.it_value.tv_sec, (long)cur.it_value.tv_nsec);
  /* an absolute time in the past expires at once */
  struct itimerspec past = {{0, 0}, {0, 1}};
  SYS(timerfd_settime, t, TFD_TIMER_ABSTIME, &past, 0);
  SYS(read, t, &v, 8);
  printf("  past ticks %llu\n", (unsigned long long)v);
  /* a blocking read waits; a periodic timer counts at least one expiry */
  int b = SYS(timerfd_create, CLOCK_REALTIME, TFD_CLOEXEC);
  struct itimerspec per = {{0, 5 * 1000 * 1000}, {0, 5 * 1000 * 1000}};
  SYS(timerfd_settime, b, 0, &per, &cur);
  printf("  old value %ld %ld\n", (long)cur.it_value.tv_sec, (long)cur.it_value.tv_nsec);
  v = 0;
  SYS(read, b, &v, 8);
  printf("  periodic ticks >= 1: %d\n", v >= 1);
  SYS(timerfd_gettime, b, &cur);
  printf("  interval %ld\n", (long)cur.it_interval.tv_nsec);
  /* settime discards the expirations not yet read */
  struct timespec nap = {0, 20 * 1000 * 1000};
  nanosleep(&nap, 0);
  struct itimerspec off = {{0, 0}, {0, 0}};
  SYS(timerfd_settime, b, 0, &off, 0);
  int fl = fcntl(b, F_GETFL);
  fcntl(b, F_SETFL, fl | O_NONBLOCK);
  SYS(read, b, &v, 8);
  SYS(write, b, &v, 8);
  close(t);
  close(b);
}

static void signalfds(void) {
  printf("signalfd\n");
  sigset_t m;
  sigemptyset(&m);
  sigaddset(&m, SIGUSR1);
  sigaddset(&m, SIGUSR2);
  sigprocmask(SIG_BLOCK, &m, 0);
  SYS(signalfd4, -1, &m, 4, 0);
  SYS(signalfd4, -1, &m, 8, 0x1);
  SYS(signalfd4, -1, BAD, 8, 0);
  int s = SYS(signalfd4, -1, &m, 8, SFD_NONBLOCK);
  struct signalfd_siginfo si[2];
  SYS(read, s, si, sizeof si);
  SYS(read, s, si, 100);
  revents(s, POLLIN, 0);
  raise(SIGUSR2);
  raise(SIGUSR1);
  revents(s, POLLIN, 0);
  int n = SYS(read, s, si, sizeof si);
  for (int i = 0; i < n / (int)sizeof si[0]; i++)
    printf("  signo %u code %d own pid %d uid ok %d\n", si[i].ssi_signo, si[i].ssi_code, si[i].ssi_pid == (uint32_t)getpid(), si[i].ssi_uid == getuid());
  union sigval val = {.sival_int = 4242};
  sigqueue(getpid(), SIGUSR1, val);
  SYS(read, s, si, sizeof si);
  printf("  signo %u code %d int %d\n", si[0].ssi_signo, si[0].ssi_code, si[0].ssi_int);
  /* a changed mask: SIGUSR2 only */
  sigset_t m2;
  sigemptyset(&m2);
  sigaddset(&m2, SIGUSR2);
  SYS(signalfd4, s, &m2, 8, 0);
  raise(SIGUSR1);
  SYS(read, s, si, sizeof si);
  sigset_t pend;
  sigpending(&pend);
  printf("  USR1 still pending %d\n", sigismember(&pend, SIGUSR1));
  int p[2];
  pipe(p);
  SYS(signalfd4, p[0], &m2, 8, 0);
  SYS(signalfd4, 77, &m2, 8, 0);
  /* drain SIGUSR1 through a second signalfd, then a blocking read of a timer's SIGALRM */
  int b = SYS(signalfd, -1, &m, 8);
  SYS(read, b, si, sizeof si);
  printf("  signo %u code %d\n", si[0].ssi_signo, si[0].ssi_code);
  sigset_t alrm;
  sigemptyset(&alrm);
  sigaddset(&alrm, SIGALRM);
  sigprocmask(SIG_BLOCK, &alrm, 0);
  SYS(signalfd4, b, &alrm, 8, 0);
  struct itimerval it = {{0, 0}, {0, 10000}};
  setitimer(ITIMER_REAL, &it, 0);
  SYS(read, b, si, sizeof si);
  printf("  signo %u code %d\n", si[0].ssi_signo, si[0].ssi_code);
  close(s);
  close(b);
  close(p[0]);
  close(p[1]);
}

static void epolls(void) {
  printf("epoll\n");
  SYS(epoll_create, 0);
  SYS(epoll_create1, 1);
  int ep = SYS(epoll_create1, EPOLL_CLOEXEC);
  int p[2];
  pipe(p);
  int e = eventfd(0, EFD_NONBLOCK);
  int file = open("epoll-file", O_CREAT | O_RDWR, 0600);
  struct epoll_event ev = {EPOLLIN, {.u64 = 100}};
  SYS(epoll_ctl, ep, EPOLL_CTL_ADD, file, &ev);
  SYS(epoll_ctl, ep, EPOLL_CTL_ADD, ep, &ev);
  SYS(epoll_ctl, e, EPOLL_CTL_ADD, p[0], &ev);
  SYS(epoll_ctl, ep, EPOLL_CTL_ADD, 99, &ev);
  SYS(epoll_ctl, ep, EPOLL_CTL_ADD, p[0], BAD);
  SYS(epoll_ctl, ep, EPOLL_CTL_ADD, p[0], &ev);
  SYS(epoll_ctl, ep, EPOLL_CTL_ADD, p[0], &ev);
  SYS(epoll_ctl, ep, EPOLL_CTL_MOD, e, &ev);
  SYS(epoll_ctl, ep, EPOLL_CTL_DEL, e, 0);
  SYS(epoll_ctl, ep, 9, p[0], &ev);
  ev.events = EPOLLOUT;
  ev.data.u64 = 101;
  SYS(epoll_ctl, ep, EPOLL_CTL_ADD, p[1], &ev);
  show_epoll(ep, 8, 0);
  SYS(epoll_wait, ep, &ev, 0, 0);
  SYS(epoll_wait, file, &ev, 1, 0);
  SYS(epoll_wait, 99, &ev, 1, 0);
  write(p[1], "ab", 2);
  show_epoll(ep, 8, 0);
  /* level-triggered, maxevents 1: the ready entries take turns */
  show_epoll(ep, 1, 0);
  show_epoll(ep, 1, 0);
  show_epoll(ep, 1, 0);
  /* edge-triggered: once per change */
  ev.events = EPOLLIN | EPOLLET;
  ev.data.u64 = 102;
  SYS(epoll_ctl, ep, EPOLL_CTL_ADD, e, &ev);
  SYS(epoll_ctl, ep, EPOLL_CTL_DEL, p[1], 0);
  uint64_t one = 1;
  write(e, &one, 8);
  show_epoll(ep, 8, 0);
  show_epoll(ep, 8, 0);
  /* another write to the already readable eventfd is a new edge */
  write(e, &one, 8);
  show_epoll(ep, 8, 0);
  show_epoll(ep, 8, 0);
  /* one-shot: disabled after one report until EPOLL_CTL_MOD */
  ev.events = EPOLLIN | EPOLLONESHOT;
  ev.data.u64 = 103;
  SYS(epoll_ctl, ep, EPOLL_CTL_MOD, p[0], &ev);
  show_epoll(ep, 8, 0);
  show_epoll(ep, 8, 0);
  SYS(epoll_ctl, ep, EPOLL_CTL_MOD, p[0], &ev);
  show_epoll(ep, 8, 0);
  /* the epoll fd itself polls readable while something is ready */
  revents(ep, POLLIN, 0);
  /* a timeout with nothing ready; a timerfd that expires */
  char buf[4];
  read(p[0], buf, sizeof buf);
  uint64_t v;
  read(e, &v, 8);
  show_epoll(ep, 8, 10);
  int t = timerfd_create(CLOCK_MONOTONIC, 0);
  ev.events = EPOLLIN;
  ev.data.u64 = 104;
  SYS(epoll_ctl, ep, EPOLL_CTL_ADD, t, &ev);
  struct itimerspec its = {{0, 0}, {0, 10 * 1000 * 1000}};
  timerfd_settime(t, 0, &its, 0);
  show_epoll(ep, 8, -1);
  /* closing the only fd of a description removes its entry; a dup keeps it */
  int d = dup(t);
  close(t);
  show_epoll(ep, 8, 0);
  close(d);
  show_epoll(ep, 8, 0);
  /* the write end's reader gone: EPOLLERR without asking */
  ev.events = 0;
  ev.data.u64 = 105;
  SYS(epoll_ctl, ep, EPOLL_CTL_ADD, p[1], &ev);
  close(p[0]);
  show_epoll(ep, 8, 0);
  /* epoll_pwait with a mask and a bad sigsetsize */
  sigset_t m;
  sigemptyset(&m);
  SYS(epoll_pwait, ep, &ev, 1, 0, &m, 4);
  SYS(epoll_pwait, ep, &ev, 1, 0, &m, 8);
  close(ep);
  close(e);
  close(file);
  close(p[1]);
}

static void selects(void) {
  printf("select\n");
  int e = eventfd(1, 0);
  int t = timerfd_create(CLOCK_MONOTONIC, 0);
  fd_set r, w;
  FD_ZERO(&r);
  FD_ZERO(&w);
  FD_SET(e, &r);
  FD_SET(t, &r);
  FD_SET(e, &w);
  struct timeval tv = {0, 0};
  int n = select(t + 1, &r, &w, 0, &tv);
  printf("  select = %d r(e)=%d r(t)=%d w(e)=%d\n", n, FD_ISSET(e, &r), FD_ISSET(t, &r), FD_ISSET(e, &w));
  struct itimerspec its = {{0, 0}, {0, 5 * 1000 * 1000}};
  timerfd_settime(t, 0, &its, 0);
  FD_ZERO(&r);
  FD_SET(t, &r);
  n = select(t + 1, &r, 0, 0, 0);
  printf("  select = %d r(t)=%d\n", n, FD_ISSET(t, &r));
  close(e);
  close(t);
}

static void on_usr1(int sig) { (void)sig; }

/* An eventfd inherited across fork: the child's blocking read is its own wait (a signal to the
 * child interrupts it: EINTR), and a signalfd reads the child's signals, not its creator's. */
static void inherited(void) {
  int e = eventfd(0, 0);
  sigset_t usr2;
  sigemptyset(&usr2);
  sigaddset(&usr2, SIGUSR2);
  sigprocmask(SIG_BLOCK, &usr2, 0);
  int s = signalfd(-1, &usr2, 0);
  /* the handler before fork: a SIGUSR1 that comes early must not kill the child */
  struct sigaction sa = {0};
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, 0);
  pid_t pid = fork();
  if (pid == 0) {
    uint64_t v;
    long r = read(e, &v, 8);
    printf("child eventfd read %ld %s\n", r, r < 0 ? strerrorname_np(errno) : "");
    kill(getpid(), SIGUSR2);
    struct signalfd_siginfo si;
    r = read(s, &si, sizeof si);
    printf("child signalfd read %ld signo %d\n", r, (int)si.ssi_signo);
    fflush(stdout);
    _exit(0);
  }
  /* until the child is gone: a signal that came before its read would leave it blocked */
  struct timespec ts = {0, 100000000};
  int st;
  do {
    nanosleep(&ts, 0);
    kill(pid, SIGUSR1);
    nanosleep(&ts, 0);
  } while (waitpid(pid, &st, WNOHANG) == 0);
  signal(SIGUSR1, SIG_DFL);
  printf("child exit %d\n", WEXITSTATUS(st));
  struct pollfd p = {s, POLLIN, 0};
  printf("parent's signalfd ready %d\n", poll(&p, 1, 0));
  close(e);
  close(s);
}

int main(void) {
  setvbuf(stdout, 0, _IOLBF, 0);
  inherited();
  eventfds();
  timerfds();
  signalfds();
  epolls();
  selects();
  return 0;
}
