/* /proc/<pid>/status FDSize: the descriptor table's slots. It grows in powers of two to hold the
 * highest descriptor installed and never shrinks when they close; a forked child's table is
 * sized for the descriptors open at the fork; a zombie has none. The first value is not printed:
 * it is inherited from whoever started the program (a shell's fd 255 makes 256). */
#include "common.h"
#include <stdlib.h>

/* FDSize of /proc/<pid>/status, or -1. */
static long fdsize(pid_t pid) {
  char path[64], text[4096];
  snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  long n = read(fd, text, sizeof text - 1);
  close(fd);
  text[n < 0 ? 0 : n] = 0;
  const char *p = strstr(text, "FDSize:");
  return p ? strtol(p + 7, NULL, 10) : -1;
}

static void show(const char *what) {
  printf("%s: FDSize %ld\n", what, fdsize(getpid()));
  fflush(stdout);
}

/* A child forked with `highest` (if >= 0) open besides 0-2: its table, then after it installs `more`. */
static void child_table(int highest, int more) {
  if (highest >= 0) dup2(1, highest);
  pid_t pid = fork();
  if (pid == 0) {
    show("child at fork");
    dup2(1, more);
    show("child after dup2");
    _exit(0);
  }
  wait_child(pid);
  if (highest >= 0) close(highest);
}

int main(void) {
  for (int fd = 3; fd < 4096; fd++) close(fd);
  SYS(dup2, 1, 300);
  show("dup2 300");
  SYS(close, 300);
  show("closed 300");
  SYS(dup2, 1, 1023);
  show("dup2 1023");
  SYS(dup2, 1, 1024);
  show("dup2 1024");
  SYS(close, 1023);
  SYS(close, 1024);
  /* F_DUPFD's lowest free fd at or above its argument grows the table too */
  printf("F_DUPFD 3000 = %d\n", fcntl(1, F_DUPFD, 3000));
  show("F_DUPFD");
  close(3000);
  child_table(-1, 64);
  child_table(63, 10);
  child_table(64, 10);
  child_table(200, 600);
  /* a zombie's table is gone */
  pid_t z = fork();
  if (z == 0) _exit(0);
  for (int i = 0; i < 1000; i++) {
    char st[64];
    snprintf(st, sizeof st, "/proc/%d/stat", (int)z);
    FILE *f = fopen(st, "r");
    char state = 0;
    if (f) { fscanf(f, "%*d %*s %c", &state); fclose(f); }
    if (state == 'Z') break;
    usleep(1000);
  }
  printf("zombie: FDSize %ld\n", fdsize(z));
  wait_child(z);
  return 0;
}
