/* The files of a guest's /proc directory that come from its own state, and names looked up
 * relative to a /proc directory: the parent forks a child whose main thread and second thread
 * each fork a grandchild and name themselves; the parent reads the children files, each
 * thread's comm, status (every field's name, the sizes that do not depend on the machine),
 * statm against status, stat's code range, limits after setrlimit, Groups after setgroups,
 * then opens and enters /proc directories (openat, fstatat, readlinkat, chdir, fchdir, getcwd)
 * and lists /proc. Its native run is in a pid namespace of its own, the tree dbtlab's guests
 * see; pids print as who they are. */
#include "common.h"
#include <dirent.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

static pid_t parent, child, thread_tid;
static char text[8192];
static int release[2], ready[2];

/* The whole of a file (NULs as '|'), or its error. */
static const char *readat(int dirfd, const char *path) {
  int fd = openat(dirfd, path, O_RDONLY);
  if (fd < 0) return strerrorname_np(errno);
  long n = read(fd, text, sizeof text - 1);
  close(fd);
  text[n < 0 ? 0 : n] = 0;
  for (long i = 0; i < n; i++) if (!text[i]) text[i] = '|';
  return text;
}

static const char *procfile(pid_t pid, const char *leaf) {
  char path[96];
  snprintf(path, sizeof path, "/proc/%d/%s", (int)pid, leaf);
  return readat(AT_FDCWD, path);
}

/* A pid as the program sees it: whose it is (a grandchild by the name it gave itself). */
static const char *who(long v) {
  static char buf[64];
  if (v == parent) return "parent";
  if (v == child) return "child";
  if (v == thread_tid) return "child's thread";
  const char *comm = procfile(v, "comm");
  snprintf(buf, sizeof buf, "%s", comm);
  buf[strcspn(buf, "\n")] = 0;
  return buf;
}

/* Each pid of a space-separated list (children files). */
static void pids(const char *label, const char *list) {
  char copy[256];
  snprintf(copy, sizeof copy, "%s", list);
  int trailing = copy[0] == 0 || copy[strlen(copy) - 1] == ' ';
  printf("%s:", label);
  for (char *save, *t = strtok_r(copy, " \n", &save); t; t = strtok_r(NULL, " \n", &save)) printf(" [%s]", who(atol(t)));
  printf(" (ends with a space: %d)\n", trailing);
}

/* A status field's value (its text after the tab; one buffer per call site's turn), or "". */
static const char *field(const char *status, const char *name) {
  static char values[8][256];
  static int turn;
  char *value = values[turn++ % 8];
  char key[64];
  snprintf(key, sizeof key, "\n%s:\t", name);
  const char *at = strncmp(status, key + 1, strlen(key) - 1) ? strstr(status, key) : status - 1;
  value[0] = 0;
  if (at) snprintf(value, 256, "%.*s", (int)strcspn(at + strlen(key), "\n"), at + strlen(key));
  return value;
}
static long kb(const char *status, const char *name) { return atol(field(status, name)); }

static void status_report(pid_t pid) {
  char status[8192];
  snprintf(status, sizeof status, "%s", procfile(pid, "status"));
  printf("status fields:");
  for (char *line = status; *line; line = strchr(line, '\n') + 1) {
    printf(" %.*s", (int)(strchr(line, ':') - line), line);
    if (!strchr(line, '\n')) break;
  }
  printf("\n");
  printf("  Groups: [%s] VmExe %ld VmLib %ld VmStk %ld SigQ limit %s\n", field(status, "Groups"), kb(status, "VmExe"), kb(status, "VmLib"),
         kb(status, "VmStk"), strchr(field(status, "SigQ"), '/'));
  printf("  VmRSS = RssAnon + RssFile + RssShmem: %d\n", kb(status, "VmRSS") == kb(status, "RssAnon") + kb(status, "RssFile") + kb(status, "RssShmem"));
  long size, resident, shared, textp, lib, data, dt;
  sscanf(procfile(pid, "statm"), "%ld %ld %ld %ld %ld %ld %ld", &size, &resident, &shared, &textp, &lib, &data, &dt);
  printf("  statm: size %d resident in it %d shared %d text %d lib %ld data %d dt %ld\n", size * 4 == kb(status, "VmSize"), resident > 0 && resident <= size,
         shared * 4 == kb(status, "RssFile") + kb(status, "RssShmem"), textp * 4 == kb(status, "VmExe"), lib,
         data * 4 == kb(status, "VmData") + kb(status, "VmStk"), dt);
}

static int named[2];

/* A grandchild that names itself, says so, and waits to be released. */
static void grandchild(const char *name) {
  if (fork() != 0) {
    char c;
    read(named[0], &c, 1);
    return;
  }
  prctl(PR_SET_NAME, name);
  write(named[1], "n", 1);
  char c;
  read(release[0], &c, 1);
  _exit(0);
}

/* A second thread of the child: names itself, forks a grandchild; the one that stays says it is ready. */
static void *second_thread(void *stays) {
  thread_tid = syscall(SYS_gettid);
  prctl(PR_SET_NAME, "kid-thread");
  char name[16] = {0};
  prctl(PR_GET_NAME, name);
  printf("thread PR_GET_NAME %s\n", name);
  fflush(stdout);
  grandchild("grandkid-t");
  if (stays) {
    write(ready[1], &thread_tid, sizeof thread_tid);
    char c;
    read(release[0], &c, 1);
  }
  return NULL;
}

static void run_child(void) {
  close(ready[0]);
  close(release[1]);
  pipe(named);
  prctl(PR_SET_NAME, "kid");
  pthread_t t;
  pthread_create(&t, NULL, second_thread, NULL);
  pthread_join(t, NULL);
  char name[16] = {0};
  prctl(PR_GET_NAME, name);
  printf("main thread PR_GET_NAME %s\n", name);
  fflush(stdout);
  /* the first thread ended: its child is the main thread's now */
  grandchild("grandkid-m");
  pthread_create(&t, NULL, second_thread, &t);
  char c;
  read(release[0], &c, 1);
  while (wait(NULL) > 0) continue;
  _exit(0);
}

int main(void) {
  parent = getpid();
  child = fork_with_pipes(ready, release, run_child);
  read(ready[0], &thread_tid, sizeof thread_tid);

  char path[96];
  snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)child, (int)child);
  pids("main thread's children", readat(AT_FDCWD, path));
  snprintf(path, sizeof path, "/proc/%d/task/%d/children", (int)child, (int)thread_tid);
  pids("second thread's children", readat(AT_FDCWD, path));
  printf("/proc/PID/children: %s\n", procfile(child, "children"));
  printf("comm %s", procfile(child, "comm"));
  snprintf(path, sizeof path, "task/%d/comm", (int)thread_tid);
  printf("thread comm %s", procfile(child, path));
  snprintf(path, sizeof path, "task/%d/status", (int)thread_tid);
  printf("thread status Name: %s\n", field(procfile(child, path), "Name"));

  status_report(parent);
  char stat[1024];
  snprintf(stat, sizeof stat, "%s", procfile(parent, "stat"));
  char *f = strrchr(stat, ')') + 2;
  unsigned long startcode = 0, endcode = 0;
  for (int i = 3; i < 26; i++) f = strchr(f, ' ') + 1;
  sscanf(f, "%lu %lu", &startcode, &endcode);
  printf("stat startcode %#lx endcode %#lx\n", startcode, endcode);

  struct rlimit files = {100, 200}, core = {0, 4096};
  setrlimit(RLIMIT_NOFILE, &files);
  setrlimit(RLIMIT_CORE, &core);
  printf("limits\n%s", readat(AT_FDCWD, "/proc/self/limits"));
  gid_t groups[] = {5, 6};
  printf("getgroups %d\n", getgroups(0, NULL));
  setgroups(2, groups);
  printf("after setgroups: Groups: [%s]\n", field(procfile(parent, "status"), "Groups"));

  /* names relative to a /proc directory */
  snprintf(path, sizeof path, "/proc/%d", (int)child);
  int dfd = open(path, O_RDONLY | O_DIRECTORY);
  printf("openat(/proc/child, comm) %s", readat(dfd, "comm"));
  snprintf(path, sizeof path, "task/%d/comm", (int)thread_tid);
  printf("openat(/proc/child, task/thread/comm) %s", readat(dfd, path));
  printf("openat(/proc/child, ../self/comm) %s", readat(dfd, "../self/comm"));
  printf("openat(/proc/child, nosuch) %s\n", readat(dfd, "nosuch"));
  struct stat st;
  int r = fstatat(dfd, "status", &st, 0);
  printf("fstatat(/proc/child, status): %d regular %d\n", r, S_ISREG(st.st_mode));
  char exe[PATH_MAX] = {0}, own[PATH_MAX] = {0};
  readlinkat(dfd, "exe", exe, sizeof exe - 1);
  readlink("/proc/self/exe", own, sizeof own - 1);
  printf("readlinkat(/proc/child, exe) is ours: %d\n", !strcmp(exe, own));
  int tfd = openat(dfd, "task", O_RDONLY | O_DIRECTORY);
  DIR *d = fdopendir(tfd);
  int threads = 0;
  for (struct dirent *e; (e = readdir(d));) threads += e->d_name[0] != '.';
  closedir(d);
  printf("openat(/proc/child, task) lists %d threads\n", threads);
  int pfd = open("/proc", O_RDONLY | O_DIRECTORY);
  snprintf(path, sizeof path, "%d/comm", (int)child);
  printf("openat(/proc, child/comm) %s", readat(pfd, path));
  char link[64] = {0};
  readlinkat(pfd, "self", link, sizeof link - 1);
  printf("readlinkat(/proc, self) %s\n", who(atol(link)));

  char cwd[PATH_MAX];
  chdir("/proc/self");
  getcwd(cwd, sizeof cwd);
  printf("chdir /proc/self: cwd /proc/%s, comm %s", who(atol(cwd + 6)), readat(AT_FDCWD, "comm"));
  chdir("task");
  getcwd(cwd, sizeof cwd);
  printf("chdir task: cwd ends /task: %d, entries: ", strlen(cwd) > 5 && !strcmp(cwd + strlen(cwd) - 5, "/task"));
  snprintf(path, sizeof path, "%d/comm", (int)parent);
  printf("%s", readat(AT_FDCWD, path));
  fchdir(dfd);
  getcwd(cwd, sizeof cwd);
  printf("fchdir /proc/child: cwd /proc/%s, comm %s", who(atol(cwd + 6)), readat(AT_FDCWD, "comm"));
  chdir("..");
  getcwd(cwd, sizeof cwd);
  printf("chdir ..: cwd %s\n", cwd);
  chdir("/");

  /* /proc lists the processes of the tree, not their threads */
  d = opendir("/proc");
  long seen[64];
  int n = 0;
  for (struct dirent *e; (e = readdir(d));)
    if (e->d_name[0] >= '0' && e->d_name[0] <= '9' && n < 64) seen[n++] = atol(e->d_name);
  closedir(d);
  printf("/proc lists %d processes:", n);
  for (int i = 0; i < n; i++) printf(" [%s]", who(seen[i]));
  printf("\n");

  write(release[1], "go", 2);
  close(release[1]);
  wait_child(child);
  printf("reaped: /proc/child/comm %s\n", procfile(child, "comm"));
  return 0;
}
