/* The extended-attribute calls' argument checks: which error comes first (flags, the name's
 * pointer, emptiness, length and namespace, the value's size and pointer, the path or the
 * descriptor), for set/get/list/remove and their l and f variants. Only answers that do not
 * depend on the filesystem's xattr support are printed (an unknown namespace is EOPNOTSUPP
 * everywhere). */
#include "common.h"
#include <fcntl.h>
#include <sys/stat.h>

static char value[65537];

int main(void) {
  char longname[300], maxname[300];
  memset(longname, 'a', sizeof longname);
  memcpy(longname, "user.", 5);
  longname[256] = 0; /* 256 bytes: one past XATTR_NAME_MAX */
  memcpy(maxname, longname, 255);
  maxname[255] = 0;
  close(open("f", O_CREAT | O_WRONLY, 0644));
  int fd = open("f", O_RDONLY);

  /* setxattr: flags, then the name, then the value, then the path */
  SYS(setxattr, BAD, BAD, BAD, 1, 4);
  SYS(setxattr, BAD, BAD, BAD, 1, 0);
  SYS(setxattr, BAD, "", BAD, 1, 0);
  SYS(setxattr, BAD, longname, BAD, 1, 0);
  SYS(setxattr, BAD, maxname, BAD, 65537, 0);
  SYS(setxattr, BAD, maxname, BAD, 65536, 0);
  SYS(setxattr, BAD, maxname, BAD, 0, 0);
  SYS(setxattr, "missing", maxname, value, 65536, 0);
  SYS(setxattr, "f/x", "user.a", value, 1, 0);
  SYS(setxattr, "f", "nospace.a", value, 1, 0);
  SYS(setxattr, "f", "foo", value, 1, 3);
  SYS(setxattr, "f", "foo", value, 0, 1);
  SYS(lsetxattr, BAD, BAD, BAD, 1, 8);
  SYS(lsetxattr, BAD, "", BAD, 1, 0);
  SYS(lsetxattr, "missing", "user.a", value, 1, 0);
  SYS(lsetxattr, "f", "nospace.a", value, 1, 0);
  SYS(fsetxattr, 99, BAD, BAD, 1, 4);
  SYS(fsetxattr, 99, BAD, BAD, 1, 0);
  SYS(fsetxattr, 99, longname, BAD, 1, 0);
  SYS(fsetxattr, 99, maxname, BAD, 65537, 0);
  SYS(fsetxattr, 99, maxname, BAD, 1, 0);
  SYS(fsetxattr, 99, maxname, value, 1, 0);
  SYS(fsetxattr, -1, "user.a", value, 1, 0);
  SYS(fsetxattr, fd, "nospace.a", value, 1, 0);

  /* getxattr: the name, then the path, then the value */
  SYS(getxattr, BAD, BAD, BAD, 1);
  SYS(getxattr, BAD, "", BAD, 1);
  SYS(getxattr, BAD, longname, BAD, 1);
  SYS(getxattr, BAD, "user.a", BAD, 1);
  SYS(getxattr, "missing", "user.a", BAD, 70000);
  SYS(getxattr, "f/x", "user.a", value, 1);
  SYS(getxattr, "f", "nospace.a", BAD, 70000);
  SYS(getxattr, "f", "foo", BAD, 0);
  SYS(lgetxattr, "missing", BAD, BAD, 1);
  SYS(lgetxattr, "missing", "user.a", BAD, 1);
  SYS(lgetxattr, "f", "nospace.a", value, 1);
  SYS(fgetxattr, 99, BAD, BAD, 1);
  SYS(fgetxattr, 99, "", BAD, 1);
  SYS(fgetxattr, 99, "user.a", BAD, 1);
  SYS(fgetxattr, fd, "nospace.a", BAD, 1);

  /* listxattr: the path, then the buffer */
  SYS(listxattr, BAD, BAD, 1);
  SYS(listxattr, "missing", BAD, 70000);
  SYS(listxattr, "f/x", BAD, 1);
  SYS(llistxattr, "missing", BAD, 1);
  SYS(flistxattr, 99, BAD, 1);

  /* removexattr: the name, then the path */
  SYS(removexattr, BAD, BAD);
  SYS(removexattr, BAD, "");
  SYS(removexattr, BAD, longname);
  SYS(removexattr, "missing", "user.a");
  SYS(removexattr, "f/x", "user.a");
  SYS(removexattr, "f", "nospace.a");
  SYS(lremovexattr, "missing", BAD);
  SYS(lremovexattr, "f", "nospace.a");
  SYS(fremovexattr, 99, BAD);
  SYS(fremovexattr, 99, "");
  SYS(fremovexattr, 99, "user.a");
  SYS(fremovexattr, fd, "nospace.a");
  return 0;
}
