/* Advisory locks between processes: flock (shared, exclusive, LOCK_NB, a description's lock
 * shared by fork, conversion, blocking until the holder unlocks, a signal with and without
 * SA_RESTART), fcntl record locks (F_GETLK's answer and l_pid, ranges merged and split, gone at
 * any close of the file, EDEADLK, F_SETLKW waking), OFD locks, and the errors of bad requests.
 * Waits are synchronised on /proc/PID/stat ('S') and pipes, never on time. */
#include "common.h"
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/file.h>
#include <time.h>

static int to_child[2], to_parent[2];

static void say(int fd) { write(fd, "x", 1); }
static void hear(int fd) {
  char c;
  read(fd, &c, 1);
}

static void show(const char *what, int r) {
  printf("%s: %d %s\n", what, r, r < 0 ? strerrorname_np(errno) : "");
  fflush(stdout);
}

static int lk(int fd, int cmd, short type, short whence, long start, long len) {
  struct flock fl = {.l_type = type, .l_whence = whence, .l_start = start, .l_len = len};
  return fcntl(fd, cmd, &fl);
}

/* fcntl with struct flock64 (OFD commands), past libc's conversions */
#ifdef SYS_fcntl64
#define ofd(fd, cmd, fl) syscall(SYS_fcntl64, fd, cmd, fl)
#else
#define ofd(fd, cmd, fl) syscall(SYS_fcntl, fd, cmd, fl)
#endif

static pid_t parent_pid;
/* F_GETLK for a write lock over [start, start+len): the lock in the way, its owner as "parent", "child" or "none" (OFD). */
static void getlk(const char *what, int fd, long start, long len) {
  struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = start, .l_len = len};
  int r = fcntl(fd, F_GETLK, &fl);
  if (r < 0) return show(what, r);
  const char *type = fl.l_type == F_UNLCK ? "F_UNLCK" : fl.l_type == F_RDLCK ? "F_RDLCK" : "F_WRLCK";
  if (fl.l_type == F_UNLCK) printf("%s: %s\n", what, type);
  else printf("%s: %s [%ld, +%ld) whence %d pid %s\n", what, type, (long)fl.l_start, (long)fl.l_len, fl.l_whence, fl.l_pid == parent_pid ? "parent" : fl.l_pid == -1 ? "-1" : "other");
  fflush(stdout);
}

static volatile int handled;
static void on_usr1(int sig) { handled = sig; }

/* A child blocked in flock(LOCK_EX) is signalled: with SA_RESTART it goes on waiting and gets the lock once the parent unlocks, without it EINTR. */
static void flock_signal(int restart) {
  int fd = open("f", O_RDWR);
  flock(fd, LOCK_EX);
  pid_t pid = fork();
  if (pid == 0) {
    struct sigaction sa = {.sa_handler = on_usr1, .sa_flags = restart ? SA_RESTART : 0};
    sigaction(SIGUSR1, &sa, NULL);
    int mine = open("f", O_RDWR);
    say(to_parent[1]);
    int r = flock(mine, LOCK_EX);
    printf("child flock %s: %d %s, handler %s\n", restart ? "SA_RESTART" : "no SA_RESTART", r, r < 0 ? strerrorname_np(errno) : "", handled ? "ran" : "did not run");
    fflush(stdout);
    exit(0);
  }
  hear(to_parent[0]);
  until_asleep(pid);
  kill(pid, SIGUSR1);
  if (restart) {
    /* back to sleep in the restarted call, then the lock comes free */
    struct timespec ts = {0, 20000000};
    nanosleep(&ts, NULL);
    until_asleep(pid);
    flock(fd, LOCK_UN);
  }
  wait_child(pid);
  close(fd);
}

int main(void) {
  for (int fd = 3; fd < 64; fd++) close(fd);
  parent_pid = getpid();
  pipe(to_child);
  pipe(to_parent);
  int fd = open("f", O_RDWR | O_CREAT, 0644);
  write(fd, "0123456789012345678901234567890123456789", 40);

  /* ---- flock ---- */
  show("flock bad fd", flock(99, LOCK_SH));
  show("flock op 0", flock(fd, 0));
  show("flock LOCK_SH|LOCK_EX", flock(fd, LOCK_SH | LOCK_EX));
  show("flock LOCK_UN|LOCK_NB, no lock", flock(fd, LOCK_UN | LOCK_NB));
  show("parent flock LOCK_SH", flock(fd, LOCK_SH));
  pid_t pid = fork();
  if (pid == 0) {
    int mine = open("f", O_RDONLY);
    show("child: another description LOCK_EX|LOCK_NB", flock(mine, LOCK_EX | LOCK_NB));
    show("child: another description LOCK_SH|LOCK_NB", flock(mine, LOCK_SH | LOCK_NB));
    show("child: the inherited description LOCK_EX|LOCK_NB (converts the shared lock)", flock(fd, LOCK_EX | LOCK_NB));
    show("child: own LOCK_UN", flock(mine, LOCK_UN));
    show("child: inherited LOCK_EX|LOCK_NB again", flock(fd, LOCK_EX | LOCK_NB));
    exit(0);
  }
  wait_child(pid);
  int other = open("f", O_RDONLY);
  show("parent: another description LOCK_SH|LOCK_NB against the exclusive one", flock(other, LOCK_SH | LOCK_NB));
  show("parent: LOCK_UN through the first description", flock(fd, LOCK_UN));
  show("parent: another description LOCK_EX|LOCK_NB now", flock(other, LOCK_EX | LOCK_NB));
  close(other);
  show("after closing that description: LOCK_EX|LOCK_NB", flock(fd, LOCK_EX | LOCK_NB));
  /* a blocked flock wakes when the holder unlocks */
  pid = fork();
  if (pid == 0) {
    int mine = open("f", O_RDWR);
    say(to_parent[1]);
    int r = flock(mine, LOCK_SH);
    show("child: blocking LOCK_SH returned", r);
    exit(0);
  }
  hear(to_parent[0]);
  until_asleep(pid);
  int r = flock(fd, LOCK_UN);
  wait_child(pid);
  show("parent: LOCK_UN with the child waiting", r);
  flock_signal(0);
  flock_signal(1);

  /* ---- record locks ---- */
  show("F_SETLK write [0,10)", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 10));
  show("F_SETLK read [20,30)", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 20, 10));
  show("F_SETLK read [30,35) (merges)", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 30, 5));
  show("F_SETLK unlock [3,5) (splits)", lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 3, 2));
  show("F_SETLK write from SEEK_END -2, len -3: [35,38)", lk(fd, F_SETLK, F_WRLCK, SEEK_END, -2, -3));
  getlk("parent's own F_GETLK", fd, 0, 0);
  pid = fork();
  if (pid == 0) {
    int mine = open("f", O_RDWR);
    getlk("child F_GETLK [0,+1)", mine, 0, 1);
    getlk("child F_GETLK [3,+2)", mine, 3, 2);
    getlk("child F_GETLK [4,+10)", mine, 4, 10);
    getlk("child F_GETLK [10,+10)", mine, 10, 10);
    getlk("child F_GETLK [12,+16)", mine, 12, 16);
    getlk("child F_GETLK [34,+1)", mine, 34, 1);
    getlk("child F_GETLK [36,+0)", mine, 36, 0);
    getlk("child F_GETLK [38,+0)", mine, 38, 0);
    show("child F_SETLK read [25,26) beside the parent's read lock", lk(mine, F_SETLK, F_RDLCK, SEEK_SET, 25, 1));
    show("child F_SETLK write [25,26)", lk(mine, F_SETLK, F_WRLCK, SEEK_SET, 25, 1));
    show("child F_SETLK write [3,5)", lk(mine, F_SETLK, F_WRLCK, SEEK_SET, 3, 2));
    show("child F_SETLK write [5,6)", lk(mine, F_SETLK, F_WRLCK, SEEK_SET, 5, 1));
    say(to_parent[1]);
    hear(to_child[0]);
    getlk("child F_GETLK [0,+0) after the parent closed another fd of the file", mine, 0, 0);
    exit(0);
  }
  hear(to_parent[0]);
  getlk("parent F_GETLK [3,+2) (the child's)", fd, 3, 2);
  int again = open("f", O_RDONLY);
  close(again);
  getlk("parent F_GETLK [3,+2) after its own close", fd, 3, 2);
  say(to_child[1]);
  wait_child(pid);
  getlk("parent F_GETLK [3,+2) after the child exited", fd, 3, 2);

  /* EDEADLK: the child holds [1,2) and waits for the parent's [0,1); the parent asks for [1,2) */
  show("parent F_SETLK write [0,1)", lk(fd, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
  pid = fork();
  if (pid == 0) {
    int mine = open("f", O_RDWR);
    show("child F_SETLK write [1,2)", lk(mine, F_SETLK, F_WRLCK, SEEK_SET, 1, 1));
    say(to_parent[1]);
    int r = lk(mine, F_SETLKW, F_WRLCK, SEEK_SET, 0, 1);
    show("child F_SETLKW write [0,1) returned", r);
    exit(0);
  }
  hear(to_parent[0]);
  until_asleep(pid);
  show("parent F_SETLKW write [1,2)", lk(fd, F_SETLKW, F_WRLCK, SEEK_SET, 1, 1));
  r = lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 1);
  wait_child(pid);
  show("parent F_SETLK unlock [0,1)", r);
  show("parent F_SETLK unlock all", lk(fd, F_SETLK, F_UNLCK, SEEK_SET, 0, 0));

  /* ---- OFD locks ---- */
  int a = open("f", O_RDWR), b = open("f", O_RDWR);
  struct flock64 fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
  show("F_OFD_SETLK write [0,10) on a", ofd(a, F_OFD_SETLK, &fl));
  fl = (struct flock64){.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 5, .l_len = 1};
  show("F_OFD_GETLK on b", ofd(b, F_OFD_GETLK, &fl));
  printf("  l_type %d [%lld, +%lld) l_pid %d\n", fl.l_type, (long long)fl.l_start, (long long)fl.l_len, fl.l_pid);
  fl = (struct flock64){.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 5, .l_len = 1};
  show("F_OFD_SETLK read on b", ofd(b, F_OFD_SETLK, &fl));
  show("F_SETLK (POSIX) write [5,6) by the same process", lk(b, F_SETLK, F_WRLCK, SEEK_SET, 5, 1));
  getlk("F_GETLK (POSIX) [0,+0)", b, 0, 0);
  fl = (struct flock64){.l_type = F_RDLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1, .l_pid = 1};
  show("F_OFD_SETLK with l_pid 1", ofd(b, F_OFD_SETLK, &fl));
  /* F_UNLCK asks for the description's own locks (Linux 6.7) */
  fl = (struct flock64){.l_type = F_UNLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
  show("F_OFD_GETLK F_UNLCK on b", ofd(b, F_OFD_GETLK, &fl));
  printf("  l_type %d [%lld, +%lld) l_pid %d\n", fl.l_type, (long long)fl.l_start, (long long)fl.l_len, fl.l_pid);
  fl = (struct flock64){.l_type = F_UNLCK, .l_whence = SEEK_SET, .l_start = 8, .l_len = 0};
  show("F_OFD_GETLK F_UNLCK on a", ofd(a, F_OFD_GETLK, &fl));
  printf("  l_type %d [%lld, +%lld) l_pid %d\n", fl.l_type, (long long)fl.l_start, (long long)fl.l_len, fl.l_pid);
  close(b);
  b = open("f", O_RDWR);
  fl = (struct flock64){.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
  show("F_OFD_GETLK after closing another fd (the OFD lock stays)", ofd(b, F_OFD_GETLK, &fl));
  printf("  l_type %d l_pid %d\n", fl.l_type, fl.l_pid);
  pid = fork();
  if (pid == 0) {
    /* the child's copy of a is the same description: its OFD lock is the child's too */
    struct flock64 c = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    show("child F_OFD_SETLK write all through the inherited a", ofd(a, F_OFD_SETLK, &c));
    c = (struct flock64){.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
    show("child F_OFD_SETLK write all through the inherited b", ofd(b, F_OFD_SETLK, &c));
    exit(0);
  }
  wait_child(pid);
  close(a);
  fl = (struct flock64){.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
  show("F_OFD_SETLK on b once a is closed", ofd(b, F_OFD_SETLK, &fl));
  close(b);

  /* ---- bad requests ---- */
  int ro = open("f", O_RDONLY), wo = open("f", O_WRONLY);
  show("F_SETLK write on O_RDONLY", lk(ro, F_SETLK, F_WRLCK, SEEK_SET, 0, 1));
  show("F_SETLK read on O_WRONLY", lk(wo, F_SETLK, F_RDLCK, SEEK_SET, 0, 1));
  show("F_SETLK unlock on O_RDONLY", lk(ro, F_SETLK, F_UNLCK, SEEK_SET, 0, 1));
  show("F_SETLK type 7", lk(fd, F_SETLK, 7, SEEK_SET, 0, 1));
  show("F_SETLK whence 5", lk(fd, F_SETLK, F_RDLCK, 5, 0, 1));
  show("F_SETLK start -1", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, -1, 1));
  show("F_SETLK start 2 len -3", lk(fd, F_SETLK, F_RDLCK, SEEK_SET, 2, -3));
  show("F_SETLK write type 7 on O_RDONLY", lk(ro, F_SETLK, 7, SEEK_SET, 0, 1));
  show("F_GETLK F_UNLCK", lk(fd, F_GETLK, F_UNLCK, SEEK_SET, 0, 1));
  show("F_SETLK bad pointer", fcntl(fd, F_SETLK, BAD));
  show("F_GETLK bad fd", lk(99, F_GETLK, F_RDLCK, SEEK_SET, 0, 1));
  return 0;
}
