/* /proc/self/stat's utime (field 14) counts the process's CPU time in clock ticks as times()
 * does (LTP clock_gettime01 spins until utime leaves 0). Linux adjusts the user/system split
 * (cputime_adjust) for /proc differently from times(), so only utime after user-mode spinning
 * is compared, loosely. */
#include "common.h"
#include <sys/times.h>

static unsigned long stat_utime(unsigned long *stime) {
  unsigned long u = 0;
  FILE *f = fopen("/proc/self/stat", "r");
  if (fscanf(f, "%*d %*s %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &u, stime) != 2) u = 0;
  fclose(f);
  return u;
}

int main(void) {
  struct tms t;
  volatile unsigned long spin = 0;
  while (times(&t), t.tms_utime < 3) spin++;
  unsigned long stime, utime = stat_utime(&stime);
  printf("stat utime after 3 ticks of user time: %s\n", utime == 0 ? "0" : "more than 0");
  return 0;
}
