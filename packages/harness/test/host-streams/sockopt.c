/* Socket calls on an inherited host socket (stdout and stderr are socketpairs, as Node's pipes
 * are): getsockopt and setsockopt reach the real socket (SO_SNDBUF as the kernel doubles it, a
 * timeval both ways, unknown options, bad pointers), then shutdown(SHUT_WR) ends stdout while
 * the process still runs: a write after it is EPIPE. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#define BAD ((void *)0xfffff000)

static void show(FILE *f, const char *what, int r) {
  fprintf(f, "%s = %d%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? strerrorname_np(errno) : "");
  fflush(f);
}

int main(void) {
  signal(SIGPIPE, SIG_IGN);
  int v = 0;
  socklen_t len = sizeof v;
  show(stdout, "getsockopt SO_TYPE", getsockopt(1, SOL_SOCKET, SO_TYPE, &v, &len));
  printf("type %d len %u\n", v, len);
  v = 65536;
  show(stdout, "setsockopt SO_SNDBUF", setsockopt(1, SOL_SOCKET, SO_SNDBUF, &v, sizeof v));
  len = sizeof v;
  show(stdout, "getsockopt SO_SNDBUF", getsockopt(1, SOL_SOCKET, SO_SNDBUF, &v, &len));
  printf("sndbuf %d\n", v);
  struct timeval tv = {3, 250000};
  show(stdout, "setsockopt SO_RCVTIMEO", setsockopt(1, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv));
  memset(&tv, 0, sizeof tv);
  len = sizeof tv;
  show(stdout, "getsockopt SO_RCVTIMEO", getsockopt(1, SOL_SOCKET, SO_RCVTIMEO, &tv, &len));
  printf("rcvtimeo %ld.%06ld, len sizeof(struct timeval) %d\n", (long)tv.tv_sec, (long)tv.tv_usec, len == sizeof tv);
  show(stdout, "setsockopt unknown", setsockopt(1, SOL_SOCKET, 9999, &v, sizeof v));
  show(stdout, "setsockopt short", setsockopt(1, SOL_SOCKET, SO_SNDBUF, &v, 2));
  show(stdout, "setsockopt bad pointer", setsockopt(1, SOL_SOCKET, SO_SNDBUF, BAD, sizeof v));
  show(stdout, "shutdown bad how", shutdown(1, 7));
  show(stdout, "shutdown SHUT_WR", shutdown(1, SHUT_WR));
  show(stderr, "write after shutdown", write(1, "x", 1));
  show(stderr, "shutdown not a socket", shutdown(0, SHUT_RD));
  return 0;
}
