/* Scheduling attributes of OTHER tasks: getpriority/setpriority (a process, a thread by its tid,
 * the process group, a user's tasks), the sched_* calls and ioprio on a child, on a thread of the
 * caller, on an unreaped zombie; a reaped or never used pid is ESRCH, a negative one EINVAL or
 * ESRCH as each call checks; another owner's task refuses changes (EPERM) but answers queries.
 * The probe works in a process group of its own, and its user-wide calls run as uid 4321, so the
 * native run touches no task outside it. */
#include "common.h"
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>

static int thread_tid;
static int hold[2];

static void *thread_main(void *arg) {
  char c;
  (void)arg;
  __atomic_store_n(&thread_tid, (int)syscall(SYS_gettid), __ATOMIC_SEQ_CST);
  read(hold[0], &c, 1);
  return 0;
}

/* nice and policy of task `who` as one line */
static void show(const char *name, int who) {
  struct sched_param sp = {-1};
  errno = 0;
  long prio = syscall(SYS_getpriority, PRIO_PROCESS, who);
  long pol = syscall(SYS_sched_getscheduler, who);
  long r = syscall(SYS_sched_getparam, who, &sp);
  if (prio < 0 || pol < 0 || r < 0) printf("%s: -1 %s\n", name, strerrorname_np(errno));
  else printf("%s: nice %ld policy %#lx priority %d\n", name, 20 - prio, pol, sp.sched_priority);
  fflush(stdout);
}

/* every call of the group on pid `who`, for a pid that names nothing */
static void absent(const char *what, int who) {
  struct sched_param sp = {0};
  struct timespec ts;
  unsigned char mask[32] = {1};
  char at[56];
  printf("%s:\n", what);
  SYS(getpriority, PRIO_PROCESS, who);
  SYS(setpriority, PRIO_PROCESS, who, 0);
  SYS(getpriority, PRIO_PGRP, who);
  SYS(setpriority, PRIO_PGRP, who, 0);
  SYS(sched_getscheduler, who);
  SYS(sched_setscheduler, who, SCHED_OTHER, &sp);
  SYS(sched_getparam, who, &sp);
  SYS(sched_setparam, who, &sp);
  SYS(sched_getattr, who, at, 56, 0);
  SYS(sched_rr_get_interval, who, &ts);
  SYS(sched_getaffinity, who, sizeof mask, mask);
  SYS(sched_setaffinity, who, sizeof mask, mask);
  SYS(ioprio_get, 1, who);
  SYS(ioprio_set, 1, who, 2 << 13);
}

static void affinity(int who) {
  unsigned char mask[64];
  memset(mask, 0xa5, sizeof mask);
  long n = syscall(SYS_sched_getaffinity, who, sizeof mask, mask);
  if (n < 0) printf("sched_getaffinity = -1 %s\n", strerrorname_np(errno));
  else printf("sched_getaffinity = %ld cpu0 %d after %#x\n", n, mask[0] & 1, mask[n]);
  memset(mask, 0, sizeof mask);
  mask[0] = 1;
  SYS(sched_setaffinity, who, 8, mask);
  mask[0] = 0;
  mask[7] = 0x80;
  SYS(sched_setaffinity, who, 8, mask);
  SYS(sched_setaffinity, who, 8, BAD);
}

static void as_other_user(pid_t parent, pid_t sibling) {
  struct sched_param sp = {0};
  unsigned char mask[8] = {1};
  setpgid(0, 0);
  SYS(setresuid, 4321, 4321, 4321);
  show("parent seen by uid 4321", parent);
  SYS(setpriority, PRIO_PROCESS, parent, 5);
  SYS(sched_setscheduler, parent, SCHED_BATCH, &sp);
  SYS(sched_setparam, parent, &sp);
  SYS(sched_setaffinity, parent, sizeof mask, mask);
  SYS(ioprio_set, 1, parent, 2 << 13);
  SYS(setpriority, PRIO_PROCESS, sibling, 5);
  affinity(parent);
  /* its own nice: raising it is fine, lowering it again needs RLIMIT_NICE (0) */
  SYS(setpriority, PRIO_PROCESS, 0, 8);
  SYS(setpriority, PRIO_PROCESS, 0, 4);
  /* a user's tasks: this one only (uid 4321), who 0 the caller's uid */
  SYS(getpriority, PRIO_USER, 0);
  SYS(setpriority, PRIO_USER, 4321, 9);
  SYS(getpriority, PRIO_USER, 4321);
  SYS(getpriority, PRIO_USER, 4322);
  SYS(setpriority, PRIO_USER, 4322, 9);
  SYS(getpriority, PRIO_USER, -1);
  SYS(getpriority, PRIO_PGRP, 0);
  SYS(sched_setscheduler, 0, SCHED_IDLE, &sp);
  SYS(sched_setscheduler, 0, SCHED_OTHER, &sp);
}

int main(void) {
  setvbuf(stdout, 0, _IOLBF, 0);
  struct sched_param sp = {0};
  struct timespec ts;
  int ready[2], release[2];
  char c;
  for (int fd = 3; fd < 1024; fd++) close(fd);
  setpgid(0, 0);
  setpriority(PRIO_PROCESS, 0, 0);
  pipe(hold);
  pipe(ready);
  pipe(release);
  pid_t child = fork();
  if (child == 0) {
    write(ready[1], "r", 1);
    read(release[0], &c, 1);
    _exit(0);
  }
  read(ready[0], &c, 1);
  pthread_t th;
  pthread_create(&th, 0, thread_main, 0);
  while (!__atomic_load_n(&thread_tid, __ATOMIC_SEQ_CST)) sched_yield();
  int tid = thread_tid;

  printf("-- a child\n");
  show("child", child);
  SYS(setpriority, PRIO_PROCESS, child, 7);
  show("child nice 7", child);
  show("self", 0);
  SYS(setpriority, PRIO_PROCESS, child, 30);
  show("child nice 30", child);
  SYS(setpriority, PRIO_PROCESS, child, 2);
  sp.sched_priority = 0;
  SYS(sched_setscheduler, child, SCHED_BATCH, &sp);
  show("child batch", child);
  SYS(sched_setscheduler, child, SCHED_IDLE | SCHED_RESET_ON_FORK, &sp);
  show("child idle reset-on-fork", child);
  sp.sched_priority = 10;
  SYS(sched_setscheduler, child, SCHED_RR, &sp);
  show("child rr 10", child);
  SYS(sched_rr_get_interval, child, &ts);
  printf("interval %ld.%09ld\n", (long)ts.tv_sec, (long)ts.tv_nsec);
  sp.sched_priority = 20;
  SYS(sched_setparam, child, &sp);
  show("child rr 20", child);
  SYS(sched_setscheduler, child, SCHED_FIFO, &sp);
  SYS(sched_rr_get_interval, child, &ts);
  printf("interval %ld.%09ld\n", (long)ts.tv_sec, (long)ts.tv_nsec);
  SYS(sched_setparam, child, BAD);
  SYS(sched_getparam, child, BAD);
  SYS(sched_rr_get_interval, child, BAD);
  struct { unsigned size, policy; unsigned long long flags; int nice; unsigned priority; unsigned long long rt, dl, per; } at;
  memset(&at, 0, sizeof at);
  SYS(sched_getattr, child, &at, 48, 0);
  printf("attr size %u policy %u flags %#llx nice %d priority %u\n", at.size, at.policy, at.flags, at.nice, at.priority);
  at.size = 48;
  at.policy = SCHED_OTHER;
  at.nice = 6;
  at.priority = 0;
  at.rt = at.dl = at.per = 0;
  at.flags = 1; /* SCHED_FLAG_RESET_ON_FORK */
  SYS(sched_setattr, child, &at, 0);
  show("child setattr other nice 6", child);
  SYS(sched_getattr, child, BAD, 48, 0);
  affinity(child);
  SYS(ioprio_set, 1, child, (2 << 13) | 3);
  SYS(ioprio_get, 1, child);

  printf("-- a thread of this process, by its tid\n");
  SYS(setpriority, PRIO_PROCESS, tid, 11);
  show("thread", tid);
  show("self", 0);
  sp.sched_priority = 0;
  SYS(sched_setscheduler, tid, SCHED_BATCH, &sp);
  show("thread batch", tid);
  show("self", 0);
  show("self by pid", getpid());
  SYS(ioprio_set, 1, tid, (3 << 13));
  SYS(ioprio_get, 1, tid);
  SYS(ioprio_get, 1, 0);

  printf("-- the process group (this process, its thread, the child)\n");
  SYS(getpriority, PRIO_PGRP, 0);
  SYS(getpriority, PRIO_PGRP, getpid());
  SYS(setpriority, PRIO_PGRP, 0, 4);
  show("self", 0);
  show("thread", tid);
  show("child", child);
  SYS(setpriority, PRIO_PGRP, child, 4);
  SYS(getpriority, 3, 0);
  SYS(setpriority, -1, 0, 0);

  printf("-- another user's view\n");
  pid_t other = fork();
  if (other == 0) {
    as_other_user(getppid(), child);
    _exit(0);
  }
  wait_child(other);

  printf("-- a zombie, then reaped\n");
  write(release[1], "g", 1);
  struct timespec tick = {0, 5000000};
  while (state_of(child) != 'Z') nanosleep(&tick, NULL);
  show("zombie", child);
  SYS(getpriority, PRIO_PGRP, 0);
  waitpid(child, 0, 0);
  absent("the reaped child", child);
  absent("pid 99999", 99999);
  absent("pid -1", -1);
  absent("minus the reaped child", -child);

  write(hold[1], "x", 1);
  pthread_join(th, 0);
  printf("-- the thread exited\n");
  SYS(getpriority, PRIO_PROCESS, tid);
  SYS(sched_getscheduler, tid);
  return 0;
}
