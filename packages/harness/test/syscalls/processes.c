/* Processes: vfork and clone(CLONE_VM) children run in the parent's memory (what they store
 * there the parent sees); posix_spawn; wait statuses of exits and of deaths by signal (no core
 * bit with RLIMIT_CORE 0); signals to a process group (kill(0), kill(-pgid)); an orphan
 * re-parented to its subreaper; a blocking pipe write interrupted by a handled signal after
 * part of it went through returns the count written. Output comes from the parent only, so
 * its order does not depend on scheduling. */
#include "common.h"
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>

static volatile int shared_word;
static volatile int flag_a, flag_b;
static char stack[64 * 1024] __attribute__((aligned(16)));

static void status_of(const char *what, pid_t pid) {
  int st = 0;
  pid_t r = waitpid(pid, &st, 0);
  if (r != pid) printf("%s: waitpid = %d %s\n", what, (int)r, strerrorname_np(errno));
  else if (WIFEXITED(st)) printf("%s: exited %d (status %#x)\n", what, WEXITSTATUS(st), st);
  else if (WIFSIGNALED(st)) printf("%s: killed by signal %d, core %d (status %#x)\n", what, WTERMSIG(st), WCOREDUMP(st) ? 1 : 0, st);
  else printf("%s: status %#x\n", what, st);
}

static int vfork_child(void *arg) {
  shared_word = (int)(long)arg;
  return 5;
}

static int vm_child(void *arg) {
  (void)arg;
  flag_a = 1;
  while (!flag_b) sched_yield();
  return 10 + flag_b;
}

static volatile int caught;
static void on_usr1(int sig) { caught = sig; }

int main(int argc, char **argv) {
  setvbuf(stdout, 0, _IOLBF, 0);
  if (argc > 1) return atoi(argv[1]);
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);

  /* vfork: the child's store is in the parent's memory */
  shared_word = 1;
  pid_t pid = vfork();
  if (pid == 0) {
    shared_word = 42;
    _exit(3);
  }
  printf("vfork: parent sees %d\n", shared_word);
  status_of("vfork child", pid);

  /* clone(CLONE_VM|CLONE_VFORK): posix_spawn's call */
  pid = clone(vfork_child, stack + sizeof stack, CLONE_VM | CLONE_VFORK | SIGCHLD, (void *)77L);
  printf("clone(CLONE_VM|CLONE_VFORK): parent sees %d\n", shared_word);
  status_of("clone vfork child", pid);

  /* clone(CLONE_VM) without CLONE_VFORK: both run, on one memory */
  pid = clone(vm_child, stack + sizeof stack, CLONE_VM | SIGCHLD, 0);
  while (!flag_a) sched_yield();
  flag_b = 2;
  printf("clone(CLONE_VM): child ran, flag_a %d\n", flag_a);
  status_of("clone vm child", pid);

  /* posix_spawn of this program (exit status from argv) */
  char *args[] = {argv[0], "9", 0};
  extern char **environ;
  int rc = posix_spawn(&pid, "/proc/self/exe", 0, 0, args, environ);
  printf("posix_spawn = %d\n", rc);
  status_of("spawned", pid);

  /* deaths by signal: the status is the signal number, no core bit with RLIMIT_CORE 0 */
  int sigs[] = {SIGKILL, SIGTERM, SIGSEGV, SIGABRT, SIGQUIT};
  for (unsigned i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
    pid = fork();
    if (pid == 0) {
      raise(sigs[i]);
      _exit(99);
    }
    status_of(strsignal(sigs[i]), pid);
  }
  pid = fork();
  if (pid == 0) *(volatile int *)0 = 1;
  status_of("null store", pid);
  pid = fork();
  if (pid == 0) exit(256 + 7);
  status_of("exit(263)", pid);

  /* a process group: kill(-pgid) reaches every member, kill(0) the caller's own group too */
  pid_t kids[3];
  for (int i = 0; i < 3; i++) {
    kids[i] = fork();
    if (kids[i] == 0)
      for (;;) pause();
    setpgid(kids[i], kids[0]);
  }
  printf("kill(-pgid, SIGTERM) = %d\n", kill(-kids[0], SIGTERM));
  for (int i = 0; i < 3; i++) status_of("group member", kids[i]);
  rc = kill(-kids[0], SIGTERM);
  printf("kill(-pgid) of an empty group = %d %s\n", rc, strerrorname_np(errno));
  setpgid(0, 0);
  for (int i = 0; i < 2; i++) {
    kids[i] = fork();
    if (kids[i] == 0)
      for (;;) pause();
  }
  signal(SIGUSR1, on_usr1);
  printf("kill(0, SIGUSR1) = %d\n", kill(0, SIGUSR1));
  printf("caller's handler ran: %d\n", caught);
  for (int i = 0; i < 2; i++) status_of("own group member", kids[i]);

  /* an orphan goes to its subreaper, which reaps it */
  prctl(PR_SET_CHILD_SUBREAPER, 1);
  int fd[2];
  pipe(fd);
  pid_t me = getpid();
  pid = fork();
  if (pid == 0) {
    pid_t g = fork();
    if (g == 0) {
      close(fd[1]);
      char c;
      read(fd[0], &c, 1); /* until the middle process is gone */
      while (getppid() != me) sched_yield();
      _exit(getppid() == me ? 21 : 22);
    }
    _exit(20);
  }
  close(fd[0]);
  status_of("middle", pid);
  close(fd[1]);
  pid = wait(&rc);
  printf("orphan reaped by the subreaper: %s, status %#x\n", pid > 0 ? "yes" : "no", rc);

  /* a blocking pipe write interrupted by a handled signal after some progress: the count */
  struct sigaction sa = {0};
  sa.sa_handler = on_usr1;
  sigaction(SIGUSR1, &sa, 0); /* no SA_RESTART */
  pipe(fd);
  pid = fork();
  if (pid == 0) {
    close(fd[1]);
    char buf[4096];
    long got = 0, n;
    while (got < 100000 && (n = read(fd[0], buf, sizeof buf)) > 0) got += n;
    kill(getppid(), SIGUSR1);
    while (read(fd[0], buf, sizeof buf) > 0) {
    }
    _exit(0);
  }
  close(fd[0]);
  static char big[1 << 20];
  caught = 0;
  long w = write(fd[1], big, sizeof big);
  int e = errno;
  printf("interrupted write: %s, partial %s, handler %d\n", w < 0 ? strerrorname_np(e) : "a count", w >= 100000 && w < (long)sizeof big ? "yes" : "no", caught);
  close(fd[1]);
  status_of("reader", pid);
  return 0;
}
