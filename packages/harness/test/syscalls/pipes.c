/* Pipes between processes: a blocking write larger than the pipe completes (no short count)
 * while the reader drains it in small reads; a non-blocking one stops at the capacity
 * (EAGAIN when full); a write once the reader is gone is EPIPE with SIGPIPE. */
#include "common.h"
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>

#define BIG (300 * 1000)

int main(void) {
  setvbuf(stdout, 0, _IOLBF, 0);
  static char buf[BIG];
  for (int i = 0; i < BIG; i++) buf[i] = (char)(i * 7);
  int fd[2];
  pipe(fd);
  pid_t pid = fork();
  if (pid == 0) {
    close(fd[1]);
    static char got[BIG];
    long total = 0, n, reads = 0, sum = 0;
    while ((n = read(fd[0], got + total, 1000)) > 0) total += n, reads++;
    for (long i = 0; i < total; i++) sum += (unsigned char)got[i] ^ (i & 0xff);
    printf("child read %ld bytes, in order: %s, sum %ld\n", total, memcmp(got, buf, BIG) == 0 ? "yes" : "no", sum);
    _exit(0);
  }
  close(fd[0]);
  long w = write(fd[1], buf, BIG);
  close(fd[1]);
  wait_child(pid);
  printf("blocking write of %d = %ld\n", BIG, w);
  /* non-blocking: the capacity, then EAGAIN */
  pipe(fd);
  fcntl(fd[1], F_SETFL, O_NONBLOCK);
  SYS(write, fd[1], buf, BIG);
  SYS(write, fd[1], buf, 1);
  /* the reader gone: EPIPE and SIGPIPE (ignored here) */
  signal(SIGPIPE, SIG_IGN);
  close(fd[0]);
  SYS(write, fd[1], buf, 1);
  return 0;
}
