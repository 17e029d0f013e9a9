/* FIONREAD (SIOCINQ) on AF_UNIX sockets, as unix_inq_len answers it: a stream's or seqpacket's
 * unread bytes over all queued writes (less what a read took), a datagram socket's next
 * datagram only (0 when empty), a listening socket EINVAL; a bad pointer EFAULT. */
#include "common.h"
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>

static void inq(const char *what, int fd) {
  int n = -1;
  int r = ioctl(fd, FIONREAD, &n);
  if (r < 0) printf("%s: %s\n", what, strerrorname_np(errno));
  else printf("%s: %d\n", what, n);
}

int main(void) {
  static const int types[] = { SOCK_STREAM, SOCK_SEQPACKET, SOCK_DGRAM };
  static const char *names[] = { "stream", "seqpacket", "dgram" };
  char buf[64];
  for (int i = 0; i < 3; i++) {
    int sv[2];
    socketpair(AF_UNIX, types[i], 0, sv);
    char what[64];
    snprintf(what, sizeof what, "%s empty", names[i]);
    inq(what, sv[1]);
    write(sv[0], "hello", 5);
    write(sv[0], "world!!", 7);
    snprintf(what, sizeof what, "%s after 5 + 7", names[i]);
    inq(what, sv[1]);
    read(sv[1], buf, 3);
    snprintf(what, sizeof what, "%s after a read of 3", names[i]);
    inq(what, sv[1]);
    snprintf(what, sizeof what, "%s writer's end", names[i]);
    inq(what, sv[0]);
    report("ioctl FIONREAD bad pointer", ioctl(sv[1], FIONREAD, BAD));
    close(sv[0]);
    close(sv[1]);
  }
  int l = socket(AF_UNIX, SOCK_STREAM, 0);
  struct sockaddr_un a = { AF_UNIX, "\0inq-listener" };
  bind(l, (struct sockaddr *)&a, sizeof a);
  listen(l, 1);
  inq("listening", l);
  return 0;
}
