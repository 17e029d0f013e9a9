/* A pipe's pipefs inode through its descriptors and through /proc/self/fd/N: chmod, fchmod,
 * chown, fchown and utimensat act on it (fstat of either end shows the mode and owner), truncate
 * is EINVAL (not a regular file); a process that gave up root may change only the mode of a pipe
 * it made (EPERM for root's), and give its own pipe only one of its own groups. */
#include "common.h"
#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>

static char fdlink[40];

static void show(int fd) {
  struct stat st;
  fstat(fd, &st);
  printf("mode %o uid %d gid %d size %ld\n", (int)st.st_mode, (int)st.st_uid, (int)st.st_gid, (long)st.st_size);
  fflush(stdout);
}

static const char *linkto(int fd) {
  snprintf(fdlink, sizeof fdlink, "/proc/self/fd/%d", fd);
  return fdlink;
}

int main(void) {
  int p[2], q[2];
  gid_t none[1] = { 0 };
  pipe(p);
  show(p[0]);
  SYS(chmod, linkto(p[0]), 0640);
  show(p[0]);
  show(p[1]);
  SYS(fchmod, p[1], 0604);
  show(p[0]);
  SYS(chown, linkto(p[1]), 12, 34);
  show(p[0]);
  SYS(fchown, p[0], 56, -1);
  show(p[1]);
  SYS(fchownat, AT_FDCWD, linkto(p[0]), -1, 78, 0);
  show(p[1]);
  SYS(truncate, linkto(p[0]), 0);
  SYS(ftruncate, p[1], 0);
  SYS(utimensat, AT_FDCWD, linkto(p[0]), NULL, 0);
  SYS(utimensat, p[0], NULL, NULL, 0);
  SYS(fchmodat, AT_FDCWD, linkto(p[0]), 0600, 0);
  show(p[0]);
  SYS(chmod, "/proc/self/fd/99", 0600);
  pid_t pid = fork();
  if (pid == 0) {
    SYS(setgroups, 0, none);
    SYS(setgid, 1000);
    SYS(setuid, 1000);
    SYS(fchmod, p[0], 0666);                 /* owned by 56: EPERM */
    SYS(chown, linkto(p[0]), 1000, 1000);
    pipe(q);
    show(q[0]);
    SYS(chmod, linkto(q[0]), 0666);
    SYS(fchown, q[1], -1, 1000);
    SYS(fchown, q[1], -1, 5);                /* not one of its groups */
    SYS(fchown, q[1], 0, -1);
    show(q[1]);
    _exit(0);
  }
  wait_child(pid);
  return 0;
}
