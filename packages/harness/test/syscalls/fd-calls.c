/* Descriptor calls: close_range (a range closed or marked close-on-exec, CLOSE_RANGE_UNSHARE in a
 * child sharing the table), fcntl (i386's 55 is fcntl64 under a 64-bit kernel; x86-64 has no
 * F_GETLK64), setrlimit
 * (i386's 75: 32-bit fields, RLIM_INFINITY), preadv2/pwritev2 (offset -1 is the file position,
 * RWF_* flags), readahead and sync_file_range (which files, flags and ranges); each with the
 * kernel's errno on bad descriptors, arguments and pointers. */
#include "common.h"
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/uio.h>

#ifdef __i386__
#define OFF(x) (long)((unsigned long long)(x) & 0xffffffff), (long)((unsigned long long)(x) >> 32)
#define POS(x) OFF(x)
#else
#define OFF(x) (long)(x)
#define POS(x) (long)(x), 0L
#endif
#define CLOSE_RANGE_UNSHARE (1U << 1)
#define CLOSE_RANGE_CLOEXEC (1U << 2)

static void show_fds(const char *when) {
  printf("%s:", when);
  for (int fd = 10; fd < 24; fd++) {
    int f = fcntl(fd, F_GETFD);
    printf(" %d", f < 0 ? -1 : f);
  }
  printf("\n");
}

static int child_unshare(void *arg) {
  (void)arg;
  syscall(SYS_close_range, 20, 20, CLOSE_RANGE_UNSHARE);
  syscall(SYS_close_range, 21, 21, 0);
  return 0;
}
static int child_shared(void *arg) {
  (void)arg;
  syscall(SYS_close_range, 22, 22, 0);
  return 0;
}

static void show_rlimit(const char *when, int res) {
  struct { unsigned long cur, max; } r = {1, 1};
  long ret = syscall(SYS_getrlimit, res, &r);
  printf("%s: %ld %#lx %#lx\n", when, ret, r.cur, r.max);
}

int main(void) {
  setvbuf(stdout, 0, _IOLBF, 0);
  for (int fd = 3; fd < 1024; fd++) close(fd);
  /* close_range */
  for (int fd = 10; fd < 24; fd++) dup2(1, fd);
  show_fds("start");
  SYS(close_range, 11, 12, 0);
  SYS(close_range, 13, 14, CLOSE_RANGE_CLOEXEC);
  show_fds("closed 11-12, cloexec 13-14");
  SYS(close_range, 5, 4, 0);
  SYS(close_range, 10, 10, 1);
  SYS(close_range, 10, 10, 8);
  SYS(close_range, 2000, 3000, 0);
  SYS(close_range, 15, 15, CLOSE_RANGE_UNSHARE);
  show_fds("unshared 15");
  static char stack1[65536], stack2[65536];
  pid_t pid = clone(child_unshare, stack1 + sizeof stack1, CLONE_FILES | SIGCHLD, 0);
  wait_child(pid);
  show_fds("child unshared, closed 20 and 21");
  pid = clone(child_shared, stack2 + sizeof stack2, CLONE_FILES | SIGCHLD, 0);
  wait_child(pid);
  show_fds("child closed 22");
  SYS(close_range, 17, ~0U, CLOSE_RANGE_CLOEXEC);
  show_fds("cloexec from 17");
  SYS(close_range, 18, ~0U, 0);
  show_fds("closed from 18");

  /* fcntl */
  SYS(fcntl, 10, F_GETFD);
  SYS(fcntl, 10, F_SETFD, FD_CLOEXEC);
  SYS(fcntl, 10, F_GETFD);
  SYS(fcntl, 10, F_DUPFD, 30);
  SYS(fcntl, 10, F_DUPFD_CLOEXEC, 30);
  SYS(fcntl, 31, F_GETFD);
  SYS(fcntl, 10, 12, BAD);
  SYS(fcntl, 99, 12, BAD);
  SYS(fcntl, 99, F_GETFD);
  SYS(fcntl, 10, 9999);
  SYS(fcntl, 10, F_DUPFD, -1);

  /* setrlimit */
  show_rlimit("nofile", RLIMIT_NOFILE);
  struct { unsigned long cur, max; } r = {512, 4096};
  SYS(setrlimit, RLIMIT_NOFILE, &r);
  show_rlimit("nofile 512/4096", RLIMIT_NOFILE);
  SYS(fcntl, 10, F_DUPFD, 600);
  r.max = 8192;
  SYS(setrlimit, RLIMIT_NOFILE, &r);
  r.cur = 5000, r.max = 4096;
  SYS(setrlimit, RLIMIT_NOFILE, &r);
  r.cur = 0, r.max = ~0UL;
  SYS(setrlimit, RLIMIT_CORE, &r);
  show_rlimit("core", RLIMIT_CORE);
  r.cur = 1024 * 1024, r.max = ~0UL;
  SYS(setrlimit, RLIMIT_CORE, &r);
  show_rlimit("core 1M", RLIMIT_CORE);
  SYS(setrlimit, 99, &r);
  SYS(setrlimit, 99, BAD);
  SYS(setrlimit, RLIMIT_CORE, BAD);
  struct rlimit64 { uint64_t cur, max; } r64;
  syscall(SYS_prlimit64, 0, RLIMIT_CORE, 0, &r64);
  printf("prlimit64 core %#llx %#llx\n", (unsigned long long)r64.cur, (unsigned long long)r64.max);

  /* preadv2 / pwritev2 */
  int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0644);
  char a[8] = "abcdefgh", b[8];
  struct iovec wv[1] = {{a, 8}}, rv[1] = {{b, 4}}, zv[1] = {{b, 0}};
  SYS(pwritev2, fd, wv, 1, POS(0), 0);
  printf("pos %ld\n", (long)lseek(fd, 0, SEEK_CUR));
  SYS(pwritev2, fd, wv, 1, POS(-1), 0);
  printf("pos %ld\n", (long)lseek(fd, 0, SEEK_CUR));
  lseek(fd, 2, SEEK_SET);
  SYS(preadv2, fd, rv, 1, POS(-1), 0);
  printf("read %.4s pos %ld\n", b, (long)lseek(fd, 0, SEEK_CUR));
  SYS(preadv2, fd, rv, 1, POS(9), 0x1);
  printf("read %.4s pos %ld\n", b, (long)lseek(fd, 0, SEEK_CUR));
  SYS(preadv2, fd, rv, 1, POS(-2), 0);
  SYS(preadv2, fd, rv, 1, POS(0), 0x100);
  SYS(preadv2, fd, rv, 1, POS(0), 0x200);
  SYS(preadv2, fd, zv, 1, POS(0), 0x200);
  SYS(preadv2, fd, rv, 1, POS(0), 0x40);
  SYS(preadv2, fd, rv, 1, POS(0), 0x6);
  SYS(preadv2, fd, BAD, 1, POS(0), 0);
  SYS(preadv2, 99, rv, 1, POS(0), 0);
  SYS(preadv2, fd, rv, -1, POS(0), 0);
  SYS(pwritev2, fd, wv, 1, POS(0), 0x10);
  printf("size %ld pos %ld\n", (long)lseek(fd, 0, SEEK_END), (long)lseek(fd, 6, SEEK_SET));
  SYS(pwritev2, fd, wv, 1, POS(-1), 0x10);
  printf("size %ld pos %ld\n", (long)lseek(fd, 0, SEEK_END), (long)lseek(fd, 0, SEEK_CUR));
  SYS(pwritev2, fd, wv, 1, POS(0), 0x30);
  SYS(pwritev2, fd, wv, 1, POS(0), 0x40);
  SYS(pwritev2, fd, wv, 1, POS(0), 0x6);
  int ro = open("f", O_RDONLY);
  SYS(pwritev2, ro, wv, 1, POS(0), 0);
  SYS(preadv2, open("f", O_WRONLY), rv, 1, POS(0), 0);
  int p[2];
  pipe(p);
  SYS(pwritev2, p[1], wv, 1, POS(-1), 0);
  SYS(preadv2, p[0], rv, 1, POS(-1), 0);
  printf("pipe read %.4s\n", b);
  SYS(preadv2, p[0], rv, 1, POS(0), 0);
  SYS(pwritev2, p[1], wv, 1, POS(0), 0);
  close(p[0]);
  SYS(pwritev2, p[1], wv, 1, POS(-1), 0x100); /* RWF_NOSIGNAL: EPIPE, no SIGPIPE */

  /* readahead */
  int wo = open("f", O_WRONLY);
  mkdir("d", 0755);
  int dir = open("d", O_RDONLY | O_DIRECTORY);
  SYS(readahead, fd, OFF(0), 4096);
  SYS(readahead, fd, OFF(1 << 20), 4096);
  SYS(readahead, fd, OFF(-4096), 4096);
  SYS(readahead, p[0], OFF(0), 4096);
  SYS(readahead, dir, OFF(0), 4096);
  SYS(readahead, wo, OFF(0), 4096);
  SYS(readahead, 99, OFF(0), 4096);

  /* sync_file_range */
  SYS(sync_file_range, fd, OFF(0), OFF(0), 0);
  SYS(sync_file_range, fd, OFF(0), OFF(4096), 7);
  SYS(sync_file_range, fd, OFF(0), OFF(4096), 8);
  SYS(sync_file_range, fd, OFF(-1), OFF(4096), 0);
  SYS(sync_file_range, fd, OFF(0), OFF(-1), 0);
#ifdef __i386__ /* x86-64's arguments above 2^53 are not held exactly (syscall-args.ts) */
  SYS(sync_file_range, fd, OFF(0x7fffffffffffff00LL), OFF(0x1000), 0);
#endif
  SYS(sync_file_range, ro, OFF(0), OFF(0), 2);
  SYS(sync_file_range, p[0], OFF(0), OFF(0), 0);
  SYS(sync_file_range, dir, OFF(0), OFF(0), 0);
  SYS(sync_file_range, 99, OFF(0), OFF(0), 0);
  SYS(sync_file_range, 99, OFF(0), OFF(0), 8);
  return 0;
}
