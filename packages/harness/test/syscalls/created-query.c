/* fcntl F_CREATED_QUERY: 1 when the open that made the description created its file (O_CREAT of a
 * name that was not there), 0 otherwise (an existing file, O_CREAT of an existing one, a FIFO, a
 * device, a pipe); a dup shares the description's answer; the argument is ignored. */
#include "common.h"
#include <sys/stat.h>

#define F_CREATED_QUERY 1028

static void query(const char *what, int fd) {
  printf("%s: ", what);
  SYS(fcntl, fd, F_CREATED_QUERY, 0);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  query("/dev/null", open("/dev/null", O_RDONLY));
  int c = open("new", O_CREAT | O_RDWR, 0600);
  query("created", c);
  query("dup of created", dup(c));
  printf("arg 7: ");
  SYS(fcntl, c, F_CREATED_QUERY, 7);
  query("reopened", open("new", O_RDONLY));
  query("O_CREAT existing", open("new", O_CREAT | O_RDONLY, 0600));
  query("O_CREAT|O_EXCL new", open("excl", O_CREAT | O_EXCL | O_WRONLY, 0600));
  query("O_CREAT|O_TRUNC new", open("trunc", O_CREAT | O_TRUNC | O_WRONLY, 0600));
  mkfifo("fifo", 0600);
  query("O_CREAT fifo", open("fifo", O_CREAT | O_RDWR, 0600));
  int p[2];
  pipe(p);
  query("pipe", p[0]);
  query("bad fd", 999);
  return 0;
}
