/* Scheduling attributes of the caller: nice (the increment clamped, the old value kept on EPERM),
 * sched_setparam/sched_setscheduler (policies, priorities, SCHED_RESET_ON_FORK, a child's view),
 * sched_rr_get_interval, sched_setattr/sched_getattr (sizes, flags, the nice they carry) and
 * membarrier's commands and registrations; bad pids, policies and pointers give the kernel's errno. */
#include "common.h"
#include <sched.h>
#include <stdint.h>
#include <time.h>

struct attr {
  uint32_t size, policy;
  uint64_t flags;
  int32_t nice;
  uint32_t priority;
  uint64_t runtime, deadline, period;
  uint32_t util_min, util_max;
  uint64_t tail;
};

static void show_policy(const char *when) {
  struct sched_param sp = {-1};
  long pol = syscall(SYS_sched_getscheduler, 0);
  syscall(SYS_sched_getparam, 0, &sp);
  printf("%s: policy %#lx priority %d nice %ld\n", when, pol, sp.sched_priority, 20 - syscall(SYS_getpriority, 0, 0));
}

static void show_attr(const char *when, unsigned size) {
  static union { struct attr at; char room[128]; } u;
  struct attr at;
  memset(&u, 0xa5, sizeof u);
  long r = syscall(SYS_sched_getattr, 0, &u, size, 0);
  memcpy(&at, &u, sizeof at);
  if (r < 0) printf("%s: sched_getattr(%u) = -1 %s\n", when, size, strerrorname_np(errno));
  else printf("%s: size %u policy %u flags %#llx nice %d priority %u runtime %llu deadline %llu period %llu util %u-%u tail %#llx\n", when, at.size, at.policy, (unsigned long long)at.flags, at.nice, at.priority,
              (unsigned long long)at.runtime, (unsigned long long)at.deadline, (unsigned long long)at.period, at.util_min, at.util_max, (unsigned long long)at.tail);
}

int main(void) {
  setvbuf(stdout, 0, _IOLBF, 0);
  struct sched_param sp = {0};
  show_policy("start");
  /* nice (i386): the increment added to the current value, clamped to [-20, 19] */
#ifdef SYS_nice
  SYS(nice, 5);
  show_policy("nice +5");
  SYS(nice, 100);
  show_policy("nice +100");
  SYS(nice, -3);
  show_policy("nice -3");
  SYS(nice, -100);
  show_policy("nice -100");
  SYS(nice, 0);
#endif
  SYS(setpriority, 0, 0, 0);
  /* sched_setparam: the current policy kept; SCHED_OTHER takes priority 0 only */
  sp.sched_priority = 0;
  SYS(sched_setparam, 0, &sp);
  sp.sched_priority = 5;
  SYS(sched_setparam, 0, &sp);
  SYS(sched_setparam, 0, 0);
  SYS(sched_setparam, -1, &sp);
  SYS(sched_setparam, 0, BAD);
  SYS(sched_setparam, 99999, &sp);
  /* sched_setscheduler: policies and their priority ranges */
  sp.sched_priority = 0;
  SYS(sched_setscheduler, 0, SCHED_BATCH, &sp);
  show_policy("batch");
  SYS(sched_setscheduler, 0, SCHED_IDLE, &sp);
  show_policy("idle");
  SYS(sched_setscheduler, 0, SCHED_OTHER, &sp);
  show_policy("other");
  SYS(sched_setscheduler, 0, SCHED_OTHER | SCHED_RESET_ON_FORK, &sp);
  show_policy("other reset-on-fork");
  show_attr("getattr reset-on-fork", 56);
  SYS(sched_setscheduler, 0, SCHED_OTHER, &sp);
  /* a real-time policy (root holds CAP_SYS_NICE) and its interval */
  sp.sched_priority = 10;
  SYS(sched_setscheduler, 0, SCHED_RR, &sp);
  show_policy("rr 10");
  show_attr("getattr rr", 56);
  struct timespec rr = {-1, -1};
  SYS(sched_rr_get_interval, 0, &rr);
  printf("rr interval %ld.%09ld\n", (long)rr.tv_sec, rr.tv_nsec);
  sp.sched_priority = 20;
  SYS(sched_setparam, 0, &sp);
  show_policy("setparam 20");
  sp.sched_priority = 0;
  SYS(sched_setparam, 0, &sp);
  SYS(sched_setscheduler, 0, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp);
  sp.sched_priority = 3;
  SYS(sched_setscheduler, 0, SCHED_FIFO | SCHED_RESET_ON_FORK, &sp);
  show_policy("fifo 3 reset-on-fork");
  pid_t kid = fork();
  if (kid == 0) {
    show_policy("child of reset-on-fork fifo");
    _exit(0);
  }
  wait_child(kid);
  SYS(sched_rr_get_interval, 0, &rr);
  printf("fifo interval %ld.%09ld\n", (long)rr.tv_sec, rr.tv_nsec);
  sp.sched_priority = 0;
  SYS(sched_setscheduler, 0, SCHED_OTHER | SCHED_RESET_ON_FORK, &sp);
  SYS(sched_setscheduler, 0, SCHED_OTHER, &sp);
  show_policy("back to other");
  sp.sched_priority = 1;
  SYS(sched_setscheduler, 0, SCHED_OTHER, &sp);
  sp.sched_priority = 0;
  SYS(sched_setscheduler, 0, SCHED_FIFO, &sp);
  sp.sched_priority = 100;
  SYS(sched_setscheduler, 0, SCHED_RR, &sp);
  SYS(sched_setscheduler, 0, 4, &sp);
  SYS(sched_setscheduler, 0, 7, &sp);
  SYS(sched_setscheduler, 0, -1, &sp);
  SYS(sched_setscheduler, 0, SCHED_OTHER, 0);
  SYS(sched_setscheduler, 0, SCHED_OTHER, BAD);
  SYS(sched_setscheduler, -5, SCHED_OTHER, &sp);
  SYS(sched_setscheduler, 99999, SCHED_OTHER, &sp);
  SYS(sched_getscheduler, 99999);
  SYS(sched_getscheduler, -1);
  /* sched_rr_get_interval: SCHED_OTHER's slice as the kernel reports it */
  struct timespec ts = {-1, -1};
  SYS(sched_rr_get_interval, 0, &ts);
  printf("interval %ld.%09ld\n", (long)ts.tv_sec, ts.tv_nsec);
  SYS(sched_rr_get_interval, 0, BAD);
  SYS(sched_rr_get_interval, -1, &ts);
  SYS(sched_rr_get_interval, 99999, &ts);
#ifdef SYS_sched_rr_get_interval_time64
  long long ts64[2] = {-1, -1};
  SYS(sched_rr_get_interval_time64, 0, ts64);
  printf("interval64 %lld.%09lld\n", ts64[0], ts64[1]);
  SYS(sched_rr_get_interval_time64, 0, BAD);
#endif
  /* sched_getattr / sched_setattr: the structure's sizes and what it carries */
  show_attr("getattr 48", 48);
  show_attr("getattr 56", 56);
  show_attr("getattr 64", 64);
  show_attr("getattr 47", 47);
  show_attr("getattr 128", 128);
  show_attr("getattr 4097", 4097);
  SYS(sched_getattr, 0, BAD, 56, 0);
  SYS(sched_getattr, 0, 0, 56, 0);
  struct attr at = {0};
  SYS(sched_getattr, 0, &at, 56, 1);
  SYS(sched_getattr, -1, &at, 56, 0);
  SYS(sched_getattr, 99999, &at, 56, 0);
  memset(&at, 0, sizeof at);
  at.size = 48;
  at.policy = SCHED_OTHER;
  at.nice = 7;
  SYS(sched_setattr, 0, &at, 0);
  show_attr("setattr nice 7", 56);
  at.runtime = 10000000;
  SYS(sched_setattr, 0, &at, 0);
  show_attr("setattr runtime 10 ms", 56);
  SYS(sched_rr_get_interval, 0, &ts);
  printf("custom slice interval %ld.%09ld\n", (long)ts.tv_sec, ts.tv_nsec);
  at.runtime = 1000;
  SYS(sched_setattr, 0, &at, 0);
  show_attr("setattr runtime 1 us", 56);
  at.runtime = 0;
  at.size = 0;
  at.nice = 3;
  SYS(sched_setattr, 0, &at, 0);
  show_attr("setattr size 0", 56);
  at.size = 40;
  SYS(sched_setattr, 0, &at, 0);
  printf("size written back %u\n", at.size);
  at.size = 48;
  at.policy = SCHED_BATCH;
  at.flags = 0x08; /* SCHED_FLAG_KEEP_POLICY */
  SYS(sched_setattr, 0, &at, 0);
  show_attr("keep policy", 56);
  at.flags = 0x100;
  SYS(sched_setattr, 0, &at, 0);
  at.flags = 0x20; /* SCHED_FLAG_UTIL_CLAMP_MIN */
  SYS(sched_setattr, 0, &at, 0);
  at.size = 48;
  at.flags = 0;
  at.policy = 9;
  SYS(sched_setattr, 0, &at, 0);
  at.policy = SCHED_OTHER;
  at.priority = 1;
  SYS(sched_setattr, 0, &at, 0);
  at.priority = 0;
  SYS(sched_setattr, 0, &at, 1);
  SYS(sched_setattr, 0, BAD, 0);
  SYS(sched_setattr, 0, 0, 0);
  SYS(sched_setattr, -1, &at, 0);
  at.nice = 0;
  SYS(sched_setattr, 0, &at, 0);
  show_policy("end");
  /* a child inherits the policy (and SCHED_RESET_ON_FORK resets it) */
  sp.sched_priority = 0;
  syscall(SYS_sched_setscheduler, 0, SCHED_BATCH | SCHED_RESET_ON_FORK, &sp);
  syscall(SYS_setpriority, 0, 0, 4);
  pid_t pid = fork();
  if (pid == 0) {
    show_policy("child of reset-on-fork batch");
    _exit(0);
  }
  wait_child(pid);
  syscall(SYS_sched_setscheduler, 0, SCHED_BATCH, &sp);
  pid = fork();
  if (pid == 0) {
    show_policy("child of batch");
    _exit(0);
  }
  wait_child(pid);
  /* membarrier: the supported commands, registration before the private expedited ones */
  long q = SYS(membarrier, 0, 0);
  printf("membarrier query %#lx\n", q);
  SYS(membarrier, 1 << 3, 0); /* PRIVATE_EXPEDITED, not registered */
  SYS(membarrier, 1 << 4, 0); /* REGISTER_PRIVATE_EXPEDITED */
  SYS(membarrier, 1 << 3, 0);
  SYS(membarrier, 1 << 9, 0); /* GET_REGISTRATIONS */
  SYS(membarrier, 1 << 1, 0); /* GLOBAL_EXPEDITED, not registered: still fine */
  SYS(membarrier, 1 << 2, 0); /* REGISTER_GLOBAL_EXPEDITED */
  SYS(membarrier, 1 << 0, 0); /* GLOBAL */
  SYS(membarrier, 1 << 5, 0); /* PRIVATE_EXPEDITED_SYNC_CORE, not registered */
  SYS(membarrier, 1 << 7, 0); /* PRIVATE_EXPEDITED_RSEQ, not registered */
  SYS(membarrier, 1 << 9, 0);
  SYS(membarrier, 0, 1);
  SYS(membarrier, 1 << 3, 1);
  SYS(membarrier, 1 << 3, 2);
  SYS(membarrier, 1 << 10, 0);
  SYS(membarrier, 3, 0);
  pid = fork();
  if (pid == 0) {
    SYS(membarrier, 1 << 9, 0);
    _exit(0);
  }
  wait_child(pid);
  return 0;
}
