/* futex_wake and futex_wait (the futex2 calls on 32-bit words): their flag, size, mask, value,
 * alignment, clock and pointer checks, absolute timeouts on both clocks, and wakes between them
 * and the old futex() (bitsets; nr 0 wakes none, a negative nr one). */
#include "common.h"
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/mman.h>

#ifndef SYS_futex_wake
#define SYS_futex_wake 454
#define SYS_futex_wait 455
#endif
#define U32 0x02
#define PRIV 128

static uint32_t word[4] __attribute__((aligned(16)));

/* waiters queued on word[0]: a requeue of none of them onto itself counts them */
static long queued(void) { return syscall(SYS_futex, &word[0], FUTEX_CMP_REQUEUE_PRIVATE, 0, INT_MAX, &word[0], word[0]); }

static void *waiter(void *arg) {
  long r = syscall(SYS_futex_wait, &word[0], 0, (unsigned long)(uintptr_t)arg, U32 | PRIV, NULL, 0);
  /* the result goes back through the word it waited on (no printing from here: the order would race) */
  __atomic_add_fetch(&word[1], r == 0 ? 1 : 100, __ATOMIC_SEQ_CST);
  return 0;
}

static void settle(long n) {
  struct timespec ts = {0, 2000000};
  while (queued() != n) nanosleep(&ts, 0);
}

int main(void) {
  setvbuf(stdout, 0, _IOLBF, 0);
  struct timespec ts;
  uint32_t *shared = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  printf("flags\n");
  for (unsigned flags = 0; flags <= 4; flags++) SYS(futex_wake, &word[0], 1, 1, flags);
  SYS(futex_wake, &word[0], 1, 1, U32 | PRIV | 0x100);
  SYS(futex_wake, &word[0], 1, 1, U32 | 0x40);
  SYS(futex_wait, &word[0], 1, 1, 0, NULL, 0);
  SYS(futex_wait, &word[0], 1, 1, 3, NULL, 0);
  printf("masks, values, alignment, pointers\n");
  SYS(futex_wake, &word[0], 0, 1, U32);
  SYS(futex_wait, &word[0], 1, 0, U32, NULL, 0);
#ifdef __x86_64__
  SYS(futex_wake, &word[0], 1UL << 32, 1, U32);
  SYS(futex_wait, &word[0], 1UL << 32, 1, U32, NULL, 0);
  SYS(futex_wait, &word[0], 1, 1UL << 32, U32, NULL, 0);
#endif
  SYS(futex_wake, (char *)&word[0] + 2, 1, 1, U32);
  SYS(futex_wait, (char *)&word[0] + 2, 0, 1, U32, NULL, 0);
  SYS(futex_wake, &word[0], 1, 1, U32);
  SYS(futex_wake, shared, 1, 1, U32);
  SYS(futex_wake, BAD, 1, 1, U32 | PRIV);
  SYS(futex_wake, BAD, 1, 1, U32);
  SYS(futex_wait, BAD, 0, 1, U32 | PRIV, NULL, 0);
  SYS(futex_wait, &word[0], 1, 1, U32 | PRIV, NULL, 0);
  SYS(futex_wait, shared, 1, 1, U32, NULL, 0);
  printf("timeouts\n");
  struct __kernel_timespec { int64_t sec, nsec; } past = {0, 0}, bad_nsec = {0, -1}, big = {1, 2000000000};
  SYS(futex_wait, &word[0], 0, 1, U32 | PRIV, &past, CLOCK_MONOTONIC);
  SYS(futex_wait, &word[0], 0, 1, U32 | PRIV, &past, CLOCK_REALTIME);
  SYS(futex_wait, &word[0], 0, 1, U32 | PRIV, &bad_nsec, CLOCK_MONOTONIC);
  SYS(futex_wait, &word[0], 0, 1, U32 | PRIV, &big, CLOCK_MONOTONIC);
  SYS(futex_wait, &word[0], 0, 1, U32 | PRIV, &past, CLOCK_BOOTTIME);
  SYS(futex_wait, &word[0], 1, 1, U32 | PRIV, NULL, CLOCK_BOOTTIME + 100);
  SYS(futex_wait, &word[0], 0, 1, U32 | PRIV, BAD, CLOCK_MONOTONIC);
  SYS(futex_wait, &word[0], 1, 1, U32 | PRIV, BAD, CLOCK_MONOTONIC);
  clock_gettime(CLOCK_MONOTONIC, &ts);
  struct __kernel_timespec soon = {ts.tv_sec, ts.tv_nsec + 20000000};
  if (soon.nsec >= 1000000000) soon.sec++, soon.nsec -= 1000000000;
  SYS(futex_wait, &word[0], 0, 1, U32 | PRIV, &soon, CLOCK_MONOTONIC);
  clock_gettime(CLOCK_MONOTONIC, &ts);
  printf("time passed %d\n", ts.tv_sec > soon.sec || (ts.tv_sec == soon.sec && ts.tv_nsec >= soon.nsec));
  printf("wakes\n");
  pthread_t a, b;
  pthread_create(&a, 0, waiter, (void *)(uintptr_t)1);
  pthread_create(&b, 0, waiter, (void *)(uintptr_t)6);
  settle(2);
  SYS(futex_wake, &word[0], 8, 2, U32 | PRIV);
  SYS(futex_wake, &word[0], 1, 0, U32 | PRIV);
  SYS(futex_wake, &word[0], 1, -1, U32 | PRIV);
  SYS(futex, &word[0], FUTEX_WAKE_BITSET_PRIVATE, 5, NULL, NULL, 2);
  SYS(futex_wake, &word[0], ~0UL, 5, U32 | PRIV);
  pthread_join(a, 0);
  pthread_join(b, 0);
  printf("woken %u\n", word[1]);
  return 0;
}
