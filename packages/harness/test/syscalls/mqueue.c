/* POSIX message queues (i386 277-282 and 418/419, x86-64 240-245) by raw calls: mq_open's name,
 * flag and attribute checks, the default limits (msg_max 10, msgsize_max 8192, queues_max 256,
 * RLIMIT_MSGQUEUE), priorities, O_NONBLOCK, timeouts, mq_notify (SIGEV_SIGNAL, SIGEV_NONE, the
 * errors of SIGEV_THREAD), mq_getsetattr, the descriptor (read's QSIZE line, poll, close), blocking
 * between processes, EINTR and SA_RESTART, EFAULT everywhere. Every queue it makes is unlinked. */
#include "common.h"
#include <mqueue.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>

#ifdef __i386__
#define SEND64 SYS_mq_timedsend_time64
#define RECV64 SYS_mq_timedreceive_time64
struct ts64 { long long sec, nsec; };
#endif

static char names[4][64];
static const char *name(int i) { return names[i] + 1; } /* the kernel's name has no leading '/' */

static long mq_open_(const char *n, int flags, int mode, struct mq_attr *attr) { return syscall(SYS_mq_open, n, flags, mode, attr); }
static long send_(int fd, const char *m, size_t len, unsigned prio, struct timespec *ts) { return syscall(SYS_mq_timedsend, fd, m, len, prio, ts); }
static long recv_(int fd, char *m, size_t len, unsigned *prio, struct timespec *ts) { return syscall(SYS_mq_timedreceive, fd, m, len, prio, ts); }
static long attr_(int fd, struct mq_attr *new, struct mq_attr *old) { return syscall(SYS_mq_getsetattr, fd, new, old); }

static void show_attr(int fd) {
  struct mq_attr a;
  memset(&a, 0x55, sizeof a);
  if (report("getattr", attr_(fd, 0, &a)) == 0)
    printf("  flags %#lx maxmsg %ld msgsize %ld curmsgs %ld reserved %ld %ld\n", a.mq_flags, a.mq_maxmsg, a.mq_msgsize, a.mq_curmsgs, a.__pad[0], a.__pad[3]);
}

/* read(2) of the descriptor: the QSIZE line, NOTIFY_PID shown as whose it is */
static void show_line(int fd) {
  char buf[128];
  report("lseek 0", lseek(fd, 0, SEEK_SET));
  long n = report("read line", read(fd, buf, sizeof buf - 1));
  if (n <= 0) return;
  buf[n] = 0;
  char *pid = strstr(buf, "NOTIFY_PID:");
  int who = pid ? atoi(pid + 11) : -1;
  if (pid) sprintf(pid + 11, "%s", who == 0 ? "0" : who == getpid() ? "self" : "other");
  printf("  [%s] length %ld\n", buf, n);
  report("read again", read(fd, buf, sizeof buf));
}

static void show_poll(int fd) {
  struct pollfd p = {fd, POLLIN | POLLOUT, 0};
  report("poll", poll(&p, 1, 0));
  printf("  revents %#x\n", p.revents);
}

static void receive_all(int fd, size_t len) {
  char buf[8200];
  unsigned prio;
  long n;
  struct timespec zero = {0, 0};
  while ((n = recv_(fd, buf, len, &prio, &zero)) >= 0) printf("  got [%.*s] prio %u\n", (int)n, buf, prio);
  printf("  then %s\n", strerrorname_np(errno));
}

static volatile int got_sig, got_code, got_value, got_pid_self;
static void on_notify(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  got_sig = sig;
  got_code = si->si_code;
  got_value = si->si_value.sival_int;
  got_pid_self = si->si_pid == getpid();
}
static void on_usr2(int sig) { (void)sig; }

static void errors(void) {
  struct mq_attr a = {0, 3, 16, 0, {0}};
  printf("-- mq_open errors\n");
  SYS(mq_open, BAD, O_RDWR | O_CREAT, 0600, 0);
  SYS(mq_open, "", O_RDWR | O_CREAT, 0600, 0);
  SYS(mq_open, "a/b", O_RDWR | O_CREAT, 0600, 0);
  SYS(mq_open, ".", O_RDWR | O_CREAT, 0600, 0);
  SYS(mq_open, "..", O_RDWR | O_CREAT, 0600, 0);
  char longname[300];
  memset(longname, 'x', 299);
  longname[299] = 0;
  SYS(mq_open, longname, O_RDWR | O_CREAT, 0600, 0);
  longname[255] = 0;
  SYS(mq_open, longname, O_RDWR, 0600, 0);
  SYS(mq_open, name(0), O_RDWR, 0600, 0);
  SYS(mq_open, name(0), O_RDWR | O_CREAT, 0600, BAD);
  struct mq_attr bad[] = {{0, 0, 16, 0, {0}}, {0, 11, 16, 0, {0}}, {0, 3, 0, 0, {0}}, {0, 3, 8193, 0, {0}}, {0, -1, 16, 0, {0}}, {0, 3, -5, 0, {0}}, {0, 10, 8192, 0, {0}}};
  for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    long fd = mq_open_(name(0), O_RDWR | O_CREAT, 0600, &bad[i]);
    printf("mq_open maxmsg %ld msgsize %ld = %s\n", bad[i].mq_maxmsg, bad[i].mq_msgsize, fd < 0 ? strerrorname_np(errno) : "ok");
    if (fd >= 0) {
      show_attr(fd);
      close(fd);
      SYS(mq_unlink, name(0));
    }
  }
  printf("-- mq_unlink errors\n");
  SYS(mq_unlink, BAD);
  SYS(mq_unlink, name(0));
  SYS(mq_unlink, "a/b");
  SYS(mq_unlink, "");
  (void)a;
}

static void basics(void) {
  struct mq_attr a = {0, 3, 16, 0, {0}};
  printf("-- a queue of 3 messages of 16 bytes\n");
  int fd = report("mq_open create", mq_open_(name(0), O_RDWR | O_CREAT | O_EXCL, 0640, &a));
  report("mq_open excl again", mq_open_(name(0), O_RDWR | O_CREAT | O_EXCL, 0600, &a));
  report("mq_open accmode 3", mq_open_(name(0), 3, 0, 0));
  int ro = report("mq_open rdonly", mq_open_(name(0), O_RDONLY, 0, 0));
  int wo = report("mq_open wronly nonblock", mq_open_(name(0), O_WRONLY | O_NONBLOCK | O_CREAT, 0600, 0));
  printf("  fd flags %d %d, status %#x %#x %#x\n", fcntl(fd, F_GETFD), fcntl(wo, F_GETFD), fcntl(fd, F_GETFL), fcntl(ro, F_GETFL), fcntl(wo, F_GETFL));
  show_attr(fd);
  show_attr(wo);
  char link[64], path[64], *dash;
  snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  long len = readlink(path, link, sizeof link - 1); /* its length has the pid's */
  link[len > 0 ? len : 0] = 0;
  if ((dash = strrchr(link, '-'))) *dash = 0; /* the name ends in the pid */
  if ((dash = strrchr(link, '-'))) *dash = 0;
  printf("readlink of the descriptor [%s]\n", len > 0 ? link : strerrorname_np(errno));
  report("getattr of a pipe", ({ int p[2]; pipe(p); long r = attr_(p[0], 0, &a); close(p[0]); close(p[1]); r; }));
  report("getattr of fd 99", attr_(99, 0, &a));
  report("getattr to BAD", attr_(fd, 0, BAD));
  report("setattr from BAD", attr_(fd, BAD, 0));
  struct mq_attr set = {O_NONBLOCK | 1, 0, 0, 0, {0}};
  report("setattr flags 04001", attr_(fd, &set, 0));
  set.mq_flags = O_NONBLOCK;
  set.mq_maxmsg = 99;
  report("setattr nonblock, old to BAD", attr_(fd, &set, BAD));
  show_attr(fd);
  set.mq_flags = 0;
  report("setattr blocking", attr_(fd, &set, &a));
  printf("  old flags %#lx\n", a.mq_flags);

  printf("-- send\n");
  struct timespec past = {1, 0}, badns = {0, 1000000000}, negs = {-1, 0};
  report("send prio 32768", send_(fd, "x", 1, 32768, 0));
  report("send 17 bytes", send_(fd, "0123456789abcdefg", 17, 0, 0));
  report("send from BAD", send_(fd, BAD, 4, 0, 0));
  report("send timeout BAD", send_(fd, "x", 1, 0, BAD));
  report("send timeout nsec 1e9", send_(fd, "x", 1, 0, &badns));
  report("send timeout sec -1", send_(fd, "x", 1, 0, &negs));
  report("send on rdonly", send_(ro, "x", 1, 0, 0));
  report("send on fd 99", send_(99, "x", 1, 0, 0));
  report("send on stdout", send_(1, "x", 1, 0, 0));
  show_poll(fd);
  report("send a prio 1", send_(fd, "a", 1, 1, 0));
  show_line(fd);
  report("send b prio 5 (past timeout, room)", send_(fd, "bb", 2, 5, &past));
  report("send empty prio 1", send_(wo, "", 0, 1, 0));
  show_poll(fd);
  report("send nonblocking to a full queue", send_(wo, "d", 1, 0, 0));
  report("send with a past timeout", send_(fd, "d", 1, 0, &past));
  struct timespec soon;
  clock_gettime(CLOCK_REALTIME, &soon);
  soon.tv_nsec += 20000000;
  if (soon.tv_nsec >= 1000000000) soon.tv_sec++, soon.tv_nsec -= 1000000000;
  report("send with a timeout in 20 ms", send_(fd, "d", 1, 0, &soon));
  show_attr(ro);
  int rd = report("mq_open rdonly again", mq_open_(name(0), O_RDONLY, 0, 0));
  show_line(rd);
  report("write to it", write(fd, "x", 1));
  report("write to rdonly", write(ro, "x", 1));
  report("read of wronly", read(wo, &a, 8));
  close(rd);

  printf("-- receive\n");
  char buf[64];
  unsigned prio = 77;
  report("receive 15 bytes", recv_(fd, buf, 15, &prio, 0));
  report("receive on wronly", recv_(wo, buf, 64, &prio, 0));
  report("receive timeout BAD", recv_(fd, buf, 64, &prio, BAD));
  long n = report("receive", recv_(ro, buf, 64, &prio, 0));
  printf("  [%.*s] prio %u\n", (int)n, buf, prio);
  report("receive prio to BAD", recv_(fd, buf, 64, BAD, 0));
  show_attr(fd);
  n = report("receive, no prio", recv_(fd, buf, 64, 0, 0));
  show_poll(fd);
  report("receive from an empty queue, past timeout", recv_(fd, buf, 64, &prio, &past));
  report("send c", send_(fd, "ccc", 3, 0, 0));
  report("receive to BAD", recv_(fd, BAD, 64, &prio, 0));
  show_attr(fd);
  set.mq_flags = O_NONBLOCK;
  attr_(fd, &set, 0);
  report("receive nonblocking from empty", recv_(fd, buf, 64, &prio, 0));
  fcntl(fd, F_SETFL, 0);
  show_attr(fd);
#ifdef __i386__
  printf("-- time64 calls\n");
  struct ts64 past64 = {1, 0}, bad64 = {0, 1000000000LL}, hi64 = {1, 5 | (7LL << 32)};
  report("send64 c", syscall(SEND64, fd, "c64", 3, 3, &past64));
  report("send64 timeout nsec 1e9", syscall(SEND64, fd, "x", 1, 0, &bad64));
  report("send64 timeout BAD", syscall(SEND64, fd, "x", 1, 0, BAD));
  n = report("receive64", syscall(RECV64, fd, buf, 64, &prio, &past64));
  printf("  [%.*s] prio %u\n", (int)n, buf, prio);
  report("receive64 nsec's high word ignored", syscall(RECV64, fd, buf, 64, &prio, &hi64));
#endif
  printf("-- priorities\n");
  unsigned prios[] = {0, 32767, 7, 7, 0};
  const char *texts[] = {"low", "top", "seven-1", "seven-2", "low-2"};
  struct mq_attr big = {0, 10, 16, 0, {0}};
  int pq = report("mq_open 10 messages", mq_open_(name(1), O_RDWR | O_CREAT, 0600, &big));
  for (int i = 0; i < 5; i++) send_(pq, texts[i], strlen(texts[i]), prios[i], 0);
  receive_all(pq, 16);
  close(pq);
  report("unlink", syscall(SYS_mq_unlink, name(1)));

  printf("-- unlink with descriptors open\n");
  report("unlink", syscall(SYS_mq_unlink, name(0)));
  report("open by name", mq_open_(name(0), O_RDWR, 0, 0));
  report("send still", send_(fd, "e", 1, 2, 0));
  show_attr(ro);
  close(fd);
  close(ro);
  close(wo);
}

static void notify(void) {
  printf("-- mq_notify\n");
  struct mq_attr a = {0, 2, 8, 0, {0}};
  int fd = report("mq_open", mq_open_(name(0), O_RDWR | O_CREAT, 0600, &a));
  struct sigaction sa = {0};
  sa.sa_sigaction = on_notify;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGUSR1, &sa, 0);
  struct sigevent ev;
  memset(&ev, 0, sizeof ev);
  SYS(mq_notify, fd, BAD);
  ev.sigev_notify = 7;
  SYS(mq_notify, fd, &ev);
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = 65;
  SYS(mq_notify, fd, &ev);
  ev.sigev_signo = SIGUSR1;
  ev.sigev_value.sival_int = 42;
  SYS(mq_notify, 99, &ev);
  SYS(mq_notify, 1, &ev);
  SYS(mq_notify, fd, 0);
  SYS(mq_notify, fd, &ev);
  SYS(mq_notify, fd, &ev);
  show_line(fd);
  pid_t kid = (fflush(stdout), fork());
  if (kid == 0) {
    SYS(mq_notify, fd, &ev);
    SYS(mq_notify, fd, 0); /* not its registration: nothing changes */
    close(fd);
    _exit(0);
  }
  wait_child(kid);
  send_(fd, "m1", 2, 0, 0);
  printf("  notified: sig %d code %d value %d from self %d\n", got_sig, got_code, got_value, got_pid_self);
  got_sig = 0;
  send_(fd, "m2", 2, 0, 0);
  printf("  second message, no registration: sig %d\n", got_sig);
  SYS(mq_notify, fd, &ev);
  show_line(fd);
  struct timespec past = {1, 0};
  report("send to the full queue", send_(fd, "m3", 2, 0, &past));
  receive_all(fd, 8);
  printf("  registered while not empty, then emptied: sig %d\n", got_sig);
  send_(fd, "m4", 2, 0, 0);
  printf("  empty to one: sig %d code %d value %d\n", got_sig, got_code, got_value);
  receive_all(fd, 8);
  got_sig = 0;
  ev.sigev_notify = SIGEV_NONE;
  SYS(mq_notify, fd, &ev);
  show_line(fd);
  send_(fd, "m5", 2, 0, 0);
  show_line(fd);
  receive_all(fd, 8);
  ev.sigev_notify = SIGEV_SIGNAL;
  ev.sigev_signo = 0;
  SYS(mq_notify, fd, &ev);
  show_line(fd);
  send_(fd, "m6", 2, 0, 0);
  SYS(mq_notify, fd, &ev);
  receive_all(fd, 8);
  int dup1 = dup(fd);
  close(dup1); /* flush: the caller's registration goes */
  ev.sigev_signo = SIGUSR1;
  SYS(mq_notify, fd, &ev);
  show_line(fd);
  printf("  sig so far %d\n", got_sig);
  SYS(mq_notify, fd, 0);
  printf("-- SIGEV_THREAD: a netlink socket\n");
  ev.sigev_notify = SIGEV_THREAD;
  ev.sigev_value.sival_ptr = BAD;
  ev.sigev_signo = fd;
  SYS(mq_notify, fd, &ev);
  char cookie[32] = {0};
  ev.sigev_value.sival_ptr = cookie;
  ev.sigev_signo = 99;
  SYS(mq_notify, fd, &ev);
  ev.sigev_signo = fd;
  SYS(mq_notify, fd, &ev);
  int sv[2];
  socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
  ev.sigev_signo = sv[0];
  SYS(mq_notify, fd, &ev);
  close(sv[0]);
  close(sv[1]);
  close(fd);
  syscall(SYS_mq_unlink, name(0));
}

static int blocked_fd;
static void receiver(void) {
  char buf[8];
  unsigned prio = 0;
  long n = recv_(blocked_fd, buf, 8, &prio, 0);
  printf("  child received %ld %s [%.*s] prio %u\n", n, n < 0 ? strerrorname_np(errno) : "", n > 0 ? (int)n : 0, buf, prio);
  fflush(stdout);
}

/* A forked child blocked in receiver()'s mq_timedreceive (until_asleep: its state is S). */
static pid_t asleep_receiver(void) {
  pid_t kid = (fflush(stdout), fork());
  if (kid == 0) {
    receiver();
    _exit(0);
  }
  until_asleep(kid);
  return kid;
}

static void blocking(void) {
  printf("-- blocking between processes\n");
  struct mq_attr a = {0, 1, 8, 0, {0}};
  int fd = blocked_fd = report("mq_open", mq_open_(name(2), O_RDWR | O_CREAT, 0600, &a));
  pid_t kid = asleep_receiver();
  show_line(fd);
  long sent = send_(fd, "hi", 2, 9, 0);
  wait_child(kid);
  report("sent to the waiting receiver", sent);
  show_attr(fd);
  send_(fd, "one", 3, 1, 0);
  kid = (fflush(stdout), fork());
  if (kid == 0) {
    report("child send to a full queue", send_(fd, "two", 3, 2, 0));
    _exit(0);
  }
  until_asleep(kid);
  show_attr(fd);
  char buf[8];
  long n = recv_(fd, buf, 8, 0, 0);
  wait_child(kid);
  printf("  received %ld [%.*s]\n", n, (int)n, buf);
  receive_all(fd, 8);
  printf("-- a signal interrupts the wait\n");
  struct sigaction sa = {0};
  sa.sa_handler = on_usr2;
  sigaction(SIGUSR2, &sa, 0);
  kid = asleep_receiver();
  kill(kid, SIGUSR2);
  wait_child(kid);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGUSR2, &sa, 0);
  kid = asleep_receiver();
  kill(kid, SIGUSR2);
  until_asleep(kid);
  send_(fd, "after", 5, 4, 0);
  wait_child(kid);
  close(fd);
  syscall(SYS_mq_unlink, name(2));
}

static void as_other(void) {
  report("open 0644 rdwr", mq_open_(name(0), O_RDWR, 0, 0));
  report("open 0644 rdonly", mq_open_(name(0), O_RDONLY, 0, 0));
  report("unlink", syscall(SYS_mq_unlink, name(0)));
}

static void limits(void) {
  printf("-- permissions\n");
  struct mq_attr a = {0, 1, 1, 0, {0}};
  int fd = mq_open_(name(0), O_RDWR | O_CREAT, 0644, &a);
  fflush(stdout);
  as_nobody(as_other);
  close(fd);
  syscall(SYS_mq_unlink, name(0));
  printf("-- RLIMIT_MSGQUEUE and queues_max\n");
  int fds[300], n;
  char qn[64];
  for (n = 0; n < 20; n++) {
    snprintf(qn, sizeof qn, "%s-%d", name(3), n);
    fds[n] = mq_open_(qn, O_RDWR | O_CREAT, 0600, 0);
    if (fds[n] < 0) break;
  }
  printf("  default queues: %d, then %s\n", n, strerrorname_np(errno));
  for (int i = 0; i < n; i++) {
    snprintf(qn, sizeof qn, "%s-%d", name(3), i);
    close(fds[i]);
    syscall(SYS_mq_unlink, qn);
  }
  struct rlimit rl = {1000, 819200};
  setrlimit(RLIMIT_MSGQUEUE, &rl);
  struct mq_attr sizes[] = {{0, 2, 400, 0, {0}}, {0, 2, 404, 0, {0}}, {0, 2, 405, 0, {0}}};
  for (int i = 0; i < 3; i++) {
    long r = mq_open_(name(1), O_RDWR | O_CREAT, 0600, &sizes[i]);
    printf("mq_open 2 x %ld under 1000 bytes = %s\n", sizes[i].mq_msgsize, r < 0 ? strerrorname_np(errno) : "ok");
    if (r >= 0) close(r), syscall(SYS_mq_unlink, name(1));
  }
  rl.rlim_cur = 819200;
  setrlimit(RLIMIT_MSGQUEUE, &rl);
  for (n = 0; n < 300; n++) {
    snprintf(qn, sizeof qn, "%s-%d", name(3), n);
    fds[n] = mq_open_(qn, O_RDWR | O_CREAT, 0600, &a);
    if (fds[n] < 0) break;
  }
  printf("  queues of one byte: %d, then %s\n", n, strerrorname_np(errno));
  if (n > 0) {
    snprintf(qn, sizeof qn, "%s-%d", name(3), 0);
    syscall(SYS_mq_unlink, qn); /* unlinked, still open: still counted */
    report("one more", mq_open_(name(1), O_RDWR | O_CREAT, 0600, &a));
    close(fds[0]);
    long r = report("after its last close", mq_open_(name(1), O_RDWR | O_CREAT, 0600, &a));
    if (r >= 0) close(r), syscall(SYS_mq_unlink, name(1));
  }
  for (int i = 1; i < n; i++) {
    snprintf(qn, sizeof qn, "%s-%d", name(3), i);
    close(fds[i]);
    syscall(SYS_mq_unlink, qn);
  }
}

int main(void) {
  for (int fd = 3; fd < 1024; fd++) close(fd);
  umask(022);
  setvbuf(stdout, 0, _IOLBF, 0); /* each line out before the next fork or wait */
  for (int i = 0; i < 4; i++) snprintf(names[i], sizeof names[i], "/dbtlab-mq-%d-%d", (int)getpid(), i);
  errors();
  basics();
  notify();
  blocking();
  limits();
  for (int i = 0; i < 3; i++) syscall(SYS_mq_unlink, name(i));
  return 0;
}
