/* mknod/mknodat of every type (errors included) and named pipes: open's waits and ENXIO,
 * reads at the end and with a writer, POLLHUP beside POLLIN once the writers left bytes
 * behind, EPIPE, and a FIFO between two processes that both wait in open for each other. */
#include "common.h"
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#define BIG (200 * 1000)

static void show(const char *path) {
  struct stat st;
  if (lstat(path, &st) < 0) {
    printf("stat %s: %s\n", path, strerrorname_np(errno));
    return;
  }
  printf("stat %s: type %o perm %o", path, st.st_mode & S_IFMT, st.st_mode & 07777);
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) printf(" dev %u,%u", major(st.st_rdev), minor(st.st_rdev));
  printf("\n");
}

static void poll_in(const char *what, int fd) {
  struct pollfd p = {fd, POLLIN, 0};
  int n = poll(&p, 1, 0);
  printf("poll %s = %d revents %#x\n", what, n, p.revents);
}

int main(void) {
  setvbuf(stdout, 0, _IOLBF, 0);
  signal(SIGPIPE, SIG_IGN);
  umask(022);
  SYS(mknod, "fifo", S_IFIFO | 0666, 0);
  show("fifo");
  SYS(mknod, "fifo", S_IFIFO | 0666, 0);
  SYS(mknod, "none/fifo", S_IFIFO | 0666, 0);
  SYS(mknod, BAD, S_IFIFO | 0666, 0);
  SYS(mknod, "reg", S_IFREG | 0640, 0);
  SYS(mknod, "reg0", 0604, 0);
  SYS(mknod, "sock", S_IFSOCK | 0777, 0);
  SYS(mknod, "dir", S_IFDIR | 0755, 0);
  SYS(mknod, "bad", 0170000 | 0644, 0);
  SYS(mknod, "chr", S_IFCHR | 0600, makedev(1, 3));
  SYS(mknod, "blk", S_IFBLK | 0660, makedev(7, 300));
  int dir = open(".", O_RDONLY | O_DIRECTORY);
  SYS(mknodat, dir, "fifo2", S_IFIFO | 0700, 0);
  SYS(mknodat, -1, "fifo3", S_IFIFO | 0700, 0);
  const char *names[] = {"reg", "reg0", "sock", "chr", "blk", "fifo2"};
  for (unsigned i = 0; i < sizeof names / sizeof *names; i++) show(names[i]);

  /* no reader: a non-blocking writer's open fails; a non-blocking reader opens at once and
   * reads the end of file, its poll silent until a writer has come */
  SYS(open, "fifo", O_WRONLY | O_NONBLOCK);
  int r = SYS(open, "fifo", O_RDONLY | O_NONBLOCK);
  char buf[64];
  SYS(read, r, buf, sizeof buf);
  poll_in("no writer yet", r);
  int w = SYS(open, "fifo", O_WRONLY | O_NONBLOCK);
  SYS(read, r, buf, sizeof buf);
  poll_in("writer, empty", r);
  SYS(write, w, "hello", 5);
  poll_in("writer, bytes", r);
  close(w);
  poll_in("writer gone, bytes left", r);
  SYS(read, r, buf, 3);
  poll_in("writer gone, 2 left", r);
  SYS(read, r, buf, sizeof buf);
  poll_in("writer gone, drained", r);
  SYS(read, r, buf, sizeof buf);
  /* O_RDWR never waits; the reader gone: EPIPE */
  int rw = SYS(open, "fifo", O_RDWR);
  struct stat st;
  fstat(rw, &st);
  printf("fstat O_RDWR fifo: fifo %d\n", S_ISFIFO(st.st_mode));
  w = SYS(open, "fifo", O_WRONLY);
  close(r);
  close(rw);
  SYS(write, w, "x", 1);
  close(w);

  /* two processes meet in open: the child writes BIG bytes (more than the pipe holds) */
  pid_t pid = fork();
  if (pid == 0) {
    int fd = open("fifo", O_WRONLY);
    static char out[BIG];
    for (int i = 0; i < BIG; i++) out[i] = (char)(i * 13);
    long done = 0, n;
    while (done < BIG && (n = write(fd, out + done, BIG - done)) > 0) done += n;
    printf("child wrote %ld\n", done);
    _exit(0);
  }
  r = open("fifo", O_RDONLY);
  static char in[BIG];
  long total = 0, n, sum = 0;
  while ((n = read(r, in + total, BIG - total > 1000 ? 1000 : BIG - total)) > 0) total += n;
  for (long i = 0; i < total; i++) sum += (unsigned char)in[i] ^ (i & 0xff);
  SYS(read, r, buf, 1);
  wait_child(pid);
  printf("parent read %ld, sum %ld\n", total, sum);
  close(r);

  /* the writer leaves bytes and exits before the reader polls */
  pid = fork();
  if (pid == 0) {
    int fd = open("fifo", O_WRONLY);
    write(fd, "abc", 3);
    _exit(0);
  }
  r = open("fifo", O_RDONLY);
  wait_child(pid);
  poll_in("child gone, bytes left", r);
  SYS(read, r, buf, sizeof buf);
  SYS(read, r, buf, sizeof buf);
  return 0;
}
