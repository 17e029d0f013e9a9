/* Pipes as Linux keeps them: a ring of page buffers (16 by default). A write merges into the last
 * page when it fits, else takes new pages; pipe2(O_DIRECT) (or F_SETFL O_DIRECT on the writing
 * end) makes each write a packet of up to a page, and a read returns at most one packet (the rest
 * of a packet read short is dropped). F_GETPIPE_SZ/F_SETPIPE_SZ: the ring's size in bytes, a
 * power of two of pages, EBUSY below what it holds, EPERM above /proc/sys/fs/pipe-max-size
 * without CAP_SYS_RESOURCE. */
#include "common.h"
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/uio.h>

static char buf[70000];

static void rd(int fd, int len) {
  long n = read(fd, buf, len);
  if (n < 0) printf("read %d = -1 %s\n", len, strerrorname_np(errno));
  else printf("read %d = %ld '%.*s'\n", len, n, n > 16 ? 16 : (int)n, buf);
  fflush(stdout);
}

static void wr(int fd, const char *s, int len) {
  long n = write(fd, s, len);
  if (n < 0) printf("write %d = -1 %s\n", len, strerrorname_np(errno));
  else printf("write %d = %ld\n", len, n);
  fflush(stdout);
}

/* Writes of `len` bytes until the pipe is full: how many went in and the bytes it holds. */
static void fill(int fd[2], int len) {
  int writes = 0, partial = -1;
  long n;
  while ((n = write(fd[1], buf, len)) == len) writes++;
  if (n > 0) partial = n;
  int avail = -1;
  ioctl(fd[0], FIONREAD, &avail);
  struct pollfd p = { .fd = fd[1], .events = POLLOUT };
  poll(&p, 1, 0);
  printf("fill by %d: %d whole writes, then %d (%s), FIONREAD %d, POLLOUT %d\n", len, writes, partial, n < 0 ? strerrorname_np(errno) : "short", avail, !!(p.revents & POLLOUT));
  while (read(fd[0], buf, sizeof buf) > 0) {}
  fflush(stdout);
}

static void drain(int fd) {
  while (read(fd, buf, sizeof buf) > 0) {}
}

int main(void) {
  int fd[2];
  memset(buf, 'x', sizeof buf);
  report("pipe2 bad flag", pipe2(fd, O_APPEND));
  report("pipe2 O_DIRECT", pipe2(fd, O_DIRECT | O_NONBLOCK));
  printf("flags %o %o\n", fcntl(fd[0], F_GETFL), fcntl(fd[1], F_GETFL));
  wr(fd[1], "abc", 3);
  wr(fd[1], "defgh", 5);
  wr(fd[1], "ij", 2);
  int avail;
  ioctl(fd[0], FIONREAD, &avail);
  printf("FIONREAD %d\n", avail);
  rd(fd[0], 100);
  rd(fd[0], 2);
  rd(fd[0], 0);
  rd(fd[0], 100);
  rd(fd[0], 100);
  /* a write of more than a page: a packet per page */
  wr(fd[1], buf, 5000);
  rd(fd[0], 8192);
  rd(fd[0], 8192);
  wr(fd[1], buf, 4096);
  rd(fd[0], 8192);
  /* writev: one write, packets by the page, not by the iovec */
  struct iovec iov[3] = { { "12", 2 }, { "345", 3 }, { "6", 1 } };
  printf("writev = %ld\n", (long)writev(fd[1], iov, 3));
  rd(fd[0], 100);
  fill(fd, 1);
  fill(fd, 100);
  fill(fd, 5000);
  close(fd[0]);
  close(fd[1]);

  printf("-- a plain pipe\n");
  pipe2(fd, O_NONBLOCK);
  fill(fd, 1);
  fill(fd, 3000);
  fill(fd, 4096);
  fill(fd, 5000);
  fill(fd, 10000);
  /* a write's first (len % page) bytes merge into the last page if they fit */
  wr(fd[1], buf, 100);
  wr(fd[1], buf, 4096 + 50);
  ioctl(fd[0], FIONREAD, &avail);
  printf("FIONREAD %d\n", avail);
  fill(fd, 4096);
  /* O_DIRECT set on the writing end later: the plain bytes, then one packet, in one read */
  wr(fd[1], "ab", 2);
  report("F_SETFL O_DIRECT", fcntl(fd[1], F_SETFL, O_DIRECT | O_NONBLOCK));
  wr(fd[1], "cd", 2);
  wr(fd[1], "ef", 2);
  report("F_SETFL plain", fcntl(fd[1], F_SETFL, O_NONBLOCK));
  wr(fd[1], "gh", 2);
  wr(fd[1], "ij", 2);
  rd(fd[0], 100);
  rd(fd[0], 100);
  rd(fd[0], 100);
  rd(fd[0], 100);

  printf("-- F_SETPIPE_SZ\n");
  report("F_GETPIPE_SZ", fcntl(fd[0], F_GETPIPE_SZ));
  wr(fd[1], buf, 3 * 4096);
  report("F_SETPIPE_SZ 4096 (3 pages held)", fcntl(fd[1], F_SETPIPE_SZ, 4096));
  report("F_SETPIPE_SZ 16384", fcntl(fd[1], F_SETPIPE_SZ, 16384));
  report("F_GETPIPE_SZ", fcntl(fd[1], F_GETPIPE_SZ));
  fill(fd, 1000);
  report("F_SETPIPE_SZ 0", fcntl(fd[0], F_SETPIPE_SZ, 0));
  report("F_GETPIPE_SZ", fcntl(fd[0], F_GETPIPE_SZ));
  fill(fd, 1);
  fill(fd, 4096);
  report("F_SETPIPE_SZ 5000", fcntl(fd[0], F_SETPIPE_SZ, 5000));
  report("F_SETPIPE_SZ 2^31+1", fcntl(fd[0], F_SETPIPE_SZ, 0x80000001u));
  char max[32] = "";
  int m = open("/proc/sys/fs/pipe-max-size", O_RDONLY);
  read(m, max, sizeof max - 1);
  close(m);
  long maxsz = atol(max);
  printf("pipe-max-size %ld\n", maxsz);
  printf("F_SETPIPE_SZ max = %d\n", fcntl(fd[0], F_SETPIPE_SZ, maxsz) == maxsz);
  report("F_SETPIPE_SZ max+1", fcntl(fd[0], F_SETPIPE_SZ, maxsz + 1));
  report("F_SETPIPE_SZ 65536", fcntl(fd[0], F_SETPIPE_SZ, 65536));
  int f = open("file", O_RDWR | O_CREAT, 0644);
  report("F_GETPIPE_SZ of a file", fcntl(f, F_GETPIPE_SZ));
  report("F_SETPIPE_SZ of a file", fcntl(f, F_SETPIPE_SZ, 4096));
  drain(fd[0]);
  return 0;
}
