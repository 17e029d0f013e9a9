/* The magic links to a process's own descriptors: open, stat and readlink of /proc/self/fd/N,
 * /dev/fd/N and /dev/stdin|stdout|stderr reach the process's fd N (bash hands <(cmd) to programs as
 * /dev/fd/63; scripts write to /dev/stderr), for pipes, regular files, closed fds, sockets and
 * eventfds, as the kernel follows them: a new description (own offset, own access mode). */
#include "common.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>

static char path[64];
static const char *link_of(const char *fmt, int fd) {
  snprintf(path, sizeof path, fmt, fd);
  return path;
}

static void pipes(void) {
  int p[2];
  char buf[16] = {0};
  pipe(p);
  write(p[1], "abc", 3);
  int r = SYS(open, link_of("/dev/fd/%d", p[0]), O_RDONLY);
  printf("  read %ld\n", (long)read(r, buf, sizeof buf - 1));
  int w = SYS(open, link_of("/proc/self/fd/%d", p[0]), O_WRONLY);
  write(w, "de", 2);
  printf("  read %ld\n", (long)read(p[0], buf, sizeof buf - 1));
  struct stat a, b;
  fstat(p[0], &a);
  printf("  stat %d\n", stat(link_of("/dev/fd/%d", w), &b));
  printf("  fifo %d same inode %d\n", S_ISFIFO(b.st_mode), a.st_ino == b.st_ino);
  int rw = SYS(open, link_of("/dev/fd/%d", p[1]), O_RDWR | O_NONBLOCK);
  close(p[1]);
  close(w);
  /* the O_RDWR description is a writer too: reading finds no end of file */
  fcntl(r, F_SETFL, O_NONBLOCK);
  long n = read(r, buf, 1);
  printf("  read %ld %s\n", n, strerrorname_np(errno));
  close(rw);
  printf("  read at end %ld\n", (long)read(r, buf, 1));
  close(r);
  /* a write-only open with no reader left: a pipe's open does not fail as a FIFO's does */
  int q[2];
  pipe(q);
  close(q[0]);
  SYS(open, link_of("/dev/fd/%d", q[1]), O_WRONLY | O_NONBLOCK);
  close(q[1]);
  close(p[0]);
}

static void files(void) {
  int fd = open("f", O_CREAT | O_RDWR | O_TRUNC, 0644);
  write(fd, "0123456789", 10);
  int again = SYS(open, link_of("/proc/self/fd/%d", fd), O_RDONLY);
  char buf[8] = {0};
  printf("  own offset: read %ld '%s', first at %ld\n", (long)read(again, buf, 4), buf, (long)lseek(fd, 0, SEEK_CUR));
  SYS(open, link_of("/dev/fd/%d", fd), O_WRONLY | O_TRUNC);
  struct stat st;
  fstat(fd, &st);
  printf("  truncated to %ld\n", (long)st.st_size);
  SYS(open, link_of("/dev/fd/%d", 99), O_RDONLY);
  printf("  stat %d %s\n", stat(link_of("/proc/self/fd/%d", 99), &st), strerrorname_np(errno));
  int e = eventfd(0, 0);
  SYS(open, link_of("/dev/fd/%d", e), O_RDONLY);
  int sv[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
  SYS(open, link_of("/proc/self/fd/%d", sv[0]), O_RDWR);
}

/* A child whose stdout and stderr are a pipe writes through /dev/stdout and /dev/stderr. */
static void std_links(void) {
  int p[2];
  pipe(p);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(p[1], 1);
    dup2(p[1], 2);
    close(p[0]);
    close(p[1]);
    int o = open("/dev/stdout", O_WRONLY);
    int e = open("/dev/stderr", O_WRONLY | O_APPEND);
    struct stat st;
    int fifo = stat("/dev/stdout", &st) == 0 && S_ISFIFO(st.st_mode);
    char l[64] = {0};
    readlink("/dev/stdout", l, sizeof l - 1);
    dprintf(o, "via stdout %d fifo %d\n", o > 2, fifo);
    dprintf(e, "via stderr %d %s\n", e > 2, l);
    _exit(0);
  }
  close(p[1]);
  char buf[128] = {0};
  size_t n = 0;
  ssize_t k;
  while ((k = read(p[0], buf + n, sizeof buf - 1 - n)) > 0) n += k;
  printf("%s", buf);
  wait_child(pid);
  close(p[0]);
}

int main(void) {
  pipes();
  files();
  std_links();
  return 0;
}
