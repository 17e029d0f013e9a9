/* Shared by the system-call test programs: each call's result and errno on one line. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define BAD ((void *)0xfffff000)
/* A raw system call (no libc emulation or fallback), its result and errno printed. */
#define SYS(name, ...) report(#name, syscall(SYS_##name, ##__VA_ARGS__))
static long report(const char *what, long r) {
  if (r < 0) printf("%s = -1 %s\n", what, strerrorname_np(errno));
  else printf("%s = %ld\n", what, r);
  fflush(stdout);
  return r;
}

/* Waits for child `pid` and prints how it ended. */
static inline void wait_child(pid_t pid) {
  int st;
  waitpid(pid, &st, 0);
  if (WIFEXITED(st)) printf("child exit %d\n", WEXITSTATUS(st));
  else printf("child signal %d\n", WTERMSIG(st));
  fflush(stdout);
}

/* Runs `body` in a forked child that gave up root: supplementary group 1234, gid and uid 65534
 * (each call's result printed). */
static inline void as_nobody(void (*body)(void)) {
  gid_t grp[1] = { 1234 };
  pid_t pid = fork();
  if (pid == 0) {
    SYS(setgroups, 1, grp);
    SYS(setgid, 65534);
    SYS(setuid, 65534);
    body();
    _exit(0);
  }
  wait_child(pid);
}

/* After closing the descriptors a test runner leaked (dbtlab's guests start with 0-2 only), forks
 * `child_main` with two pipes between them: the child says it is ready on ready[1] and waits on
 * release[0]; the parent keeps the other ends. */
static inline pid_t fork_with_pipes(int ready[2], int release[2], void (*child_main)(void)) {
  for (int fd = 3; fd < 1024; fd++) close(fd);
  pipe(ready);
  pipe(release);
  pid_t pid = fork();
  if (pid == 0) child_main();
  close(ready[1]);
  close(release[0]);
  return pid;
}

/* The state letter of /proc/PID/stat (0 once there is none). */
static inline char state_of(pid_t pid) {
  char path[64], buf[512];
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  int fd = open(path, O_RDONLY);
  if (fd < 0) return 0;
  int n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0) return 0;
  buf[n] = 0;
  char *p = strrchr(buf, ')');
  return p && p[1] ? p[2] : 0;
}

/* Until `pid` sleeps in its call (S) or has ended, looking every 5 ms. */
static inline void until_asleep(pid_t pid) {
  struct timespec ts = {0, 5000000};
  for (char s = state_of(pid); s != 'S' && s != 'Z' && s != 0; s = state_of(pid)) nanosleep(&ts, NULL);
}
