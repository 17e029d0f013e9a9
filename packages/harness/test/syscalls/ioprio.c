/* ioprio_get/ioprio_set: the value a task that never set one reports (0, class none, whatever
 * its nice and policy; a group of two such tasks reports the best-effort default), the classes,
 * levels and hints set and read back (16 bits kept) for a process, a process group (its own, so
 * nothing outside is touched) and a user (a uid of its own), what a child inherits, and the
 * checks in order: EINVAL for an unknown class or a level in class none, EPERM for the
 * real-time class without CAP_SYS_NICE, EINVAL for an unknown which, ESRCH, EPERM for another
 * user's task. */
#include "common.h"
#include <sched.h>
#include <sys/resource.h>

#define WHO_PROCESS 1
#define WHO_PGRP 2
#define WHO_USER 3
#define PRIO(class, data) (((class) << 13) | (data))

/* The caller's value as a process (what it set) and as its group (class none: what its nice and
 * policy give). */
static void show(const char *when) {
  long r = syscall(SYS_ioprio_get, WHO_PROCESS, 0);
  long g = syscall(SYS_ioprio_get, WHO_PGRP, 0);
  if (r < 0) printf("%s: -1 %s\n", when, strerrorname_np(errno));
  else printf("%s: class %ld data %ld (%#lx), group %#lx\n", when, r >> 13, r & 0x1fff, r, g);
}

static int ready[2], release[2];

/* The member of the group that sets its own class and waits to be released. */
static void member(void) {
  char c;
  SYS(ioprio_set, WHO_PROCESS, 0, PRIO(2, 6));
  write(ready[1], "r", 1);
  read(release[0], &c, 1);
  _exit(0);
}

/* A task of uid 4321 (no other task has it): no CAP_SYS_NICE, its own user. */
static void unprivileged(void) {
  pid_t pid = fork();
  if (pid == 0) {
    SYS(setgid, 4321);
    SYS(setuid, 4321);
    show("as uid 4321");
    SYS(ioprio_set, WHO_PROCESS, 0, PRIO(1, 0));
    SYS(ioprio_set, 4, 0, PRIO(1, 0));
    SYS(ioprio_set, WHO_PROCESS, 99999, PRIO(1, 0));
    SYS(ioprio_set, WHO_PROCESS, 0, PRIO(2, 7));
    SYS(ioprio_set, WHO_PROCESS, 0, PRIO(3, 0));
    show("uid 4321 idle");
    SYS(ioprio_set, WHO_PROCESS, getppid(), PRIO(2, 1));
    SYS(ioprio_get, WHO_PROCESS, getppid());
    /* who 0 sets uid 0's tasks (the kernel compares make_kuid(0)), gets the caller's */
    SYS(ioprio_set, WHO_USER, 0, PRIO(2, 3));
    show("uid 4321 after user 0");
    SYS(ioprio_set, WHO_USER, 4321, PRIO(2, 3));
    show("uid 4321 after user 4321");
    SYS(ioprio_get, WHO_USER, 0);
    SYS(ioprio_get, WHO_USER, 4321);
    _exit(0);
  }
  wait_child(pid);
}

int main(void) {
  setvbuf(stdout, 0, _IOLBF, 0);
  SYS(setpgid, 0, 0);
  show("start");
  setpriority(PRIO_PROCESS, 0, 10);
  show("nice 10");
  SYS(ioprio_get, WHO_PROCESS, getpid());
  SYS(ioprio_get, WHO_PGRP, 0);
  pid_t pid = fork_with_pipes(ready, release, member);
  char c;
  read(ready[0], &c, 1);
  SYS(ioprio_get, WHO_PROCESS, pid);
  write(release[1], "x", 1);
  wait_child(pid);
  pid = fork();
  if (pid == 0) {
    show("child of a task that never set one");
    SYS(ioprio_get, WHO_PGRP, 0);
    _exit(0);
  }
  wait_child(pid);
  /* class none, level 0: the I/O context exists from now on */
  SYS(ioprio_set, WHO_PROCESS, 0, PRIO(0, 0));
  show("none");
  setpriority(PRIO_PROCESS, 0, 19);
  show("none at nice 19");
  setpriority(PRIO_PROCESS, 0, -3);
  show("none at nice -3");
  struct sched_param sp = {0};
  SYS(sched_setscheduler, 0, SCHED_IDLE, &sp);
  show("none under SCHED_IDLE");
  SYS(sched_setscheduler, 0, SCHED_BATCH, &sp);
  show("none under SCHED_BATCH");
  sp.sched_priority = 5;
  SYS(sched_setscheduler, 0, SCHED_FIFO, &sp);
  show("none under SCHED_FIFO");
  sp.sched_priority = 0;
  SYS(sched_setscheduler, 0, SCHED_OTHER, &sp);
  setpriority(PRIO_PROCESS, 0, 0);
  /* classes and levels */
  SYS(ioprio_set, WHO_PROCESS, 0, PRIO(1, 3));
  show("rt 3");
  SYS(ioprio_set, WHO_PROCESS, 0, PRIO(2, 7));
  show("be 7");
  SYS(ioprio_set, WHO_PROCESS, 0, PRIO(3, 5));
  show("idle 5");
  SYS(ioprio_set, WHO_PROCESS, 0, PRIO(2, 0) | (3 << 3));
  show("be 0 hint 3");
  SYS(ioprio_set, WHO_PROCESS, 0, PRIO(2, 0) | (0x3ff << 3));
  show("be 0 hint 0x3ff");
  SYS(ioprio_set, WHO_PROCESS, 0, PRIO(2, 1) | 0x10000);
  show("be 1 with bit 16");
  SYS(ioprio_set, WHO_PROCESS, 0, PRIO(3, 1) | 0x80000000);
  show("idle 1 with bit 31");
  SYS(ioprio_set, WHO_PROCESS, 0, PRIO(2, 2));
  /* errors */
  SYS(ioprio_set, WHO_PROCESS, 0, PRIO(0, 1));
  SYS(ioprio_set, WHO_PROCESS, 0, PRIO(4, 0));
  SYS(ioprio_set, WHO_PROCESS, 0, PRIO(7, 0));
  SYS(ioprio_set, 0, 0, PRIO(2, 0));
  SYS(ioprio_set, 4, 0, PRIO(2, 0));
  SYS(ioprio_set, 4, 0, PRIO(4, 0));
  SYS(ioprio_get, 0, 0);
  SYS(ioprio_get, 4, 0);
  SYS(ioprio_set, WHO_PROCESS, 99999, PRIO(2, 0));
  SYS(ioprio_get, WHO_PROCESS, 99999);
  SYS(ioprio_set, WHO_PROCESS, -1, PRIO(2, 0));
  SYS(ioprio_set, WHO_PROCESS, 99999, PRIO(7, 0));
  SYS(ioprio_get, WHO_PGRP, 99999);
  SYS(ioprio_set, WHO_PGRP, 99999, PRIO(2, 0));
  SYS(ioprio_get, WHO_USER, 4321);
  SYS(ioprio_set, WHO_USER, 4321, PRIO(2, 0));
  show("after errors");
  /* a child inherits a class that was set; its own change is its own */
  pid = fork();
  if (pid == 0) {
    show("child");
    SYS(ioprio_set, WHO_PROCESS, 0, PRIO(3, 0));
    show("child idle");
    _exit(0);
  }
  wait_child(pid);
  show("parent after child");
  /* another guest by pid, and a process group with two members (the best class and level) */
  pid = fork_with_pipes(ready, release, member);
  read(ready[0], &c, 1);
  SYS(ioprio_get, WHO_PROCESS, pid);
  SYS(ioprio_set, WHO_PROCESS, pid, PRIO(2, 5));
  SYS(ioprio_get, WHO_PROCESS, pid);
  SYS(ioprio_get, WHO_PGRP, 0);
  SYS(ioprio_get, WHO_PGRP, getpgrp());
  SYS(ioprio_set, WHO_PGRP, 0, PRIO(2, 4));
  SYS(ioprio_get, WHO_PROCESS, pid);
  show("after pgrp set");
  write(release[1], "x", 1);
  wait_child(pid);
  unprivileged();
  return 0;
}
