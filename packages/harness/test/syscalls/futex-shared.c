/* Futexes between processes that share memory: without FUTEX_PRIVATE_FLAG a word on a shared page
 * (MAP_SHARED|MAP_ANONYMOUS inherited across fork, a MAP_SHARED file, a SysV shm segment) is known
 * by the shared object and offset, so forked children waiting there are woken, requeued and
 * counted by the parent, through any mapping of the same page; with FUTEX_PRIVATE_FLAG the word
 * is the caller's address space's own and meets none of them (LTP futex_cmp_requeue01).
 * How many wait on a word is read with a REQUEUE of the word onto itself; every count printed is
 * one the schedule cannot change. */
#include "common.h"
#include <limits.h>
#include <linux/futex.h>
#include <sys/mman.h>
#include <sys/shm.h>

static long futex(volatile unsigned *addr, int op, unsigned val, unsigned long val2, volatile unsigned *addr2, unsigned val3) {
  return syscall(SYS_futex, addr, op, val, val2, addr2, val3);
}

static long show(const char *what, long r) {
  if (r < 0) printf("  %s = -1 %s\n", what, strerrorname_np(errno));
  else printf("  %s = %ld\n", what, r);
  fflush(stdout);
  return r;
}

/* How many wait on addr (moved onto itself, none woken). */
static long queued(volatile unsigned *addr) { return futex(addr, FUTEX_REQUEUE, 0, INT_MAX, addr, 0); }

/* Waits (up to 5 s) until n wait on addr; prints what it saw. */
static void settle(const char *what, volatile unsigned *addr, long n) {
  long q = -1;
  for (int i = 0; i < 5000 && (q = queued(addr)) != n; i++) usleep(1000);
  printf("  %s: %ld queued\n", what, q);
  fflush(stdout);
}

/* Three children wait on w[0] (mapped at w in them; `alias` maps the same page in the parent). */
static void probe(const char *kind, volatile unsigned *w, volatile unsigned *alias) {
  printf("%s\n", kind);
  w[0] = w[1] = 0;
  for (int i = 0; i < 3; i++)
    if (fork() == 0) {
      struct timespec ts = { 10, 0 };
      _exit(futex(w, FUTEX_WAIT, 0, (unsigned long)&ts, 0, 0) == 0 ? 0 : 1);
    }
  settle("three waiters", w, 3);
  show("FUTEX_WAKE_PRIVATE", futex(w, FUTEX_WAKE_PRIVATE, 3, 0, 0, 0));
  show("FUTEX_REQUEUE_PRIVATE onto itself", futex(w, FUTEX_REQUEUE_PRIVATE, 0, INT_MAX, w, 0));
  show("FUTEX_WAKE 1 through the alias", futex(alias, FUTEX_WAKE, 1, 0, 0, 0));
  settle("after the wake", w, 2);
  show("FUTEX_CMP_REQUEUE val3 1", futex(w, FUTEX_CMP_REQUEUE, 0, 1, w + 1, 1));
  show("FUTEX_CMP_REQUEUE 0 wake, 1 moved", futex(w, FUTEX_CMP_REQUEUE, 0, 1, alias + 1, 0));
  printf("  word: %ld queued, word2: %ld queued\n", queued(w), queued(alias + 1));
  show("FUTEX_WAKE_OP word2 = 1", futex(alias, FUTEX_WAKE_OP, 1, 1, w + 1, FUTEX_OP(FUTEX_OP_SET, 1, FUTEX_OP_CMP_EQ, 0)));
  printf("  word2 now %u\n", w[1]);
  int st, woken = 0, children = 0;
  while (wait(&st) > 0) children++, woken += WIFEXITED(st) && WEXITSTATUS(st) == 0;
  printf("  %d children, %d woken by a wake\n", children, woken);
  fflush(stdout);
}

int main(void) {
  unsigned *anon = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  probe("MAP_SHARED|MAP_ANONYMOUS", anon, anon);

  int fd = open("futex-word", O_RDWR | O_CREAT | O_TRUNC, 0600);
  ftruncate(fd, 8192);
  unsigned *file = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 4096);
  unsigned *file2 = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  probe("MAP_SHARED file", file, file2 + 1024);

  int id = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
  unsigned *shm = shmat(id, 0, 0), *shm2 = shmat(id, 0, 0);
  shmctl(id, IPC_RMID, 0);
  probe("SysV shm", shm, shm2);

  /* private memory: children have copies of their own, a wake from the parent meets none */
  static unsigned priv[2];
  if (fork() == 0) {
    struct timespec ts = { 0, 200000000 };
    _exit(futex(priv, FUTEX_WAIT, 0, (unsigned long)&ts, 0, 0) == -1 && errno == ETIMEDOUT ? 0 : 1);
  }
  usleep(50000);
  printf("private memory\n");
  show("FUTEX_WAKE", futex(priv, FUTEX_WAKE, 1, 0, 0, 0));
  int st;
  wait(&st);
  printf("  child timed out: %s\n", WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "yes" : "no");
  return 0;
}
