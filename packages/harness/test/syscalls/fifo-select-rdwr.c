/* A FIFO opened O_RDWR is its own reader and writer (LTP select01): after writing a byte to it,
 * select and poll see the one fd both readable and writable. */
#include "common.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/select.h>
#include <sys/stat.h>

int main(void) {
  report("mkfifo", mkfifo("fifo", 0600));
  int fd = open("fifo", O_RDWR);
  fd_set r, w;
  struct timeval tv = {0, 0};
  FD_ZERO(&r); FD_ZERO(&w); FD_SET(fd, &r); FD_SET(fd, &w);
  report("select empty", select(fd + 1, &r, &w, NULL, &tv));
  printf("read %d write %d\n", FD_ISSET(fd, &r) != 0, FD_ISSET(fd, &w) != 0);
  report("write", write(fd, "x", 1));
  FD_ZERO(&r); FD_ZERO(&w); FD_SET(fd, &r); FD_SET(fd, &w);
  tv.tv_usec = 0;
  report("select one byte", select(fd + 1, &r, &w, NULL, &tv));
  printf("read %d write %d\n", FD_ISSET(fd, &r) != 0, FD_ISSET(fd, &w) != 0);
  struct pollfd pfd = {fd, POLLIN | POLLOUT, 0};
  report("poll", poll(&pfd, 1, 0));
  printf("revents %#x\n", pfd.revents);
  char c;
  report("read", read(fd, &c, 1));
  FD_ZERO(&r); FD_ZERO(&w); FD_SET(fd, &r); FD_SET(fd, &w);
  report("select without a timeout, empty", select(fd + 1, &r, &w, NULL, NULL));
  printf("read %d write %d\n", FD_ISSET(fd, &r) != 0, FD_ISSET(fd, &w) != 0);
  unlink("fifo");
  return 0;
}
