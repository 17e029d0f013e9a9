/* Extended attributes on the host's files: values set, read, listed and removed through every
 * variant (path, l, f) and the *xattrat calls of Linux 6.13 (dirfd, AT_ flags, struct
 * xattr_args with its size checks); XATTR_CREATE/REPLACE, ERANGE for a short buffer, EFAULT for
 * a bad one only once the attribute exists; user.* refused on a symlink, a pipe, a socket and an
 * eventfd (EPERM to set, ENODATA to read), also through /proc/self/fd/N. */
#include "common.h"
#include <fcntl.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>

#define SYS_setxattrat 463
#define SYS_getxattrat 464
#define SYS_listxattrat 465
#define SYS_removexattrat 466
struct xattr_args { unsigned long long value; unsigned int size, flags; };

static char buf[256];

/* The names of a listxattr result (NUL-separated), sorted by the filesystem's order. */
static void names(const char *what, long n) {
  printf("%s:", what);
  for (long i = 0; i < n; i += strlen(buf + i) + 1) printf(" %s", buf + i);
  printf("\n");
}

/* A descriptor without user.* attributes: set EPERM, get ENODATA, list (the LSM's names only: none here). */
static void special(const char *what, int fd) {
  char link[32];
  printf("%s\n", what);
  SYS(fsetxattr, fd, "user.a", "v", 1, 0);
  SYS(fgetxattr, fd, "user.a", buf, sizeof buf);
  SYS(flistxattr, fd, buf, sizeof buf);
  SYS(fremovexattr, fd, "user.a");
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  SYS(setxattr, link, "user.a", "v", 1, 0);
  SYS(getxattr, link, "user.a", buf, sizeof buf);
  SYS(lgetxattr, link, "user.a", buf, sizeof buf);
}

int main(void) {
  close(open("f", O_CREAT | O_WRONLY, 0644));
  mkdir("d", 0755);
  symlink("f", "l");
  int fd = open("f", O_RDONLY), dfd = open("d", O_RDONLY | O_DIRECTORY);

  SYS(setxattr, "f", "user.a", "hello", 5, 0);
  SYS(setxattr, "f", "user.a", "x", 1, 1);            /* XATTR_CREATE: EEXIST */
  SYS(setxattr, "f", "user.b", "x", 1, 2);            /* XATTR_REPLACE: ENODATA */
  SYS(setxattr, "f", "user.a", "hi", 2, 2);
  SYS(setxattr, "f", "user.empty", "", 0, 0);
  SYS(getxattr, "f", "user.a", NULL, 0);
  memset(buf, 0, sizeof buf);
  SYS(getxattr, "f", "user.a", buf, sizeof buf);
  printf("value %s\n", buf);
  SYS(getxattr, "f", "user.a", buf, 1);               /* ERANGE */
  SYS(getxattr, "f", "user.a", BAD, 10);              /* EFAULT once read */
  SYS(getxattr, "f", "user.none", BAD, 10);           /* ENODATA first */
  SYS(getxattr, "f", "user.empty", BAD, 10);          /* nothing to copy */
  SYS(getxattr, "f", "user.a", buf, 100000);          /* clamped to XATTR_SIZE_MAX */
  SYS(getxattr, "l", "user.a", buf, sizeof buf);      /* through the link */
  SYS(lgetxattr, "l", "user.a", buf, sizeof buf);     /* the link itself */
  SYS(lsetxattr, "l", "user.a", "x", 1, 0);           /* EPERM on a symlink */
  SYS(lsetxattr, "l", "trusted.t", "x", 1, 0);
  SYS(lgetxattr, "l", "trusted.t", buf, sizeof buf);
  SYS(lremovexattr, "l", "trusted.t");
  SYS(fgetxattr, fd, "user.a", buf, sizeof buf);
  SYS(fsetxattr, fd, "user.c", "ccc", 3, 0);          /* a read-only descriptor may set */
  long n = SYS(listxattr, "f", NULL, 0);
  SYS(listxattr, "f", buf, 3);                        /* ERANGE */
  SYS(listxattr, "f", BAD, 100);
  memset(buf, 0, sizeof buf);
  n = SYS(flistxattr, fd, buf, sizeof buf);
  names("f", n);
  n = SYS(llistxattr, "l", buf, sizeof buf);
  SYS(fsetxattr, dfd, "user.dir", "1", 1, 0);
  n = SYS(listxattr, "d", buf, sizeof buf);
  names("d", n);
  SYS(removexattr, "f", "user.c");
  SYS(removexattr, "f", "user.c");                    /* ENODATA */
  SYS(fremovexattr, fd, "user.empty");
  SYS(setxattr, "f", "bogus.a", "x", 1, 0);           /* EOPNOTSUPP */
  SYS(getxattr, "f", "security.none", buf, sizeof buf);

  /* the *xattrat calls */
  char val[8] = "at";
  struct xattr_args a = { (unsigned long)val, 2, 0 }, r = { (unsigned long)buf, sizeof buf, 0 };
  char big[40] = { 0 };
  memcpy(big, &a, sizeof a);
  SYS(setxattrat, AT_FDCWD, "f", 0, "user.at", &a, sizeof a);
  SYS(setxattrat, dfd, "../f", 0, "user.at2", &a, sizeof a);
  SYS(setxattrat, AT_FDCWD, "f", 0, "user.at3", big, sizeof big); /* a zero tail */
  big[30] = 1;
  SYS(setxattrat, AT_FDCWD, "f", 0, "user.at3", big, sizeof big); /* E2BIG */
  SYS(setxattrat, AT_FDCWD, "f", 0, BAD, &a, 15);               /* EINVAL: usize first */
  SYS(setxattrat, AT_FDCWD, "f", 0, BAD, &a, 4097);
  SYS(setxattrat, AT_FDCWD, "f", 0, BAD, BAD, sizeof a);
  SYS(setxattrat, AT_FDCWD, "f", 0x10000, BAD, &a, sizeof a);   /* AT_ flags before the name */
  SYS(setxattrat, AT_FDCWD, BAD, 0, "user.at", &a, sizeof a);
  SYS(setxattrat, AT_FDCWD, "l", AT_SYMLINK_NOFOLLOW, "user.at", &a, sizeof a);
  SYS(setxattrat, fd, "", AT_EMPTY_PATH, "user.at4", &a, sizeof a);
  SYS(setxattrat, AT_FDCWD, "", 0, "user.at", &a, sizeof a);
  SYS(setxattrat, 99, "", AT_EMPTY_PATH, "user.at", &a, sizeof a);
  struct xattr_args b = { (unsigned long)BAD, 2, 7 };
  SYS(setxattrat, AT_FDCWD, "f", 0, BAD, &b, sizeof b);         /* its flags before the name */
  b.flags = 0;
  SYS(setxattrat, AT_FDCWD, "f", 0, "user.bad", &b, sizeof b);
  struct xattr_args far = { 0x100000000ull, 2, 0 };
  SYS(setxattrat, AT_FDCWD, "f", 0, "user.bad", &far, sizeof far);
  memset(buf, 0, sizeof buf);
  SYS(getxattrat, AT_FDCWD, "f", 0, "user.at", &r, sizeof r);
  printf("value %s\n", buf);
  SYS(getxattrat, dfd, "../f", 0, "user.at2", &r, sizeof r);
  SYS(getxattrat, fd, "", AT_EMPTY_PATH, "user.at4", &r, sizeof r);
  SYS(getxattrat, AT_FDCWD, "l", AT_SYMLINK_NOFOLLOW, "user.at", &r, sizeof r);
  SYS(getxattrat, AT_FDCWD, "", AT_EMPTY_PATH, "user.dir", &r, sizeof r);
  r.flags = 1;
  SYS(getxattrat, AT_FDCWD, "f", 0, "user.at", &r, sizeof r);
  r.flags = 0;
  r.size = 1;
  SYS(getxattrat, AT_FDCWD, "f", 0, "user.at", &r, sizeof r);
  SYS(getxattrat, AT_FDCWD, "f", 0x10000, BAD, &r, sizeof r);
  SYS(getxattrat, AT_FDCWD, "f", 0, "user.at", &r, 15);
  SYS(getxattrat, AT_FDCWD, "f", 0, "user.at", BAD, sizeof r);
  r.value = (unsigned long)BAD;
  r.size = 10;
  SYS(getxattrat, AT_FDCWD, "f", 0, "user.at", &r, sizeof r);
  SYS(getxattrat, AT_FDCWD, "f", 0, "user.none", &r, sizeof r);
  SYS(listxattrat, AT_FDCWD, "f", 0, NULL, 0);
  SYS(listxattrat, AT_FDCWD, "f", 0x10000, BAD, 5);
  SYS(listxattrat, AT_FDCWD, BAD, 0, BAD, 5);
  SYS(listxattrat, AT_FDCWD, "l", AT_SYMLINK_NOFOLLOW, BAD, 5);
  n = SYS(listxattrat, dfd, "", AT_EMPTY_PATH, buf, sizeof buf);
  names("d", n);
  SYS(removexattrat, AT_FDCWD, "f", 0x10000, BAD);
  SYS(removexattrat, AT_FDCWD, BAD, 0, "user.at");
  SYS(removexattrat, 99, "", AT_EMPTY_PATH, "user.at");
  SYS(removexattrat, AT_FDCWD, "f", 0, "user.at");
  SYS(removexattrat, fd, "", AT_EMPTY_PATH, "user.at");
  n = SYS(listxattr, "f", buf, sizeof buf);
  names("f", n);

  int p[2], s[2];
  pipe(p);
  special("pipe", p[0]);
  socketpair(AF_UNIX, SOCK_STREAM, 0, s);
  special("socket", s[0]);
  special("eventfd", eventfd(0, 0));
  return 0;
}
