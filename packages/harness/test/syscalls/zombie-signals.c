/* Signals to a process that exited and is not reaped yet: kill, kill of its group, tkill,
 * tgkill and rt_sigqueueinfo succeed (the task still exists) and change nothing of how it
 * ended; once reaped, ESRCH. */
#include "common.h"
#include <signal.h>
#include <stdlib.h>

int main(void) {
  pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, 0);
    exit(3);
  }
  siginfo_t si;
  /* until it has exited, without reaping it */
  waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
  printf("exited: code %d status %d\n", si.si_code, si.si_status);
  SYS(kill, pid, 0);
  SYS(kill, pid, SIGTERM);
  SYS(kill, pid, SIGKILL);
  SYS(kill, -pid, SIGUSR1);
  SYS(kill, pid, 99);
  SYS(tkill, pid, SIGUSR1);
  SYS(tgkill, pid, pid, SIGUSR1);
  SYS(tgkill, pid, pid + 1, SIGUSR1);
  siginfo_t q = {.si_signo = SIGUSR1, .si_code = SI_QUEUE};
  SYS(rt_sigqueueinfo, pid, SIGUSR1, &q);
  SYS(rt_tgsigqueueinfo, pid, pid, SIGUSR1, &q);
  q.si_code = SI_USER;
  SYS(rt_sigqueueinfo, pid, SIGUSR1, &q);
  int st;
  waitpid(pid, &st, 0);
  printf("reaped: exited %d status %d\n", WIFEXITED(st), WEXITSTATUS(st));
  SYS(kill, pid, 0);
  SYS(kill, -pid, 0);
  SYS(tkill, pid, 0);
  SYS(rt_sigqueueinfo, pid, SIGUSR1, &q);
  return 0;
}
