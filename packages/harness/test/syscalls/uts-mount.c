/* sethostname/setdomainname in the run's own UTS namespace (the native run is under
 * `unshare -u`: root here may rename the machine), and mount, umount2 and pivot_root with the
 * host's answers. Only calls that fail are made of the mount family: nothing is mounted. */
#include "common.h"
#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/utsname.h>

static void names(const char *when) {
  struct utsname u;
  uname(&u);
  printf("%s: %s %s\n", when, u.nodename, u.domainname);
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  mkdir("dir", 0755);
  close(open("file", O_CREAT | O_WRONLY, 0644));
  SYS(sethostname, "guest-host", 10);
  SYS(setdomainname, "guest.example", 13);
  names("set");
  SYS(sethostname, "a\0b", 3);
  names("embedded NUL");
  SYS(sethostname, "0123456789012345678901234567890123456789012345678901234567890123", 64);
  names("64 bytes");
  SYS(sethostname, "", 0);
  names("empty");
  SYS(sethostname, BAD, 5);
  SYS(sethostname, "x", 65);
  SYS(sethostname, "x", -1);
  SYS(setdomainname, BAD, 1);
  SYS(setdomainname, "x", 65);
  SYS(sethostname, "after", 5);

  SYS(mount, "none", "missing", "tmpfs", 0, 0);
  SYS(mount, "none", BAD, "tmpfs", 0, 0);
  SYS(mount, "none", NULL, "tmpfs", 0, 0);
  SYS(mount, BAD, "dir", "tmpfs", 0, 0);
  SYS(mount, "none", "dir", BAD, 0, 0);
  SYS(mount, "none", "dir", "tmpfs", 0, BAD);
  SYS(mount, "none", "dir", "no-such-fs", 0, 0);
  SYS(mount, "none", "file/x", "tmpfs", 0, 0);
  SYS(mount, "none", "dir", "tmpfs", MS_NOUSER, 0);
  SYS(mount, "missing", "dir", NULL, MS_BIND, 0);
  SYS(umount2, "dir", 0);
  SYS(pivot_root, "missing", "dir");
  SYS(pivot_root, "dir", "missing");
  SYS(pivot_root, "file", "dir");
  SYS(pivot_root, BAD, "dir");
  SYS(pivot_root, "dir", "dir");

  pid_t pid = fork();
  if (pid == 0) { /* the namespace is the process tree's: the child sees the names, then loses the capability */
    names("child");
    setuid(65534);
    SYS(sethostname, "child", 5);
    SYS(setdomainname, "child", 5);
    SYS(mount, "none", "/", "tmpfs", 0, 0);
    SYS(mount, "none", "/missing-dir", "tmpfs", 0, 0);
    SYS(pivot_root, "/", "/");
    names("child after");
    _exit(0);
  }
  wait_child(pid);
  return 0;
}
