/* clock_gettime, clock_getres and clock_nanosleep on every clock id the kernel reads
 * (clockid_to_kclock): the fixed ids 0..25 (TAI works, the alarm clocks need an RTC this host
 * lacks, SGI_CYCLE and the rest are EINVAL), and the CPU-time clocks of a task
 * (~pid << 3 | per-thread 4 | PROF 0, VIRT 1, SCHED 2): the caller's (pid 0), its own pid, a
 * thread of its group, a child process, a child as a thread (not of the group: EINVAL), a pid
 * that does not exist, and the fd clocks (type 3: stdin is no PTP clock). Resolutions are
 * printed; times only as "ok" (they differ run to run), TAI as its whole-second offset from
 * CLOCK_REALTIME. Then CLOCK_REALTIME read many times never goes back. */
#include "common.h"
#include <pthread.h>
#include <signal.h>

static int cpu_clock(int pid, int thread, int which) { return (int)((~(unsigned)pid << 3) | (thread ? 4 : 0) | which); }

/* id printed only where it is fixed (the CPU clocks' hold pids) */
static void show(const char *what, int id) {
  struct timespec ts, res = { -1, -1 };
  long g = syscall(SYS_clock_gettime, id, &ts);
  int ge = errno;
  long r = syscall(SYS_clock_getres, id, &res);
  int re = errno;
  printf("%s: gettime %s, getres %s", what, g == 0 ? "ok" : strerrorname_np(ge), r == 0 ? "ok" : strerrorname_np(re));
  if (r == 0) printf(" %ld.%09ld", (long)res.tv_sec, res.tv_nsec);
  printf("\n");
  fflush(stdout);
}

static volatile int tid_seen;
static void *thread_main(void *arg) {
  (void)arg;
  tid_seen = syscall(SYS_gettid);
  while (tid_seen) usleep(1000);
  return 0;
}

int main(void) {
  char what[64];
  for (int id = 0; id < 26; id++) {
    snprintf(what, sizeof what, "clock %d", id);
    show(what, id);
  }
  struct timespec rt, tai;
  clock_gettime(CLOCK_REALTIME, &rt);
  clock_gettime(CLOCK_TAI, &tai);
  long long d = (long long)(tai.tv_sec - rt.tv_sec) * 1000000000LL + (tai.tv_nsec - rt.tv_nsec);
  printf("TAI - REALTIME = %lld s\n", (d + 500000000LL) / 1000000000LL);
  struct timespec short_sleep = { 0, 1000 };
  int e = clock_nanosleep(CLOCK_TAI, 0, &short_sleep, 0);
  printf("clock_nanosleep TAI = %s\n", e ? strerrorname_np(e) : "0");

  pid_t child = fork();
  if (child == 0) {
    pause();
    _exit(0);
  }
  pthread_t th;
  pthread_create(&th, 0, thread_main, 0);
  while (!tid_seen) usleep(1000);
  static const char *kinds[] = { "PROF", "VIRT", "SCHED", "FD" };
  for (int which = 0; which < 4; which++) {
    for (int thread = 0; thread < 2; thread++) {
      const char *t = thread ? "thread" : "process";
      snprintf(what, sizeof what, "self %s %s", t, kinds[which]);
      show(what, cpu_clock(0, thread, which));
      snprintf(what, sizeof what, "own pid %s %s", t, kinds[which]);
      show(what, cpu_clock(getpid(), thread, which));
      snprintf(what, sizeof what, "group thread %s %s", t, kinds[which]);
      show(what, cpu_clock(tid_seen, thread, which));
      snprintf(what, sizeof what, "child %s %s", t, kinds[which]);
      show(what, cpu_clock(child, thread, which));
      snprintf(what, sizeof what, "absent %s %s", t, kinds[which]);
      show(what, cpu_clock(4194303, thread, which));
    }
  }
  tid_seen = 0;
  pthread_join(th, 0);
  kill(child, SIGKILL);
  wait_child(child);

  struct timespec last = { 0, 0 }, now;
  int back = 0;
  for (int i = 0; i < 200000; i++) {
    clock_gettime(CLOCK_REALTIME, &now);
    if (now.tv_sec < last.tv_sec || (now.tv_sec == last.tv_sec && now.tv_nsec < last.tv_nsec)) back++;
    last = now;
  }
  printf("CLOCK_REALTIME went back %d times in 200000 reads\n", back);
  return 0;
}
