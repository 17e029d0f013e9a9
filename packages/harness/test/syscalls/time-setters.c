/* settimeofday, clock_settime(64) and stime: every check before the clock would change, in the
 * kernel's order (EFAULT, EINVAL for a bad timeval/timespec or timezone, EINVAL for a clock that
 * cannot be set, EPERM for a CPU-time clock), and EPERM for a caller without CAP_SYS_TIME.
 * Natively this program runs as root with CAP_SYS_TIME, so as root it makes only the calls that
 * fail (or change nothing) before the host's clock would be set; the valid sets are made by a
 * child of uid 4321. */
#include "common.h"
#include <stdint.h>
#include <sys/time.h>

struct ts64 { int64_t sec, nsec; };

static void unprivileged(void) {
  struct timeval now;
  struct timezone utc = {0, 0}, far = {1000, 0};
  struct timespec ts;
  gettimeofday(&now, 0);
  clock_gettime(CLOCK_REALTIME, &ts);
  SYS(settimeofday, &now, 0);
  SYS(settimeofday, 0, 0);
  SYS(settimeofday, 0, &utc);
  SYS(settimeofday, 0, &far);
  struct timeval bad = {now.tv_sec, 1000001};
  SYS(settimeofday, &bad, 0);
  SYS(settimeofday, BAD, 0);
  SYS(clock_settime, CLOCK_REALTIME, &ts);
  SYS(clock_settime, CLOCK_MONOTONIC, &ts);
  SYS(clock_settime, CLOCK_PROCESS_CPUTIME_ID, &ts);
  ts.tv_nsec = 1000000000;
  SYS(clock_settime, CLOCK_REALTIME, &ts);
#ifdef SYS_stime
  int32_t t = now.tv_sec;
  SYS(stime, &t);
  SYS(stime, BAD);
#endif
}

int main(void) {
  setvbuf(stdout, 0, _IOLBF, 0);
  /* settimeofday: the timeval, then the timezone, then (with CAP_SYS_TIME) its range */
  struct timeval tv = {1, 0};
  struct timezone far = {1000, 0}, west = {-901, 0};
  SYS(settimeofday, 0, 0);
  SYS(settimeofday, BAD, 0);
  SYS(settimeofday, 0, BAD);
  tv.tv_usec = 1000001;
  SYS(settimeofday, &tv, BAD);
  tv.tv_usec = -1;
  SYS(settimeofday, &tv, 0);
  tv.tv_usec = 1000000;
  SYS(settimeofday, &tv, 0);
  tv.tv_sec = -1;
  tv.tv_usec = 0;
  SYS(settimeofday, &tv, 0);
  SYS(settimeofday, &tv, BAD);
  SYS(settimeofday, 0, &far);
  SYS(settimeofday, 0, &west);
  /* clock_settime: a clock with no clock_set before the timespec is read */
  struct timespec ts = {1, 0};
  SYS(clock_settime, CLOCK_MONOTONIC, &ts);
  SYS(clock_settime, CLOCK_MONOTONIC, BAD);
  SYS(clock_settime, CLOCK_BOOTTIME, &ts);
  SYS(clock_settime, CLOCK_REALTIME_COARSE, &ts);
  SYS(clock_settime, CLOCK_MONOTONIC_RAW, &ts);
  SYS(clock_settime, CLOCK_TAI, &ts);
  SYS(clock_settime, CLOCK_REALTIME_ALARM, &ts);
  SYS(clock_settime, 10, &ts);
  SYS(clock_settime, 99, &ts);
  SYS(clock_settime, CLOCK_PROCESS_CPUTIME_ID, &ts);
  SYS(clock_settime, CLOCK_THREAD_CPUTIME_ID, &ts);
  SYS(clock_settime, CLOCK_PROCESS_CPUTIME_ID, BAD);
  SYS(clock_settime, CLOCK_REALTIME, BAD);
  ts.tv_nsec = 1000000000;
  SYS(clock_settime, CLOCK_REALTIME, &ts);
  ts.tv_nsec = -1;
  SYS(clock_settime, CLOCK_REALTIME, &ts);
  ts.tv_sec = -1;
  ts.tv_nsec = 0;
  SYS(clock_settime, CLOCK_REALTIME, &ts);
#ifdef SYS_clock_settime64
  struct ts64 t64 = {1, 1000000000};
  SYS(clock_settime64, CLOCK_REALTIME, &t64);
  t64.nsec = 0x100000000ll; /* a 32-bit caller's padding above tv_nsec is ignored: nsec 0, but sec... */
  t64.sec = -1;
  SYS(clock_settime64, CLOCK_REALTIME, &t64);
  t64.sec = 8277292036ll;
  t64.nsec = 0;
  SYS(clock_settime64, CLOCK_REALTIME, &t64);
  SYS(clock_settime64, CLOCK_MONOTONIC, &t64);
  SYS(clock_settime64, CLOCK_THREAD_CPUTIME_ID, &t64);
  SYS(clock_settime64, CLOCK_REALTIME, BAD);
#else
  struct timespec big = {8277292036ll, 0};
  SYS(clock_settime, CLOCK_REALTIME, &big);
#endif
#ifdef SYS_stime
  SYS(stime, BAD);
#endif
  pid_t pid = fork();
  if (pid == 0) {
    SYS(setgid, 4321);
    SYS(setuid, 4321);
    unprivileged();
    _exit(0);
  }
  wait_child(pid);
  return 0;
}
