/* futex's wake counts as the kernel reads them: FUTEX_WAKE, FUTEX_WAKE_BITSET and both halves of
 * FUTEX_WAKE_OP wake at least one waiter even when asked for 0 (the count is tested after a
 * wake), while REQUEUE/CMP_REQUEUE wake exactly nr_wake (0: none) and move up to nr_requeue.
 * The kernel selftest fsgsbase hands work between two threads with FUTEX_WAKE of 0 waiters.
 * How many threads wait on a word is read with a REQUEUE of the word onto itself. */
#include "common.h"
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>

static volatile unsigned word, word2;
static volatile int woke;

static long futex(volatile unsigned *addr, int op, unsigned val, unsigned long val2, volatile unsigned *addr2, unsigned val3) {
  return syscall(SYS_futex, addr, op, val, val2, addr2, val3);
}

/* How many threads are queued on addr (moved onto itself, none woken). */
static long queued(volatile unsigned *addr) { return futex(addr, FUTEX_REQUEUE, 0, INT_MAX, addr, 0); }

/* Waits (up to 5 s) until n threads are queued on addr and `w` have woken; prints what it saw. */
static void settle(const char *what, volatile unsigned *addr, long n, int w) {
  long q = -1;
  for (int i = 0; i < 5000 && ((q = queued(addr)) != n || woke != w); i++) usleep(1000);
  printf("  after %s: %ld queued, %d woken\n", what, q, woke);
  fflush(stdout);
}

static void *waiter(void *addr) {
  if (futex(addr, FUTEX_WAIT, 0, 0, 0, 0) != 0) printf("wait: %s\n", strerrorname_np(errno));
  __sync_fetch_and_add(&woke, 1);
  return 0;
}

int main(void) {
  pthread_t t[5];
  pthread_create(&t[0], 0, waiter, (void *)&word);
  pthread_create(&t[1], 0, waiter, (void *)&word);
  settle("two waiters", &word, 2, 0);
  printf("FUTEX_WAKE 0 = %ld\n", futex(&word, FUTEX_WAKE, 0, 0, 0, 0));
  settle("FUTEX_WAKE 0", &word, 1, 1);
  long r = futex(&word, FUTEX_WAKE_BITSET, 0, 0, 0, 0);
  printf("FUTEX_WAKE_BITSET 0 bitset 0 = %ld %s\n", r, strerrorname_np(errno));
  printf("FUTEX_WAKE_BITSET 0 = %ld\n", futex(&word, FUTEX_WAKE_BITSET, 0, 0, 0, FUTEX_BITSET_MATCH_ANY));
  settle("FUTEX_WAKE_BITSET 0", &word, 0, 2);
  printf("FUTEX_WAKE 0 with nobody waiting = %ld\n", futex(&word, FUTEX_WAKE, 0, 0, 0, 0));

  pthread_create(&t[2], 0, waiter, (void *)&word);
  pthread_create(&t[3], 0, waiter, (void *)&word);
  pthread_create(&t[4], 0, waiter, (void *)&word2);
  settle("two waiters on word", &word, 2, 2);
  settle("one waiter on word2", &word2, 1, 2);
  printf("FUTEX_CMP_REQUEUE 0,0 = %ld\n", futex(&word, FUTEX_CMP_REQUEUE, 0, 0, &word2, 0));
  printf("FUTEX_REQUEUE 0,1 = %ld\n", futex(&word, FUTEX_REQUEUE, 0, 1, &word2, 0));
  settle("FUTEX_REQUEUE 0,1 (word)", &word, 1, 2);
  settle("FUTEX_REQUEUE 0,1 (word2)", &word2, 2, 2);
  /* word2 = 0 (FUTEX_OP_SET 0), then wake on word2 if its old value == 0: true */
  printf("FUTEX_WAKE_OP 0,0 = %ld\n", futex(&word, FUTEX_WAKE_OP, 0, 0, &word2, FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_EQ, 0)));
  settle("FUTEX_WAKE_OP 0,0 (word)", &word, 0, 4);
  settle("FUTEX_WAKE_OP 0,0 (word2)", &word2, 1, 4);
  printf("FUTEX_CMP_REQUEUE 1,0 = %ld\n", futex(&word2, FUTEX_CMP_REQUEUE, 1, 0, &word, 0));
  settle("FUTEX_CMP_REQUEUE 1,0", &word2, 0, 5);

  /* the counts are ints: a negative one is still one wake, and EINVAL for the requeues */
  pthread_t u[3];
  for (int i = 0; i < 3; i++) pthread_create(&u[i], 0, waiter, (void *)&word);
  settle("three waiters", &word, 3, 5);
  printf("FUTEX_WAKE -1 = %ld\n", futex(&word, FUTEX_WAKE, -1, 0, 0, 0));
  settle("FUTEX_WAKE -1", &word, 2, 6);
  r = futex(&word, FUTEX_REQUEUE, -1, 1, &word2, 0);
  printf("FUTEX_REQUEUE -1,1 = %ld %s\n", r, strerrorname_np(errno));
  r = futex(&word, FUTEX_CMP_REQUEUE, 1, -1, &word2, 0);
  printf("FUTEX_CMP_REQUEUE 1,-1 = %ld %s\n", r, strerrorname_np(errno));
  printf("FUTEX_WAKE_OP -1,-1 = %ld\n", futex(&word, FUTEX_WAKE_OP, -1, -1, &word2, FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_EQ, 0)));
  settle("FUTEX_WAKE_OP -1,-1", &word, 1, 7);
  printf("FUTEX_WAKE INT_MAX = %ld\n", futex(&word, FUTEX_WAKE, INT_MAX, 0, 0, 0));
  settle("FUTEX_WAKE INT_MAX", &word, 0, 8);
  for (int i = 0; i < 3; i++) pthread_join(u[i], 0);
  for (int i = 0; i < 5; i++) pthread_join(t[i], 0);
  printf("joined %d\n", woke);
  return 0;
}
