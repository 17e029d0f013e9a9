/* An iovec length negative as ssize_t is EINVAL before any byte moves (LTP writev01), for
 * readv, writev, preadv and pwritev, whichever iovec holds it (i386: the 32-bit ssize_t). */
#define _GNU_SOURCE
#include "common.h"
#include <fcntl.h>
#include <sys/uio.h>

int main(void) {
  static char buf[64];
  int fd = open("f", O_RDWR | O_CREAT | O_TRUNC, 0600);
  struct iovec neg[] = {{buf, (size_t)-1}, {buf, 8}};
  struct iovec top[] = {{buf, 8}, {buf, (size_t)1 << (sizeof(size_t) * 8 - 1)}};
  struct iovec ok[] = {{buf, 8}, {buf, 8}};
  report("writev negative", writev(fd, neg, 2));
  report("pwritev negative", pwritev(fd, neg, 2, 0));
  report("readv negative", readv(fd, neg, 2));
  report("preadv negative", preadv(fd, neg, 2, 0));
  report("writev top bit", writev(fd, top, 2));
  report("writev", writev(fd, ok, 2));
  report("lseek", lseek(fd, 0, SEEK_SET));
  report("readv top bit", readv(fd, top, 2));
  unlink("f");
  return 0;
}
