/* getsockopt on the standard output dbtlab inherited: under Node's spawn it is one end of an
 * AF_UNIX socketpair, a socket to the guest as to a native process. Prints to stderr. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

static void opt(const char *what, int level, int name) {
  int v = -7;
  socklen_t len = sizeof v;
  if (getsockopt(1, level, name, &v, &len) < 0) fprintf(stderr, "%s = -1 %s\n", what, strerrorname_np(errno));
  else fprintf(stderr, "%s = %d (len %u)\n", what, v, len);
}

int main(void) {
  opt("SO_TYPE", SOL_SOCKET, SO_TYPE);
  opt("SO_DOMAIN", SOL_SOCKET, SO_DOMAIN);
  opt("SO_PROTOCOL", SOL_SOCKET, SO_PROTOCOL);
  opt("SO_ERROR", SOL_SOCKET, SO_ERROR);
  opt("SO_ACCEPTCONN", SOL_SOCKET, SO_ACCEPTCONN);
  opt("SO_KEEPALIVE", SOL_SOCKET, SO_KEEPALIVE);
  opt("TCP level", 6, 1);
  opt("bad name", SOL_SOCKET, 9999);
  return 0;
}
