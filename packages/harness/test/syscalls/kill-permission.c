/* Who may signal whom (check_kill_permission): the sender's real or effective uid equal to the
 * target's real or saved uid, or CAP_KILL (root); SIGCONT within the session whatever the ids;
 * a process group answers 0 when one member may be signalled, EPERM when none; kill, tkill,
 * tgkill and rt_sigqueueinfo alike, signal 0 too. Only signal 0, SIGCONT and SIGWINCH (ignored
 * by default) are sent; root ends the targets. Run as root (the natively compared run is root too). */
#include "common.h"
#include <signal.h>

static pid_t target(uid_t r, uid_t e, uid_t s, pid_t pgid) {
  int ready[2];
  pipe(ready);
  pid_t pid = fork();
  if (pid == 0) {
    setpgid(0, pgid);
    if (setresuid(r, e, s) != 0) _exit(1);
    write(ready[1], "x", 1);
    for (;;) pause();
  }
  char c;
  read(ready[0], &c, 1);
  close(ready[0]);
  close(ready[1]);
  return pid;
}

static pid_t a, b, c, g;

static void sends(const char *who) {
  siginfo_t si = { .si_signo = SIGWINCH, .si_code = SI_QUEUE };
  printf("%s:\n", who);
  SYS(kill, a, 0);
  SYS(kill, a, SIGWINCH);
  SYS(kill, a, SIGCONT);
  SYS(kill, b, 0);
  SYS(kill, c, 0);
  SYS(tkill, a, SIGWINCH);
  SYS(tgkill, a, a, 0);
  SYS(rt_sigqueueinfo, a, SIGWINCH, &si);
  SYS(rt_sigqueueinfo, b, 0, &si);
  SYS(kill, -g, 0);
  SYS(kill, -g, SIGWINCH);
}

static void as(const char *who, uid_t r, uid_t e, uid_t s) {
  pid_t pid = fork();
  if (pid == 0) {
    if (setresuid(r, e, s) != 0) _exit(1);
    sends(who);
    _exit(0);
  }
  wait_child(pid);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  /* a: all ids 1001; b: real 1002, effective and saved 1003; c: real and effective 1001, saved 1004; a and b one group */
  a = target(1001, 1001, 1001, 0);
  g = a;
  b = target(1002, 1003, 1003, g);
  c = target(1001, 1001, 1004, 0);
  sends("root");
  as("uid 1005", 1005, 1005, 1005);
  as("real 1001 effective 1005", 1001, 1005, 1005);
  as("real 1005 effective 1001", 1005, 1001, 1005);
  as("effective 1004", 1005, 1004, 1005);
  as("effective 1003", 1005, 1003, 1005);
  as("saved 1001 only", 1005, 1005, 1001);
  as("real 1002", 1002, 1005, 1005);
  kill(a, SIGKILL);
  kill(b, SIGKILL);
  kill(c, SIGKILL);
  while (wait(NULL) > 0) {}
  return 0;
}
