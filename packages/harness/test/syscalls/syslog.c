/* syslog: the actions a probe may run natively without reading, clearing or changing the host's
 * kernel log or console: open/close, the buffer's size, unknown actions, reads with a null
 * buffer, a negative or zero length (and, on x86-64, a buffer outside user space: EFAULT),
 * console levels out of range; then, as uid 4321 (no CAP_SYSLOG), every action with the host's
 * dmesg_restrict. */
#include "common.h"

static void unprivileged(void) {
  for (int type = -1; type <= 12; type++) {
    printf("type %d: ", type);
    SYS(syslog, type, 0, 0);
  }
  SYS(syslog, 100, 0, 0);
  SYS(syslog, 10, 0, 0);
}

int main(void) {
  setvbuf(stdout, 0, _IOLBF, 0);
  char buf[64];
  SYS(syslog, 0, 0, 0);
  SYS(syslog, 1, 0, 0);
  SYS(syslog, 10, 0, 0);
  SYS(syslog, 10, BAD, -5);
  SYS(syslog, -1, buf, sizeof buf);
  SYS(syslog, 11, buf, sizeof buf);
  SYS(syslog, 100, buf, sizeof buf);
  for (int type = 2; type <= 4; type++) {
    printf("read type %d\n", type);
    SYS(syslog, type, 0, sizeof buf);
    SYS(syslog, type, buf, -1);
    SYS(syslog, type, buf, 0);
    SYS(syslog, type, 0, 0);
    SYS(syslog, type, BAD, 0);
#ifdef __x86_64__
    /* access_ok fails before anything is read */
    SYS(syslog, type, (char *)-4096L, 16);
    SYS(syslog, type, (char *)0x7ffffffff000L, 4096);
#endif
  }
  SYS(syslog, 8, 0, 0);
  SYS(syslog, 8, 0, 9);
  SYS(syslog, 8, 0, -1);
  pid_t pid = fork();
  if (pid == 0) {
    SYS(setresuid, 4321, 4321, 4321);
    unprivileged();
    _exit(0);
  }
  wait_child(pid);
  return 0;
}
