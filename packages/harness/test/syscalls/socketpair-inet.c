/* socketpair makes its socket before asking the family for a pair (LTP socketpair01): the
 * inet families answer EOPNOTSUPP only for a type and protocol socket() accepts, else the
 * socket's own error (EINVAL, EPROTONOSUPPORT, ESOCKTNOSUPPORT, EAFNOSUPPORT). */
#include "common.h"
#include <netinet/in.h>
#include <sys/socket.h>

int main(void) {
  int sv[2];
  static const int cases[][3] = {
      {0, SOCK_STREAM, 0},        {AF_INET, 75, 0},           {AF_INET, SOCK_RAW, 0},
      {AF_INET, SOCK_DGRAM, 17},  {AF_INET, SOCK_DGRAM, 6},   {AF_INET, SOCK_STREAM, 6},
      {AF_INET, SOCK_STREAM, 1},  {AF_INET6, SOCK_STREAM, 0}, {AF_INET6, SOCK_DGRAM, 6},
      {AF_INET, SOCK_SEQPACKET, 0}, {AF_INET6, SOCK_RAW, 0},  {AF_UNIX, SOCK_STREAM, 6},
  };
  for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char what[64];
    snprintf(what, sizeof what, "socketpair(%d, %d, %d)", cases[i][0], cases[i][1], cases[i][2]);
    report(what, socketpair(cases[i][0], cases[i][1], cases[i][2], sv));
    snprintf(what, sizeof what, "socket(%d, %d, %d)", cases[i][0], cases[i][1], cases[i][2]);
    long fd = report(what, socket(cases[i][0], cases[i][1], cases[i][2]));
    if (fd >= 0) close(fd);
  }
  return 0;
}
