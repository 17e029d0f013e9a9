/* A process's /proc/<pid> as another process of the tree reads it: the parent reads its forked
 * child's cmdline, comm, status, stat, fd/ and task/ (the child renamed itself, blocks and
 * ignores and catches signals, runs a second thread), then /proc/self and /proc/thread-self, and
 * the child's directory once it is reaped. Pids print relative (child, parent), so the output is
 * the same natively and under dbtlab. */
#include "common.h"
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>

static pid_t parent, child;
static char path[64], text[4096];

/* The whole of /proc/<pid>/LEAF (NULs as '|'), or its error. */
static const char *proc(pid_t pid, const char *leaf) {
  snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, leaf);
  int fd = open(path, O_RDONLY);
  if (fd < 0) return strerrorname_np(errno);
  long n = read(fd, text, sizeof text - 1);
  close(fd);
  text[n < 0 ? 0 : n] = 0;
  for (long i = 0; i < n; i++) if (!text[i]) text[i] = '|';
  return text;
}

/* A number as the program sees it: relative to the two processes. */
static const char *who(long v) {
  static char buf[32];
  if (v == child) return "child";
  if (v == parent) return "parent";
  snprintf(buf, sizeof buf, "%ld", v);
  return buf;
}

static void status_lines(pid_t pid) {
  static const char *keep[] = {"Name:", "State:", "Tgid:", "Pid:", "PPid:", "Uid:", "Gid:", "Threads:", "SigBlk:", "SigIgn:", "SigCgt:"};
  char *save, *line = strtok_r((char *)proc(pid, "status"), "\n", &save);
  for (; line; line = strtok_r(NULL, "\n", &save))
    for (unsigned i = 0; i < sizeof keep / sizeof *keep; i++)
      if (!strncmp(line, keep[i], strlen(keep[i]))) {
        char *v = line + strlen(keep[i]) + 1;
        /* the first process's parent is outside the tree (a different pid natively) */
        printf("  %s %s\n", keep[i], i == 4 && atol(v) != child && atol(v) != parent ? "outside" : i >= 2 && i <= 4 ? who(atol(v)) : v);
      }
}

/* Entry names of a directory, in number order (readdir's own order is the kernel's). */
static void list(pid_t pid, const char *leaf) {
  snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, leaf);
  DIR *d = opendir(path);
  if (!d) {
    printf("  %s: %s\n", leaf, strerrorname_np(errno));
    return;
  }
  int seen[64] = {0}, n = 0;
  for (struct dirent *e; (e = readdir(d));)
    if (e->d_name[0] != '.' && n < 64) seen[n++] = atoi(e->d_name);
  closedir(d);
  printf("  %s:", leaf);
  for (int lo = -1, k = 0; k < n; k++) {
    int next = 1 << 30;
    for (int i = 0; i < n; i++) if (seen[i] > lo && seen[i] < next) next = seen[i];
    printf(" %s", leaf[0] == 't' ? (next == child ? "child" : "thread") : who(next));
    lo = next;
  }
  printf(" (%d)\n", n);
}

static int release[2], ready[2];

static void *idle(void *arg) {
  char c;
  read(release[0], &c, 1);
  return arg;
}
static void on_usr2(int sig) { (void)sig; }

static void run_child(void) {
  close(ready[0]);
  close(release[1]);
  prctl(PR_SET_NAME, "probe-kid");
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGUSR1);
  sigaddset(&s, SIGTERM);
  sigprocmask(SIG_BLOCK, &s, NULL);
  signal(SIGHUP, SIG_IGN);
  signal(SIGUSR2, on_usr2);
  pthread_t t;
  pthread_create(&t, NULL, idle, NULL);
  write(ready[1], "r", 1);
  char c;
  read(release[0], &c, 1);
  _exit(0);
}

int main(int argc, char **argv) {
  (void)argc;
  parent = getpid();
  child = fork_with_pipes(ready, release, run_child);
  char c;
  read(ready[0], &c, 1);
  printf("cmdline is argv[0]: %d\n", !strncmp(proc(child, "cmdline"), argv[0], strlen(argv[0])));
  printf("comm %s", proc(child, "comm"));
  /* the child goes to sleep in read() soon after it said it is ready */
  char state = 'R';
  for (int i = 0; i < 2000 && state == 'R'; i++) {
    proc(child, "stat");
    state = strchr(text, ')')[2];
    if (state == 'R') usleep(1000);
  }
  char stat[512];
  snprintf(stat, sizeof stat, "%s", text);
  printf("status\n");
  status_lines(child);
  char *f1 = strtok(stat, " ");
  char *f2 = strtok(NULL, " ");
  char *f3 = strtok(NULL, " ");
  char *f4 = strtok(NULL, " ");
  char *f5 = strtok(NULL, " ");
  printf("stat 1-5: %s %s %s %s %s\n", who(atol(f1)), f2, f3, who(atol(f4)), atol(f5) == getpgrp() ? "pgrp" : f5);
  proc(child, "stat");
  f1 = strtok(text, " ");
  for (int i = 2; i <= 20; i++) f1 = strtok(NULL, " ");
  printf("stat num_threads %s\n", f1);
  list(child, "fd");
  list(child, "task");
  snprintf(path, sizeof path, "/proc/%d/fd/%d", (int)child, release[0]);
  char link[128] = {0};
  printf("fd link pipe: %d\n", readlink(path, link, sizeof link - 1) > 0 && !strncmp(link, "pipe:[", 6));
  char self[128] = {0}, exe[PATH_MAX] = {0}, kid[PATH_MAX] = {0};
  readlink("/proc/self", self, sizeof self - 1);
  printf("/proc/self -> %s\n", who(atol(self)));
  char want[64];
  snprintf(want, sizeof want, "%d/task/%d", (int)parent, (int)parent);
  memset(self, 0, sizeof self);
  readlink("/proc/thread-self", self, sizeof self - 1);
  printf("/proc/thread-self is pid/task/pid: %d\n", !strcmp(self, want));
  readlink("/proc/self/exe", exe, sizeof exe - 1);
  snprintf(path, sizeof path, "/proc/%d/exe", (int)child);
  readlink(path, kid, sizeof kid - 1);
  printf("child exe is ours: %d\n", !strcmp(exe, kid));
  printf("own comm %s", proc(parent, "comm"));
  status_lines(parent);
  list(parent, "fd");
  write(release[1], "go", 2);
  close(release[1]);
  /* a zombie keeps its directory until it is reaped */
  siginfo_t si;
  waitid(P_PID, child, &si, WEXITED | WNOWAIT);
  printf("zombie comm %s", proc(child, "comm"));
  status_lines(child);
  wait_child(child);
  printf("reaped: %s\n", proc(child, "status"));
  return 0;
}
