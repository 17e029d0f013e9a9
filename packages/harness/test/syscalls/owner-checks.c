/* Attribute changes by a process that gave up root: utimes/utimensat (the current time needs
 * ownership or write permission, EACCES; explicit times ownership, EPERM), truncate/ftruncate
 * (write permission; a descriptor open for writing), chmod's silent S_ISGID drop for an owner
 * outside the file's group, and writes and truncation (open's O_TRUNC too) clearing set-user-ID and set-group-ID
 * (with group execute) where the writer lacks CAP_FSETID. Run as root, which sets the files up. */
#include "common.h"
#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <utime.h>

static void mode(const char *path) {
  struct stat st;
  if (stat(path, &st) == 0) printf("%s: mode %o uid %d gid %d\n", path, (int)st.st_mode & 07777, (int)st.st_uid, (int)st.st_gid);
  else printf("%s: stat errno %s\n", path, strerrorname_np(errno));
  fflush(stdout);
}

static void file(const char *path, int m, int uid, int gid) {
  close(open(path, O_CREAT | O_WRONLY, 0));
  chown(path, uid, gid);
  chmod(path, m);
}

static void times(const char *path) {
  struct timespec now[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };
  struct timespec set[2] = { { 1000, 0 }, { 2000, 0 } };
  struct timespec now_omit[2] = { { 0, UTIME_NOW }, { 0, UTIME_OMIT } };
  struct timespec set_omit[2] = { { 1000, 0 }, { 0, UTIME_OMIT } };
  struct timespec omit[2] = { { 0, UTIME_OMIT }, { 0, UTIME_OMIT } };
  struct timespec now_set[2] = { { 0, UTIME_NOW }, { 3000, 0 } };
  struct timeval tv[2] = { { 1000, 0 }, { 2000, 0 } };
  struct utimbuf ub = { 1000, 2000 };
  printf("%s:\n", path);
  SYS(utimensat, AT_FDCWD, path, NULL, 0);
  SYS(utimensat, AT_FDCWD, path, now, 0);
  SYS(utimensat, AT_FDCWD, path, set, 0);
  SYS(utimensat, AT_FDCWD, path, now_omit, 0);
  SYS(utimensat, AT_FDCWD, path, set_omit, 0);
  SYS(utimensat, AT_FDCWD, path, omit, 0);
  SYS(utimensat, AT_FDCWD, path, now_set, 0);
  SYS(utimes, path, NULL);
  SYS(utimes, path, tv);
#ifdef SYS_utime
  SYS(utime, path, NULL);
  SYS(utime, path, &ub);
#endif
  (void)ub;
  int fd = open(path, O_RDONLY);
  if (fd >= 0) {
    SYS(utimensat, fd, NULL, NULL, 0);
    SYS(utimensat, fd, NULL, set, 0);
    close(fd);
  }
}

static void dropped(void) {
  times("root-rw");
  times("root-r");
  times("mine");
  times("group-w");
  /* truncate: write permission on the file; ftruncate: a descriptor open for writing */
  SYS(truncate, "root-r", 0);
  SYS(truncate, "root-rw", 1);
  SYS(truncate, "group-w", 1);
  SYS(truncate, "dir", 0);
  SYS(truncate, "missing", 0);
  int rd = open("root-rw", O_RDONLY), wr = open("root-rw", O_WRONLY);
  SYS(ftruncate, rd, 0);
  SYS(ftruncate, wr, 2);
  close(rd);
  close(wr);
  mode("root-rw");
  /* chmod: S_ISGID kept only for a member of the file's group */
  SYS(chmod, "mine", 02755);
  mode("mine");
  SYS(chmod, "given", 02755);
  mode("given");
  SYS(chmod, "given", 06711);
  mode("given");
  SYS(chmod, "given-grp", 02755);
  mode("given-grp");
  SYS(chmod, "given-dir", 02755);
  mode("given-dir");
  /* a write, truncate or ftruncate by someone without CAP_FSETID clears set-user-ID, and set-group-ID with group execute */
  int fd = open("suid-w", O_WRONLY);
  SYS(write, fd, "x", 1);
  close(fd);
  mode("suid-w");
  fd = open("sgid-noexec", O_WRONLY);
  SYS(write, fd, "x", 1);
  close(fd);
  mode("sgid-noexec");
  fd = open("suid-empty", O_WRONLY);
  SYS(write, fd, "", 0);
  close(fd);
  mode("suid-empty");
  SYS(truncate, "suid-t", 1);
  mode("suid-t");
  fd = open("suid-ft", O_WRONLY);
  SYS(ftruncate, fd, 1);
  close(fd);
  mode("suid-ft");
  fd = open("suid-pw", O_WRONLY);
  SYS(pwrite64, fd, "x", 1, 0, 0);
  close(fd);
  mode("suid-pw");
  close(SYS(openat, AT_FDCWD, "suid-otrunc", O_WRONLY | O_TRUNC));
  mode("suid-otrunc");
}

int main(void) {
  chmod(".", 0777);
  file("root-rw", 0666, 0, 0);
  file("root-r", 0644, 0, 0);
  file("mine", 0644, 65534, 65534);
  file("group-w", 0664, 0, 1234);
  file("given", 0644, 65534, 0);
  file("given-grp", 0644, 65534, 1234);
  mkdir("given-dir", 0755);
  chown("given-dir", 65534, 0);
  mkdir("dir", 0777);
  file("suid-w", 06777, 0, 0);
  file("sgid-noexec", 02767, 0, 0);
  file("suid-empty", 06777, 0, 0);
  file("suid-t", 06777, 0, 0);
  file("suid-ft", 06777, 0, 0);
  file("suid-pw", 06777, 0, 0);
  file("suid-otrunc", 06777, 0, 0);
  file("root-suid", 06777, 0, 0);

  as_nobody(dropped);
  /* root (CAP_FSETID) keeps the bits */
  int fd = open("root-suid", O_WRONLY);
  SYS(write, fd, "x", 1);
  close(fd);
  mode("root-suid");
  return 0;
}
