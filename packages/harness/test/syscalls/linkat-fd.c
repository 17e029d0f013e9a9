/* linkat of an open file by its descriptor, as root (CAP_DAC_READ_SEARCH): through its
 * /proc/self/fd link with AT_SYMLINK_FOLLOW (without it: the magic link itself, EXDEV), with
 * AT_EMPTY_PATH, an O_TMPFILE file given a name both ways (with O_EXCL it may never get one),
 * a file already unlinked (ENOENT), a bad descriptor (EBADF), unknown flags (EINVAL). The
 * relaxed AT_EMPTY_PATH of Linux 6.10 for an unprivileged opener is not probed. */
#include "common.h"
#include <sys/stat.h>

static char fdpath[64];
static const char *fd_link(int fd) {
  snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fd);
  return fdpath;
}

static void links(const char *name) {
  struct stat st;
  if (stat(name, &st) < 0) printf("%s: %s\n", name, strerrorname_np(errno));
  else printf("%s: nlink %ld size %ld\n", name, (long)st.st_nlink, (long)st.st_size);
}

int main(void) {
  int fd = open("f", O_CREAT | O_RDWR, 0644);
  write(fd, "abc", 3);
  SYS(linkat, AT_FDCWD, fd_link(fd), AT_FDCWD, "via-proc", AT_SYMLINK_FOLLOW);
  SYS(linkat, AT_FDCWD, fd_link(fd), AT_FDCWD, "via-proc-nofollow", 0);
  SYS(linkat, fd, "", AT_FDCWD, "via-empty", AT_EMPTY_PATH);
  SYS(linkat, fd, "", AT_FDCWD, "via-empty-exists", AT_EMPTY_PATH);
  SYS(linkat, fd, "", AT_FDCWD, "via-empty", AT_EMPTY_PATH);
  SYS(linkat, fd, "", AT_FDCWD, "bad-flags", 0x8000);
  SYS(linkat, 1000, "", AT_FDCWD, "bad-fd", AT_EMPTY_PATH);
  links("f");

  int t = open(".", O_TMPFILE | O_RDWR, 0600);
  write(t, "tmp", 3);
  SYS(linkat, AT_FDCWD, fd_link(t), AT_FDCWD, "tmp-proc", AT_SYMLINK_FOLLOW);
  links("tmp-proc");
  int t2 = open(".", O_TMPFILE | O_RDWR, 0600);
  SYS(linkat, t2, "", AT_FDCWD, "tmp-empty", AT_EMPTY_PATH);
  links("tmp-empty");
  int t3 = open(".", O_TMPFILE | O_RDWR | O_EXCL, 0600);
  SYS(linkat, AT_FDCWD, fd_link(t3), AT_FDCWD, "tmp-excl", AT_SYMLINK_FOLLOW);
  SYS(linkat, t3, "", AT_FDCWD, "tmp-excl", AT_EMPTY_PATH);

  int g = open("gone", O_CREAT | O_RDWR, 0644);
  unlink("gone");
  SYS(linkat, AT_FDCWD, fd_link(g), AT_FDCWD, "gone-proc", AT_SYMLINK_FOLLOW);
  SYS(linkat, g, "", AT_FDCWD, "gone-empty", AT_EMPTY_PATH);
  links("gone-proc");
  return 0;
}
