/* vhangup: 0 for a caller with CAP_SYS_TTY_CONFIG (here in a session of its own, without a
 * controlling terminal, so nothing is hung up), EPERM without it. */
#include "common.h"

int main(void) {
  setvbuf(stdout, 0, _IOLBF, 0);
  pid_t pid = fork();
  if (pid == 0) {
    setsid();
    SYS(vhangup);
    SYS(setgid, 4321);
    SYS(setuid, 4321);
    SYS(vhangup);
    _exit(0);
  }
  wait_child(pid);
  return 0;
}
