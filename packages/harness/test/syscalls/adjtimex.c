/* adjtimex and clock_adjtime read the clock's NTP state (modes 0, adjtime's ADJ_OFFSET_SS_READ)
 * and refuse what they refuse before changing anything: a bad adjtime mode, tick, offset to
 * inject or frequency (EINVAL), a set without CAP_SYS_TIME (EPERM, as uid 4321), a clock without
 * clock_adj (EOPNOTSUPP) or unknown (EINVAL), a bad pointer (EFAULT, before the clock). No set
 * is made: root's valid ones would change this machine's clock. The time field is checked
 * against time(), not printed. */
#include "common.h"
#include <stdint.h>
#include <sys/timex.h>

/* struct __kernel_timex: x86-64's struct timex and i386's clock_adjtime64 */
struct ktimex {
  uint32_t modes, pad0;
  int64_t offset, freq, maxerror, esterror;
  int32_t status, pad1;
  int64_t constant, precision, tolerance, sec, usec, tick, ppsfreq, jitter;
  int32_t shift, pad2;
  int64_t stabil, jitcnt, calcnt, errcnt, stbcnt;
  int32_t tai, rest[11];
};

static void show_k(const char *what, long r, const struct ktimex *t) {
  if (r < 0) {
    printf("%s = -1 %s\n", what, strerrorname_np(errno));
    return;
  }
  long long now = time(0), d = t->sec - now;
  long pads = 0;
  for (int i = 0; i < 11; i++) pads += t->rest[i];
  printf("%s = %ld modes %#x offset %lld freq %lld maxerror %lld esterror %lld status %#x constant %lld precision %lld tolerance %lld time near %d usec ok %d tick %lld pps %lld %lld %d %lld %lld %lld %lld %lld tai %d pads %#x %#x %#x %#lx\n",
         what, r, t->modes, (long long)t->offset, (long long)t->freq, (long long)t->maxerror, (long long)t->esterror, t->status, (long long)t->constant, (long long)t->precision,
         (long long)t->tolerance, d >= -2 && d <= 2, t->usec >= 0 && t->usec < 1000000000, (long long)t->tick, (long long)t->ppsfreq, (long long)t->jitter, t->shift, (long long)t->stabil,
         (long long)t->jitcnt, (long long)t->calcnt, (long long)t->errcnt, (long long)t->stbcnt, t->tai, t->pad0, t->pad1, t->pad2, pads);
}

/* glibc's struct timex: the raw adjtimex/clock_adjtime of the ABI */
static void show(const char *what, long r, const struct timex *t) {
  if (r < 0) {
    printf("%s = -1 %s\n", what, strerrorname_np(errno));
    return;
  }
  long long d = (long long)t->time.tv_sec - time(0);
  const unsigned char *tail = (const unsigned char *)(&t->tai + 1);
  unsigned sum = 0;
  for (const unsigned char *b = tail; b < (const unsigned char *)(t + 1); b++) sum += *b;
  printf("%s = %ld modes %#x offset %ld freq %ld maxerror %ld esterror %ld status %#x constant %ld precision %ld tolerance %ld time near %d tick %ld pps %ld %ld %d %ld %ld %ld %ld %ld tai %d tail %#x\n",
         what, r, t->modes, (long)t->offset, (long)t->freq, (long)t->maxerror, (long)t->esterror, t->status, (long)t->constant, (long)t->precision, (long)t->tolerance, d >= -2 && d <= 2,
         (long)t->tick, (long)t->ppsfreq, (long)t->jitter, t->shift, (long)t->stabil, (long)t->jitcnt, (long)t->calcnt, (long)t->errcnt, (long)t->stbcnt, t->tai, sum);
}

/* adjtimex with `modes` (tick, the offset's usec/nsec and freq given), on a struct filled with 0x5a */
static void adj(const char *what, unsigned modes, long tick, long usec, long freq) {
  struct timex t;
  memset(&t, 0x5a, sizeof t);
  t.modes = modes;
  t.tick = tick;
  t.time.tv_sec = 0;
  t.time.tv_usec = usec;
  t.freq = freq;
  t.offset = 0;
  long r = syscall(SYS_adjtimex, &t);
  show(what, r, &t);
}

static void clock_adj(const char *what, int clock, unsigned modes) {
  struct timex t;
  memset(&t, 0, sizeof t);
  t.modes = modes;
  long r = syscall(SYS_clock_adjtime, clock, &t);
  show(what, r, &t);
}

static void wide(const char *what, int clock, unsigned modes, int64_t usec, int64_t freq) {
  struct ktimex t;
  memset(&t, 0x5a, sizeof t);
  t.modes = modes;
  t.sec = 0;
  t.usec = usec;
  t.freq = freq;
  t.tick = 10000;
#ifdef SYS_clock_adjtime64
  long r = syscall(SYS_clock_adjtime64, clock, &t);
#else
  long r = syscall(SYS_clock_adjtime, clock, &t);
#endif
  show_k(what, r, &t);
}

static void requests(void) {
  adj("read", 0, 0, 0, 0);
  adj("adjtime read", 0xa001, 0, 0, 0);
  adj("adjtime read with tick", 0xa001 | ADJ_TICK, 1, 0, 0);
  adj("adjtime without single shot", 0x8000, 0, 0, 0);
  adj("adjtime read without single shot", 0xa000, 0, 0, 0);
  adj("tick 1", ADJ_TICK, 1, 0, 0);
  adj("tick 20000", ADJ_TICK, 20000, 0, 0);
  adj("setoffset usec -1", ADJ_SETOFFSET, 0, -1, 0);
  adj("setoffset usec 1000000", ADJ_SETOFFSET, 0, 1000000, 0);
  adj("setoffset nsec 1000000000", ADJ_SETOFFSET | ADJ_NANO, 0, 1000000000, 0);
  adj("adjtime read setoffset usec -1", 0xa001 | ADJ_SETOFFSET, 0, -1, 0);
  clock_adj("clock_adjtime read", CLOCK_REALTIME, 0);
  clock_adj("clock_adjtime adjtime read", CLOCK_REALTIME, 0xa001);
  clock_adj("clock_adjtime monotonic set", CLOCK_MONOTONIC, ADJ_OFFSET);
  wide("wide read", CLOCK_REALTIME, 0, 0, 0);
  wide("wide freq max", CLOCK_REALTIME, ADJ_FREQUENCY, 0, INT64_MAX);
  wide("wide freq min", CLOCK_REALTIME, ADJ_FREQUENCY, 0, INT64_MIN);
  wide("wide setoffset usec -1", CLOCK_REALTIME, ADJ_SETOFFSET, -1, 0);
  wide("wide clock 4", 4, 0, 0, 0);
}

static void unprivileged(void) {
  SYS(setresuid, 4321, 4321, 4321);
  requests();
  adj("offset", ADJ_OFFSET, 0, 0, 0);
  adj("tick 10000", ADJ_TICK, 10000, 0, 0);
  adj("adjtime", 0x8001, 0, 0, 0);
  adj("setoffset", ADJ_SETOFFSET, 0, 5, 0);
  adj("status", ADJ_STATUS, 0, 0, 0);
  adj("nano", ADJ_NANO, 0, 0, 0);
  clock_adj("clock_adjtime offset", CLOCK_REALTIME, ADJ_OFFSET);
  wide("wide offset", CLOCK_REALTIME, ADJ_OFFSET, 0, 0);
}

int main(void) {
  setvbuf(stdout, 0, _IOLBF, 0);
  requests();
  for (int clock = -10; clock <= 24; clock++) {
    char what[32];
    snprintf(what, sizeof what, "clock %d", clock);
    clock_adj(what, clock, 0);
  }
  SYS(adjtimex, BAD);
  SYS(clock_adjtime, CLOCK_REALTIME, BAD);
  SYS(clock_adjtime, 99, BAD);
  SYS(clock_adjtime, CLOCK_MONOTONIC, 0);
#ifdef SYS_clock_adjtime64
  SYS(clock_adjtime64, 99, BAD);
#endif
  pid_t pid = fork();
  if (pid == 0) {
    unprivileged();
    _exit(0);
  }
  wait_child(pid);
  return 0;
}
