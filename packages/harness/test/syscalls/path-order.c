/* Which error wins when a path-taking call has both a bad path pointer and another bad argument:
 * Linux checks open's flags, the stat flags and statx mask, mknod's type, utimensat's times and
 * flags before it reads the path, and a bad utimensat timespec only after the lookup. Judged by
 * Linux's own i386 ABI (the kernel VM). */
#include "common.h"
#include <fcntl.h>

#define RAW_O_TMPFILE 020000000 /* the kernel's __O_TMPFILE bit alone (glibc's includes O_DIRECTORY) */
#define T(what, r) report(what, r)

int main(void) {
  char buf[256];
  long bad_nsec[4] = {0, 2000000000, 0, 0};
  long omit[4] = {0, (1l << 30) - 2, 0, (1l << 30) - 2};
  T("open NULL RAW_O_TMPFILE|O_RDWR", syscall(SYS_open, 0, RAW_O_TMPFILE | O_RDWR, 0600));
  T("open BAD RAW_O_TMPFILE|O_RDWR", syscall(SYS_open, BAD, RAW_O_TMPFILE | O_RDWR, 0600));
  T("openat NULL RAW_O_TMPFILE|O_WRONLY", syscall(SYS_openat, AT_FDCWD, 0, RAW_O_TMPFILE | O_WRONLY, 0600));
  T("open NULL O_TMPFILE|O_RDONLY", syscall(SYS_open, 0, O_TMPFILE | O_RDONLY, 0600));
  T("open NULL O_TMPFILE|O_CREAT|O_RDWR", syscall(SYS_open, 0, O_TMPFILE | O_CREAT | O_RDWR, 0600));
  T("open NULL O_TMPFILE|O_RDWR", syscall(SYS_open, 0, O_TMPFILE | O_RDWR, 0600));
  T("open NULL O_PATH|RAW_O_TMPFILE", syscall(SYS_open, 0, O_PATH | RAW_O_TMPFILE, 0));
  T("open . O_TMPFILE|O_RDONLY", syscall(SYS_open, ".", O_TMPFILE | O_RDONLY, 0600));
  T("open . RAW_O_TMPFILE|O_RDWR", syscall(SYS_open, ".", RAW_O_TMPFILE | O_RDWR, 0600));
  T("open NULL O_RDONLY|unknown bits", syscall(SYS_open, 0, O_RDONLY | 0x80000000, 0));
  T("access NULL mode 0x100", syscall(SYS_access, 0, 0x100));
  T("faccessat2 NULL flags 0x1000", syscall(439, AT_FDCWD, 0, 0, 0x1000));
  T("linkat NULL flags 0x8000", syscall(SYS_linkat, AT_FDCWD, 0, AT_FDCWD, 0, 0x8000));
  T("unlinkat NULL flags 1", syscall(SYS_unlinkat, AT_FDCWD, 0, 1));
  T("utimensat BAD flags 0x4000", syscall(SYS_utimensat, AT_FDCWD, BAD, 0, 0x4000));
  T("utimensat BAD bad nsec", syscall(SYS_utimensat, AT_FDCWD, BAD, bad_nsec, 0));
  T("utimensat . bad nsec", syscall(SYS_utimensat, AT_FDCWD, ".", bad_nsec, 0));
  T("utimensat BAD times BAD flags 0x4000", syscall(SYS_utimensat, AT_FDCWD, BAD, BAD, 0x4000));
  T("utimensat BAD both UTIME_OMIT flags 0x4000", syscall(SYS_utimensat, AT_FDCWD, BAD, omit, 0x4000));
  T("utimensat AT_FDCWD NULL", syscall(SYS_utimensat, AT_FDCWD, 0, 0, 0));
  T("utimensat fd 99 NULL flags 0x100", syscall(SYS_utimensat, 99, 0, 0, 0x100));
  T("utimensat fd 99 NULL bad nsec", syscall(SYS_utimensat, 99, 0, bad_nsec, 0));
  T("utimes BAD bad usec", syscall(SYS_utimes, BAD, bad_nsec));
  T("fstatat64 BAD flags 1", syscall(SYS_fstatat64, AT_FDCWD, BAD, buf, 1));
  T("fstatat64 BAD buf BAD", syscall(SYS_fstatat64, AT_FDCWD, BAD, BAD, 0));
  T("statx BAD both sync types", syscall(SYS_statx, AT_FDCWD, BAD, 0x6000, 0, buf));
  T("statx BAD reserved mask bit", syscall(SYS_statx, AT_FDCWD, BAD, 0, 0x80000000u, buf));
  T("statx BAD flags 1", syscall(SYS_statx, AT_FDCWD, BAD, 1, 0, buf));
  T("fchownat BAD flags 1", syscall(SYS_fchownat, AT_FDCWD, BAD, 0, 0, 1));
  T("mkdirat BAD", syscall(SYS_mkdirat, AT_FDCWD, BAD, 0755));
  T("mknodat BAD type 0170000", syscall(SYS_mknodat, AT_FDCWD, BAD, 0170000, 0));
  T("mknodat BAD S_IFDIR", syscall(SYS_mknodat, AT_FDCWD, BAD, 0040000, 0));
  T("mknodat BAD S_IFIFO", syscall(SYS_mknodat, AT_FDCWD, BAD, 0010000, 0));
  T("readlinkat BAD bufsiz 0", syscall(SYS_readlinkat, AT_FDCWD, BAD, buf, 0));
  T("truncate64 BAD length -1", syscall(SYS_truncate64, BAD, -1, -1));
  T("statfs64 BAD size 3", syscall(SYS_statfs64, BAD, 3, buf));
  T("inotify_add_watch fd 99 BAD mask 0", syscall(SYS_inotify_add_watch, 99, BAD, 0));
  T("execve BAD", syscall(SYS_execve, BAD, 0, 0));
  return 0;
}
