/* /proc/<pid>/stat starttime (field 22): clock ticks since boot when the process was forked,
 * which /proc/uptime brackets: a child's lies between the uptime its parent read before the
 * fork and the one it reads itself; exec keeps it; the parent's is no later than its first
 * reading. Only the comparisons print (the times differ from run to run). */
#include "common.h"
#include <stdlib.h>

static long uptime_ticks(void) {
  char text[64] = "";
  int fd = open("/proc/uptime", O_RDONLY);
  read(fd, text, sizeof text - 1);
  close(fd);
  char *dot;
  long whole = strtol(text, &dot, 10);
  return whole * 100 + strtol(dot + 1, NULL, 10);
}

static long start_of(pid_t pid) {
  char path[64], text[1024];
  snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
  int fd = open(path, O_RDONLY);
  long n = read(fd, text, sizeof text - 1);
  close(fd);
  text[n < 0 ? 0 : n] = 0;
  char *p = strrchr(text, ')') + 2;
  /* after "pid (comm) ": state is field 3, starttime field 22 */
  for (int field = 3; field < 22; field++) p = strchr(p, ' ') + 1;
  return strtol(p, NULL, 10);
}

int main(int argc, char **argv) {
  if (argc > 2) {
    /* exec'd by the child: its start time as its parent read it before the exec */
    printf("after exec: same start %d\n", start_of(getpid()) == atol(argv[2]));
    return 0;
  }
  long before = uptime_ticks();
  long self = start_of(getpid());
  printf("parent started before its first reading: %d\n", self <= before);
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    long mine = start_of(getpid());
    long now = uptime_ticks();
    printf("child started after the parent's reading: %d, before its own: %d, not before the parent: %d\n", mine >= before, mine <= now, mine >= self);
    fflush(stdout);
    char arg[32];
    snprintf(arg, sizeof arg, "%ld", mine);
    execl("/proc/self/exe", argv[0], "exec", arg, (char *)NULL);
    _exit(1);
  }
  wait_child(pid);
  return 0;
}
