/* mmap of /dev/zero is anonymous memory (LTP mprotect01 maps it MAP_SHARED read-only):
 * MAP_PRIVATE gives private zero pages, MAP_SHARED zero pages a forked child shares;
 * the open mode still limits the protection (EACCES). */
#include "common.h"
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define PAGE 4096

int main(void) {
  int ro = open("/dev/zero", O_RDONLY), rw = open("/dev/zero", O_RDWR);
  char *r = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, ro, 0);
  report("MAP_SHARED read-only of O_RDONLY", r == MAP_FAILED ? -1 : 0);
  if (r != MAP_FAILED) {
    printf("reads %d %d\n", r[0], r[PAGE - 1]);
  }
  char *w = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, ro, 0);
  report("MAP_SHARED writable of O_RDONLY", w == MAP_FAILED ? -1 : 0);

  volatile char *s = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, rw, 0);
  report("MAP_SHARED writable of O_RDWR", s == MAP_FAILED ? -1 : 0);
  volatile char *p = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro, 0);
  report("MAP_PRIVATE writable of O_RDONLY", p == MAP_FAILED ? -1 : 0);
  if (s != MAP_FAILED && p != MAP_FAILED) {
    pid_t pid = fork();
    if (pid == 0) {
      s[PAGE + 1] = 42;
      p[1] = 43;
      _exit(0);
    }
    wait_child(pid);
    printf("shared sees the child's store: %d, private does not: %d, zero: %d\n", s[PAGE + 1], p[1], s[0]);
  }
  /* writes go nowhere: the device still reads zeros */
  char buf[4] = {1, 1, 1, 1};
  report("read /dev/zero", read(rw, buf, 4));
  printf("%d %d %d %d\n", buf[0], buf[1], buf[2], buf[3]);
  return 0;
}
