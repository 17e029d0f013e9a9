/* The ioctls Linux answers for every descriptor (do_vfs_ioctl): FIONBIO sets and clears O_NONBLOCK
 * (a read of an empty pipe or socket then fails EAGAIN), FIOCLEX and FIONCLEX the close-on-exec
 * flag, on a regular file, a directory, a pipe and a socketpair; EFAULT for a bad flag pointer,
 * EBADF for a closed or O_PATH descriptor, ENOTTY for an ioctl no such file knows. */
#include "common.h"
#include <sys/ioctl.h>
#include <sys/socket.h>

static void show(const char *what, int fd) {
  int fl = fcntl(fd, F_GETFL), fd_fl = fcntl(fd, F_GETFD);
  printf("%s: nonblock %d cloexec %d\n", what, (fl & O_NONBLOCK) != 0, fd_fl & FD_CLOEXEC);
}

static void probe(const char *what, int fd, int readable) {
  int on = 1, off = 0;
  char c;
  show(what, fd);
  SYS(ioctl, fd, FIONBIO, &on);
  show(what, fd);
  if (readable) SYS(read, fd, &c, 1);
  SYS(ioctl, fd, FIONBIO, &off);
  show(what, fd);
  on = 0x100; /* any nonzero int */
  SYS(ioctl, fd, FIONBIO, &on);
  show(what, fd);
  SYS(ioctl, fd, FIONBIO, BAD);
  SYS(ioctl, fd, FIOCLEX);
  show(what, fd);
  SYS(ioctl, fd, FIONCLEX, BAD);
  show(what, fd);
  SYS(ioctl, fd, FIONBIO, &off);
  SYS(ioctl, fd, 0x5499, 0);
}

int main(void) {
  setvbuf(stdout, 0, _IOLBF, 0);
  int fd = open("f", O_RDWR | O_CREAT, 0644);
  probe("file", fd, 0);
  int d = open(".", O_RDONLY | O_DIRECTORY);
  probe("dir", d, 0);
  int p[2];
  pipe(p);
  probe("pipe", p[0], 1);
  int s[2];
  socketpair(AF_UNIX, SOCK_STREAM, 0, s);
  probe("socket", s[0], 1);
  int path = open("f", O_PATH);
  int on = 1;
  SYS(ioctl, path, FIONBIO, &on);
  SYS(ioctl, path, FIOCLEX);
  close(fd);
  SYS(ioctl, fd, FIONBIO, &on);
  SYS(ioctl, -1, FIOCLEX);
  return 0;
}
