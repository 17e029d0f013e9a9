/* The wait status's core bit by RLIMIT_CORE (LTP waitpid01 sets a one-page limit): below a
 * page (binfmt_elf's min_coredump) no core; from a page on, a core, cut short or not. */
#include "common.h"
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

int main(void) {
  static const unsigned long limits[] = {0, 1, 4095, 4096, 8192, 1 << 20, RLIM_INFINITY};
  for (unsigned i = 0; i < sizeof limits / sizeof limits[0]; i++) {
    struct rlimit rl = {limits[i], RLIM_INFINITY};
    setrlimit(RLIMIT_CORE, &rl);
    pid_t pid = fork();
    if (pid == 0) {
      raise(SIGABRT);
      _exit(99);
    }
    int st;
    waitpid(pid, &st, 0);
    printf("limit %lu: signal %d, core %d\n", limits[i], WTERMSIG(st), WCOREDUMP(st) ? 1 : 0);
  }
  return 0;
}
