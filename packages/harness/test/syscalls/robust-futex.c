/* Robust futexes: the list a thread registers (set_robust_list, get_robust_list) is walked when
 * it ends, as Linux's exit_robust_list: a lock it still owns gets FUTEX_OWNER_DIED, and a
 * waiter is woken, so glibc's robust mutexes return EOWNERDEAD to the next locker. A process
 * that exits, one killed by SIGKILL, a thread that exits; a hand-made list (the owner, another
 * tid's word, a pending op with no owner, an entry past the head's end). */
#include "common.h"
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/mman.h>

static pthread_mutex_t *shared_mutex(void) {
  pthread_mutex_t *m = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  pthread_mutexattr_t at;
  pthread_mutexattr_init(&at);
  pthread_mutexattr_setpshared(&at, PTHREAD_PROCESS_SHARED);
  printf("setrobust %d\n", pthread_mutexattr_setrobust(&at, PTHREAD_MUTEX_ROBUST));
  printf("init %d\n", pthread_mutex_init(m, &at));
  return m;
}

static void lock_after_death(pthread_mutex_t *m, const char *what) {
  int r = pthread_mutex_lock(m);
  printf("%s: lock %s\n", what, r ? strerrorname_np(r) : "0");
  if (r == EOWNERDEAD) printf("consistent %d\n", pthread_mutex_consistent(m));
  printf("unlock %d\n", pthread_mutex_unlock(m));
}

/* a child locks, the parent sleeps in lock, the child then ends by exit or by SIGKILL */
static void process_owner(int killed) {
  pthread_mutex_t *m = shared_mutex();
  int ready[2];
  char c;
  pipe(ready);
  pid_t pid = fork();
  if (pid == 0) {
    pthread_mutex_lock(m);
    write(ready[1], "l", 1);
    until_asleep(getppid());
    if (killed) pause();
    _exit(0);
  }
  read(ready[0], &c, 1);
  if (killed) {
    /* the parent does not sleep in lock here: the child waits for it, then is killed */
    struct timespec ts = {0, 20000000};
    nanosleep(&ts, 0);
    kill(pid, SIGKILL);
    wait_child(pid);
    lock_after_death(m, "after SIGKILL");
    return;
  }
  lock_after_death(m, "waiting while the owner exits");
  wait_child(pid);
  printf("word %#x\n", *(unsigned *)m & ~FUTEX_TID_MASK);
}

static pthread_mutex_t thread_mutex;
static void *thread_main(void *arg) {
  (void)arg;
  pthread_mutex_lock(&thread_mutex);
  return 0;
}

/* a hand-made list in shared memory, registered by a child that then exits */
struct list {
  uintptr_t next;
  long offset;
  uintptr_t pending;
};
struct entry {
  uintptr_t next;
  unsigned word;
};

static void hand_made(void) {
  char *page = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  struct list *head = (struct list *)page;
  struct entry *e = (struct entry *)(page + 64), *other = (struct entry *)(page + 128), *pend = (struct entry *)(page + 192);
  pid_t pid = fork();
  if (pid == 0) {
    unsigned tid = syscall(SYS_gettid);
    head->next = (uintptr_t)e;
    head->offset = sizeof(uintptr_t);
    e->next = (uintptr_t)other;
    e->word = tid | FUTEX_WAITERS;
    other->next = (uintptr_t)head;
    other->word = (tid + 1) & FUTEX_TID_MASK;
    head->pending = (uintptr_t)pend;
    pend->word = 0;
    SYS(set_robust_list, head, sizeof *head + 1);
    SYS(set_robust_list, head, sizeof *head);
    struct list *got = 0;
    size_t len = 0;
    SYS(get_robust_list, 0, &got, &len);
    printf("registered %d len %zu\n", got == head, len);
    _exit(0);
  }
  wait_child(pid);
  printf("owned word %#x, other tid's word unchanged %d, pending word %#x\n", e->word, other->word != 0 && !(other->word & FUTEX_OWNER_DIED), pend->word);
}

int main(void) {
  setvbuf(stdout, 0, _IOLBF, 0);
  struct list *got = 0;
  size_t len = 0;
  SYS(get_robust_list, 0, &got, &len);
  printf("glibc's list set %d len %zu\n", got != 0, len);
  SYS(get_robust_list, 99999, &got, &len);
  SYS(get_robust_list, 0, BAD, &len);
  SYS(get_robust_list, 0, &got, BAD);
  SYS(set_robust_list, got, 0);
  process_owner(0);
  process_owner(1);

  pthread_mutexattr_t at;
  pthread_mutexattr_init(&at);
  pthread_mutexattr_setrobust(&at, PTHREAD_MUTEX_ROBUST);
  pthread_mutex_init(&thread_mutex, &at);
  pthread_t th;
  pthread_create(&th, 0, thread_main, 0);
  pthread_join(th, 0);
  lock_after_death(&thread_mutex, "after the owner thread exited");

  hand_made();

  pid_t pid = fork();
  if (pid == 0) {
    pid_t parent = getppid();
    SYS(setresuid, 4321, 4321, 4321);
    SYS(get_robust_list, parent, &got, &len);
    _exit(0);
  }
  wait_child(pid);
  return 0;
}
