/* /proc/PID/io: the field names, and what the read and write families add to rchar, wchar,
 * syscr and syscw (the values at start count the program's loading natively: only differences
 * print, less what reading the file itself added); a forked child's counts start at 0, a
 * thread's calls count in its own task/TID/io and in the process's; sendfile and copy_file_range
 * count both sides, splice neither. */
#include "common.h"
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/sendfile.h>
#include <sys/uio.h>

static char out[8192];
static int outlen;
/* Output is kept until the end: writing it would count. */
#define SAY(...) (outlen += snprintf(out + outlen, sizeof out - outlen, __VA_ARGS__))

struct io { long long rchar, wchar, syscr, syscw, len; };

/* One open and one read of `path`: its four counters and the length read. */
static struct io snap(const char *path, int names) {
  static char buf[1024];
  struct io v = { 0 };
  int fd = syscall(SYS_openat, AT_FDCWD, path, O_RDONLY);
  long n = syscall(SYS_read, fd, buf, sizeof buf - 1);
  syscall(SYS_close, fd);
  buf[n > 0 ? n : 0] = 0;
  v.len = n;
  for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
    char *colon = strchr(line, ':');
    if (!colon) continue;
    *colon = 0;
    long long x = atoll(colon + 1);
    if (names) SAY("field %s\n", line);
    if (!strcmp(line, "rchar")) v.rchar = x;
    if (!strcmp(line, "wchar")) v.wchar = x;
    if (!strcmp(line, "syscr")) v.syscr = x;
    if (!strcmp(line, "syscw")) v.syscw = x;
  }
  return v;
}

static void diff(const char *what, struct io a, struct io b) {
  SAY("%s: rchar +%lld wchar +%lld syscr +%lld syscw +%lld\n", what, b.rchar - a.rchar - a.len, b.wchar - a.wchar, b.syscr - a.syscr - 1, b.syscw - a.syscw);
}
/* The difference since *a, which becomes the new snapshot. */
static void step(const char *what, struct io *a) {
  struct io b = snap("/proc/self/io", 0);
  diff(what, *a, b);
  *a = b;
}

static char tidpath[64];
static void *thread_main(void *arg) {
  (void)arg;
  snprintf(tidpath, sizeof tidpath, "/proc/self/task/%ld/io", syscall(SYS_gettid));
  struct io a = snap(tidpath, 0);
  int fd = syscall(SYS_openat, AT_FDCWD, "f", O_RDONLY);
  char b[40];
  syscall(SYS_read, fd, b, sizeof b);
  syscall(SYS_read, fd, b, sizeof b);
  syscall(SYS_close, fd);
  diff("thread's own", a, snap(tidpath, 0));
  return NULL;
}

int main(void) {
  char data[100];
  memset(data, 'x', sizeof data);
  struct io a = snap("/proc/self/io", 1);
  int fd = syscall(SYS_openat, AT_FDCWD, "f", O_CREAT | O_RDWR, 0644);
  syscall(SYS_write, fd, data, 100);
  step("write 100", &a);
  syscall(SYS_pwrite64, fd, data, 50, 0, 0);
  struct iovec iov[2] = { { data, 10 }, { data, 20 } };
  syscall(SYS_writev, fd, iov, 2);
  syscall(SYS_write, fd, data, 0);
  step("pwrite 50, writev 30, write 0", &a);
  syscall(SYS_lseek, fd, 0, SEEK_SET);
  syscall(SYS_read, fd, data, 64);
  syscall(SYS_read, fd, data, 100);
  syscall(SYS_read, fd, data, 100);
  syscall(SYS_readv, fd, iov, 2);
  step("read 64, 66, 0, readv 0", &a);
  syscall(SYS_read, 99, data, 10);
  syscall(SYS_write, 99, data, 10);
  int ro = syscall(SYS_openat, AT_FDCWD, "f", O_RDONLY);
  syscall(SYS_write, ro, data, 10);
  step("EBADF read, write, write to O_RDONLY", &a);
  syscall(SYS_readv, 99, iov, 2);
  syscall(SYS_writev, 99, iov, 2);
  syscall(SYS_writev, ro, iov, 2);
  step("EBADF readv, writev, writev to O_RDONLY (counted)", &a);
  int g = syscall(SYS_openat, AT_FDCWD, "g", O_CREAT | O_RDWR, 0644);
  off_t off = 0;
  sendfile(g, ro, &off, 10);
  step("sendfile 10", &a);
  sendfile(g, ro, &off, 0);
  sendfile(g, 99, &off, 10);
  step("sendfile 0, sendfile from a bad fd", &a);
  loff_t cin = 0, cout = 0;
  syscall(SYS_copy_file_range, ro, &cin, g, &cout, 12, 0);
  step("copy_file_range 12", &a);
  syscall(SYS_copy_file_range, ro, &cin, g, &cout, 0, 0);
  step("copy_file_range 0", &a);
  int p[2];
  pipe(p);
  loff_t sin = 0;
  splice(ro, &sin, p[1], NULL, 9, 0);
  splice(p[0], NULL, g, NULL, 9, 0);
  step("splice file to pipe 9, pipe to file 9", &a);
  syscall(SYS_write, p[1], data, 7);
  syscall(SYS_read, p[0], data, 100);
  fcntl(p[0], F_SETFL, O_NONBLOCK);
  syscall(SYS_read, p[0], data, 100);
  step("pipe write 7, read 7, read EAGAIN", &a);
  pthread_t t;
  pthread_create(&t, NULL, thread_main, NULL);
  pthread_join(t, NULL);
  struct io b = snap("/proc/self/io", 0);
  SAY("process after the thread: syscr +%lld (its 2 reads and 2 snapshots)\n", b.syscr - a.syscr - 1);
  pid_t pid = fork();
  if (pid == 0) {
    struct io c = snap("/proc/self/io", 0);
    SAY("child at start: rchar %lld wchar %lld syscr %lld syscw %lld\n", c.rchar, c.wchar, c.syscr, c.syscw);
    write(1, out, outlen);
    _exit(0);
  }
  int st;
  waitpid(pid, &st, 0);
  write(1, out, outlen);
  return 0;
}
