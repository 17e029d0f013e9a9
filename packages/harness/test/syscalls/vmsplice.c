/* vmsplice: segments into a pipe and out of it (what is left stays for read), the direction
 * set by the descriptor's access mode, SPLICE_F_NONBLOCK on a full and an empty pipe, a wait on
 * a full pipe until a child reads, no readers (EPIPE and SIGPIPE), no writers (0), and the errno
 * of unknown flags, bad and O_PATH descriptors, a file that is no pipe (only once there is
 * something to move), too many segments and bad pointers. */
#include "common.h"
#include <signal.h>
#include <sys/uio.h>

static void on_pipe(int sig) { printf("signal %d\n", sig); }

static void drain(int fd) {
  char buf[100];
  long n = read(fd, buf, sizeof buf);
  printf("  read %ld [%.*s]\n", n, n > 0 ? (int)n : 0, buf);
}

int main(void) {
  setvbuf(stdout, 0, _IOLBF, 0);
  signal(SIGPIPE, on_pipe);
  int p[2];
  pipe(p);
  char a[] = "abc", b[] = "defgh";
  struct iovec in[3] = {{a, 3}, {b, 0}, {b, 5}};
  SYS(vmsplice, p[1], in, 3, 0);
  drain(p[0]);
  /* out of the pipe: two segments of 4, the rest left for read */
  write(p[1], "hello world", 11);
  char x[4], y[4];
  struct iovec out[2] = {{x, 4}, {y, 4}};
  SYS(vmsplice, p[0], out, 2, 0);
  printf("  [%.4s] [%.4s]\n", x, y);
  drain(p[0]);
  /* flags */
  SYS(vmsplice, p[1], in, 1, 0x10);
  SYS(vmsplice, 999, in, 1, 0x10);
  SYS(vmsplice, p[1], in, 1, 0xf);
  drain(p[0]);
  /* descriptors */
  SYS(vmsplice, 999, in, 1, 0);
  int path = open(".", O_PATH);
  SYS(vmsplice, path, in, 1, 0);
  int file = open("f", O_RDWR | O_CREAT, 0600);
  SYS(vmsplice, file, in, 1, 0);
  struct iovec none[1] = {{a, 0}};
  SYS(vmsplice, file, none, 1, 0);
  SYS(vmsplice, file, in, 0, 0);
  /* iovecs */
  SYS(vmsplice, p[1], in, 1025, 0);
  SYS(vmsplice, p[1], BAD, 1, 0);
  SYS(vmsplice, file, BAD, 1, 0);
  struct iovec bad[1] = {{BAD, 4}};
  SYS(vmsplice, p[1], bad, 1, 0);
  write(p[1], "kept", 4);
  SYS(vmsplice, p[0], bad, 1, 0);
  drain(p[0]);
  /* an empty pipe */
  SYS(vmsplice, p[0], out, 2, SPLICE_F_NONBLOCK);
  /* a full pipe */
  fcntl(p[1], F_SETFL, O_NONBLOCK);
  static char big[65536];
  long filled = 0, n;
  while ((n = write(p[1], big, sizeof big)) > 0) filled += n;
  printf("filled %ld\n", filled);
  fcntl(p[1], F_SETFL, 0);
  SYS(vmsplice, p[1], in, 1, SPLICE_F_NONBLOCK);
  pid_t pid = fork();
  if (pid == 0) {
    struct timespec ts = {0, 50000000};
    nanosleep(&ts, 0);
    /* the count goes out by the exit status (in 512-byte units): a printf here would race the
       parent's line, since this read is what lets the parent's vmsplice go on */
    _exit((int)(read(p[0], big, 4096) / 512));
  }
  SYS(vmsplice, p[1], in, 3, 0);
  wait_child(pid);
  /* the pipe without readers, then without writers */
  int q[2];
  pipe(q);
  close(q[0]);
  SYS(vmsplice, q[1], in, 1, 0);
  pipe(q);
  close(q[1]);
  SYS(vmsplice, q[0], out, 2, 0);
  SYS(vmsplice, q[0], out, 2, SPLICE_F_NONBLOCK);
  return 0;
}
