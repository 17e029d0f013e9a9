/* Job control and what a child shares: SIGSTOP/SIGTSTP stop a process (not scheduled while
 * stopped), SIGCONT continues it; the statuses wait4/waitid report (WUNTRACED, WCONTINUED,
 * WNOWAIT), SIGCHLD's CLD_STOPPED/CLD_CONTINUED and SA_NOCLDSTOP; SIGTSTP discarded in an
 * orphaned process group; the core bit with RLIMIT_CORE 0 and unlimited, and not dumpable;
 * an orphan's parent (no subreaper); clone with CLONE_FILES, CLONE_FS, CLONE_SIGHAND without
 * CLONE_THREAD; a timerfd across fork. Output comes from the parent only. */
#include "common.h"
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <sys/wait.h>

static void show(const char *what, pid_t r, int st) {
  if (r <= 0) printf("%s: %d %s\n", what, (int)r, r < 0 ? strerrorname_np(errno) : "");
  else if (WIFSTOPPED(st)) printf("%s: stopped by %d (status %#x)\n", what, WSTOPSIG(st), st);
  else if (WIFCONTINUED(st)) printf("%s: continued (status %#x)\n", what, st);
  else if (WIFEXITED(st)) printf("%s: exited %d (status %#x)\n", what, WEXITSTATUS(st), st);
  else printf("%s: killed by %d, core %d (status %#x)\n", what, WTERMSIG(st), WCOREDUMP(st) ? 1 : 0, st);
}

static void wait_show(const char *what, pid_t pid, int options) {
  int st = 0;
  pid_t r = waitpid(pid, &st, options);
  show(what, r == pid ? 1 : r, st);
}

static void chld_info(const char *what) {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  siginfo_t si;
  struct timespec ts = {5, 0};
  int s = sigtimedwait(&set, &si, &ts);
  if (s < 0) printf("%s: no SIGCHLD (%s)\n", what, strerrorname_np(errno));
  else printf("%s: SIGCHLD code %d status %d from child %s\n", what, si.si_code, si.si_status, si.si_pid > 0 ? "yes" : "no");
}

static int sigchld_pending(void) {
  sigset_t set;
  sigpending(&set);
  return sigismember(&set, SIGCHLD);
}

static volatile int got;
static void on_sig(int sig) { got = sig; }
static int answer_fd;
static void answer(int sig) { write(answer_fd, sig == SIGTSTP ? "t" : "u", 1); }
static char stack[64 * 1024] __attribute__((aligned(16)));

static int files_child(void *arg) {
  (void)arg;
  close(10);
  return open("/proc/self/exe", O_RDONLY) < 0;
}
static int fs_child(void *arg) {
  (void)arg;
  umask(077);
  return chdir("/") != 0;
}
static int sighand_child(void *arg) {
  (void)arg;
  signal(SIGUSR2, on_sig);
  return 0;
}

int main(void) {
  setvbuf(stdout, 0, _IOLBF, 0);
  sigset_t chld;
  sigemptyset(&chld);
  sigaddset(&chld, SIGCHLD);
  sigprocmask(SIG_BLOCK, &chld, 0);
  volatile long *counter = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);

  /* SIGSTOP: the child stops (and stays still), SIGCONT continues it */
  pid_t pid = fork();
  if (pid == 0)
    for (;;) ++*counter;
  while (*counter == 0) sched_yield();
  kill(pid, SIGSTOP);
  wait_show("after SIGSTOP", pid, WUNTRACED);
  chld_info("stop");
  long c0 = *counter;
  for (int i = 0; i < 200; i++) sched_yield();
  printf("counter still while stopped: %s\n", *counter == c0 ? "yes" : "no");
  wait_show("stopped again, WNOHANG", pid, WUNTRACED | WNOHANG);
  siginfo_t si = {0};
  int r = waitid(P_PID, pid, &si, WSTOPPED | WNOHANG);
  printf("waitid after the report: %d, pid %s\n", r, si.si_pid ? "set" : "0");
  kill(pid, SIGCONT);
  chld_info("cont");
  wait_show("after SIGCONT", pid, WCONTINUED);
  c0 = *counter;
  while (*counter == c0) sched_yield();
  printf("runs again: yes\n");

  /* waitid: WSTOPPED with WNOWAIT leaves the report; WCONTINUED; WEXITED only for exits */
  kill(pid, SIGSTOP);
  memset(&si, 0, sizeof si);
  r = waitid(P_PID, pid, &si, WSTOPPED | WNOWAIT);
  printf("waitid WNOWAIT = %d code %d status %d\n", r, si.si_code, si.si_status);
  memset(&si, 0, sizeof si);
  r = waitid(P_PID, pid, &si, WSTOPPED);
  printf("waitid WSTOPPED = %d code %d status %d\n", r, si.si_code, si.si_status);
  memset(&si, 0, sizeof si);
  r = waitid(P_PID, pid, &si, WEXITED | WNOHANG);
  printf("waitid WEXITED of a stopped child = %d pid %s\n", r, si.si_pid ? "set" : "0");
  chld_info("stop 2");
  kill(pid, SIGCONT);
  memset(&si, 0, sizeof si);
  r = waitid(P_PID, pid, &si, WCONTINUED);
  printf("waitid WCONTINUED = %d code %d status %d\n", r, si.si_code, si.si_status);
  chld_info("cont 2");

  /* a stop signal pending with SIGCONT sent after it: SIGCONT discards it */
  kill(pid, SIGSTOP);
  wait_show("stopped 3", pid, WUNTRACED);
  chld_info("stop 3");
  /* SIGKILL ends a stopped process */
  kill(pid, SIGKILL);
  wait_show("SIGKILL while stopped", pid, 0);
  chld_info("kill");

  /* SA_NOCLDSTOP: no SIGCHLD for a stop or a continue, the wait reports them still */
  struct sigaction sa = {0};
  sa.sa_handler = on_sig;
  sa.sa_flags = SA_NOCLDSTOP;
  sigaction(SIGCHLD, &sa, 0);
  pid = fork();
  if (pid == 0)
    for (;;) pause();
  kill(pid, SIGSTOP);
  wait_show("SA_NOCLDSTOP stop", pid, WUNTRACED);
  printf("SIGCHLD pending: %d\n", sigchld_pending());
  kill(pid, SIGCONT);
  wait_show("SA_NOCLDSTOP cont", pid, WCONTINUED);
  printf("SIGCHLD pending: %d\n", sigchld_pending());
  kill(pid, SIGTERM);
  wait_show("terminated", pid, 0);
  printf("SIGCHLD pending: %d\n", sigchld_pending());
  signal(SIGCHLD, SIG_DFL);
  sigprocmask(SIG_UNBLOCK, &chld, 0);

  /* SIGTSTP: stops a child in a group of its own (not orphaned); a handler catches it; in an
   * orphaned group (a new session) it is discarded. The handlers answer on a pipe. */
  int fd[2];
  pipe(fd);
  answer_fd = fd[1];
  for (int mode = 0; mode < 3; mode++) {
    pid = fork();
    if (pid == 0) {
      if (mode == 2) setsid();
      else setpgid(0, 0);
      signal(SIGURG, answer);
      if (mode == 1) signal(SIGTSTP, answer);
      write(fd[1], "r", 1);
      for (;;) pause();
    }
    char c;
    read(fd[0], &c, 1);
    kill(pid, SIGTSTP);
    if (mode == 0) wait_show("SIGTSTP, own group", pid, WUNTRACED);
    else {
      if (mode == 2) kill(pid, SIGURG);
      read(fd[0], &c, 1);
      printf("SIGTSTP mode %d: answer %c, ", mode, c);
      wait_show("state", pid, WUNTRACED | WNOHANG);
    }
    kill(pid, SIGKILL);
    wait_show("killed", pid, 0);
  }

  /* the core bit: RLIMIT_CORE 0, unlimited, and not dumpable */
  int core_sigs[] = {SIGSEGV, SIGABRT, SIGQUIT, SIGTERM};
  for (int lim = 0; lim < 3; lim++) {
    struct rlimit rl = {lim ? RLIM_INFINITY : 0, RLIM_INFINITY};
    setrlimit(RLIMIT_CORE, &rl);
    for (unsigned i = 0; i < sizeof core_sigs / sizeof core_sigs[0]; i++) {
      pid = fork();
      if (pid == 0) {
        if (lim == 2) prctl(PR_SET_DUMPABLE, 0);
        raise(core_sigs[i]);
        _exit(99);
      }
      char what[64];
      snprintf(what, sizeof what, "%s, core limit %s%s", strsignal(core_sigs[i]), lim ? "unlimited" : "0", lim == 2 ? ", not dumpable" : "");
      wait_show(what, pid, 0);
      unlink("core");
    }
  }

  /* an orphan (no subreaper) gets a parent outside the tree */
  pipe(fd);
  pid_t me = getpid();
  pid = fork();
  if (pid == 0) {
    pid_t mid = getpid();
    if (fork() == 0) {
      while (getppid() == mid) sched_yield();
      char c = getppid() == 1 ? '1' : getppid() == me ? 'p' : 'o';
      write(fd[1], &c, 1);
      _exit(0);
    }
    _exit(0);
  }
  wait_show("middle", pid, 0);
  char c;
  read(fd[0], &c, 1);
  printf("orphan's parent: %s\n", c == '1' ? "pid 1" : c == 'p' ? "grandparent" : "other");
  pid_t w = wait(0);
  printf("grandparent wait: %d %s\n", (int)w, strerrorname_np(errno));

  /* clone with CLONE_FILES, CLONE_FS, CLONE_SIGHAND (and CLONE_VM) but no CLONE_THREAD */
  dup2(1, 10);
  pid = clone(files_child, stack + sizeof stack, CLONE_FILES | SIGCHLD, 0);
  wait_show("CLONE_FILES child", pid, 0);
  printf("fd 10 after the child closed it: %s\n", fcntl(10, F_GETFD) < 0 ? strerrorname_np(errno) : "open");
  int nfd = open("/dev/null", O_RDONLY);
  printf("next fd: %d (the child's open took one)\n", nfd);
  close(nfd);
  char cwd[256];
  pid = clone(fs_child, stack + sizeof stack, CLONE_FS | SIGCHLD, 0);
  wait_show("CLONE_FS child", pid, 0);
  mode_t old = umask(022);
  printf("cwd is / now: %s, umask %03o\n", strcmp(getcwd(cwd, sizeof cwd), "/") == 0 ? "yes" : "no", old);
  pid = clone(sighand_child, stack + sizeof stack, CLONE_SIGHAND | CLONE_VM | SIGCHLD, 0);
  wait_show("CLONE_SIGHAND child", pid, 0);
  struct sigaction cur;
  sigaction(SIGUSR2, 0, &cur);
  printf("SIGUSR2 handler set by the child: %s\n", cur.sa_handler == on_sig ? "yes" : "no");
  pid = fork();
  if (pid == 0) {
    signal(SIGUSR2, SIG_IGN);
    _exit(0);
  }
  wait_show("fork child", pid, 0);
  sigaction(SIGUSR2, 0, &cur);
  printf("after a forked child's change: %s\n", cur.sa_handler == on_sig ? "unchanged" : "changed");

  /* a timerfd across fork: one timer, the parent's and the child's (armed far ahead, so that a
   * slow fork still finds it armed; the child re-arms it for a millisecond and reads it) */
  int tfd = timerfd_create(CLOCK_MONOTONIC, 0);
  struct itimerspec its = {{0, 0}, {30, 0}};
  timerfd_settime(tfd, 0, &its, 0);
  pid = fork();
  if (pid == 0) {
    struct itimerspec now, soon = {{0, 0}, {0, 1000 * 1000}};
    timerfd_gettime(tfd, &now);
    unsigned long long n = 0;
    int ok = now.it_value.tv_sec > 0;
    timerfd_settime(tfd, 0, &soon, 0);
    read(tfd, &n, sizeof n);
    _exit(ok * 10 + (int)n);
  }
  wait_show("timerfd child (armed*10 + expirations)", pid, 0);
  struct itimerspec after;
  timerfd_gettime(tfd, &after);
  printf("the parent's timer after the child's: %s\n", after.it_value.tv_sec || after.it_value.tv_nsec ? "armed" : "expired");
  return 0;
}
