/* fchmodat2: a path relative to a directory fd, AT_SYMLINK_NOFOLLOW (EOPNOTSUPP on a symlink,
 * a plain file changed), AT_EMPTY_PATH on an O_RDONLY, an O_PATH and a symlink's O_PATH fd and
 * on a pipe, the mode's high bits ignored, and the errno of unknown flags (before the path is
 * read), bad descriptors, missing files, bad pointers and a caller that is not the owner. */
#include "common.h"
#include <sys/stat.h>

#ifndef SYS_fchmodat2
#define SYS_fchmodat2 452
#endif

static void show(const char *path) {
  struct stat st;
  if (lstat(path, &st) < 0) printf("  %s: %s\n", path, strerrorname_np(errno));
  else printf("  %s: mode %o\n", path, st.st_mode);
}

static void not_owner(void) {
  SYS(fchmodat2, AT_FDCWD, "f", 0777, 0);
  SYS(fchmodat2, AT_FDCWD, "mine", 0604, 0);
}

int main(void) {
  setvbuf(stdout, 0, _IOLBF, 0);
  for (int fd = 3; fd < 1024; fd++) close(fd);
  mkdir("d", 0755);
  close(open("d/f", O_CREAT | O_WRONLY, 0644));
  close(open("f", O_CREAT | O_WRONLY, 0644));
  symlink("f", "link");
  symlink("missing", "dangling");
  int dfd = open("d", O_RDONLY | O_DIRECTORY);
  SYS(fchmodat2, dfd, "f", 0600, 0);
  show("d/f");
  SYS(fchmodat2, AT_FDCWD, "link", 0640, 0);
  show("f");
  SYS(fchmodat2, AT_FDCWD, "link", 0600, AT_SYMLINK_NOFOLLOW);
  SYS(fchmodat2, AT_FDCWD, "dangling", 0600, AT_SYMLINK_NOFOLLOW);
  SYS(fchmodat2, AT_FDCWD, "dangling", 0600, 0);
  SYS(fchmodat2, AT_FDCWD, "f", 0604, AT_SYMLINK_NOFOLLOW);
  show("f");
  show("link");
  /* the bits above 07777 are ignored */
  SYS(fchmodat2, AT_FDCWD, "f", 0170755, 0);
  show("f");
  SYS(fchmodat2, AT_FDCWD, "f", 07644, 0);
  show("f");
  /* AT_EMPTY_PATH */
  int rfd = open("f", O_RDONLY);
  int pfd = open("f", O_PATH);
  int lfd = open("link", O_PATH | O_NOFOLLOW);
  SYS(fchmodat2, rfd, "", 0611, AT_EMPTY_PATH);
  show("f");
  SYS(fchmodat2, pfd, "", 0622, AT_EMPTY_PATH);
  show("f");
  SYS(fchmodat2, lfd, "", 0633, AT_EMPTY_PATH);
  show("f");
  SYS(fchmodat2, lfd, "", 0644, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);
  show("f");
  SYS(fchmodat2, dfd, "", 0700, AT_EMPTY_PATH);
  show("d");
  SYS(fchmodat2, rfd, "", 0644, 0);
  SYS(fchmodat2, AT_FDCWD, "", 0711, AT_EMPTY_PATH);
  show(".");
  int pp[2];
  pipe(pp);
  SYS(fchmodat2, pp[0], "", 0640, AT_EMPTY_PATH);
  struct stat st;
  fstat(pp[1], &st);
  printf("  pipe: mode %o\n", st.st_mode);
  /* errors */
  SYS(fchmodat2, AT_FDCWD, "f", 0644, 0x4);
  SYS(fchmodat2, AT_FDCWD, BAD, 0644, 0x4);
  SYS(fchmodat2, AT_FDCWD, "f", 0644, -1);
  SYS(fchmodat2, AT_FDCWD, BAD, 0644, 0);
  SYS(fchmodat2, AT_FDCWD, BAD, 0644, AT_EMPTY_PATH);
  SYS(fchmodat2, 999, "f", 0644, 0);
  SYS(fchmodat2, 999, "", 0644, AT_EMPTY_PATH);
  SYS(fchmodat2, rfd, "f", 0644, 0);
  SYS(fchmodat2, AT_FDCWD, "no-such-file", 0644, 0);
  SYS(fchmodat2, AT_FDCWD, "f/x", 0644, 0);
  SYS(fchmodat2, AT_FDCWD, "f", 0644, 0);
  close(open("mine", O_CREAT | O_WRONLY, 0644));
  chown("mine", 65534, 65534);
  as_nobody(not_owner);
  show("f");
  show("mine");
  return 0;
}
