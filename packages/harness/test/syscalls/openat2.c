/* openat2: struct open_how's size (EINVAL below 24, E2BIG above a page or with a non-zero tail),
 * its flags, mode and resolve checked before the path is read (unknown bits, BENEATH with IN_ROOT,
 * a mode without O_CREAT, O_PATH's companions, O_DIRECTORY|O_CREAT), and the RESOLVE_* walks:
 * NO_SYMLINKS, NO_MAGICLINKS (/proc/self/fd/N, /proc/self/exe, /dev/fd/N), BENEATH and IN_ROOT
 * against a directory fd (.., absolute paths and symlinks that leave it), NO_XDEV (into /proc),
 * CACHED (EAGAIN for what would create). An opened fd shows its path under the cwd and F_GETFL. */
#include "common.h"
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>

#ifndef SYS_openat2
#define SYS_openat2 437
#endif
#define R_NO_XDEV 0x01
#define R_NO_MAGICLINKS 0x02
#define R_NO_SYMLINKS 0x04
#define R_BENEATH 0x08
#define R_IN_ROOT 0x10
#define R_CACHED 0x20

struct how { uint64_t flags, mode, resolve; };
static char cwd[4096];

static void o2(const char *what, int dirfd, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve) {
  struct how h = {flags, mode, resolve};
  long fd = syscall(SYS_openat2, dirfd, path, &h, sizeof h);
  if (fd < 0) {
    printf("%s = -1 %s\n", what, strerrorname_np(errno));
    return;
  }
  char link[64], target[4096] = "";
  snprintf(link, sizeof link, "/proc/self/fd/%ld", fd);
  int n = readlink(link, target, sizeof target - 1);
  target[n > 0 ? n : 0] = 0;
  size_t c = strlen(cwd);
  const char *shown = strncmp(target, cwd, c) == 0 ? target + c : strcmp(target, "/") == 0 ? "/" : "(not under the cwd)";
  printf("%s = fd %ld %s flags %#o\n", what, fd, *shown ? shown : "(cwd)", fcntl(fd, F_GETFL));
  close(fd);
}

static void sized(const char *what, void *how, unsigned long size) {
  report(what, syscall(SYS_openat2, AT_FDCWD, "d/f", how, size));
}

int main(void) {
  setvbuf(stdout, 0, _IOLBF, 0);
  for (int fd = 3; fd < 1024; fd++) close(fd);
  getcwd(cwd, sizeof cwd);
  mkdir("d", 0755);
  mkdir("d/sub", 0755);
  close(open("d/f", O_CREAT | O_WRONLY, 0644));
  close(open("top", O_CREAT | O_WRONLY, 0644));
  char abs[4200];
  snprintf(abs, sizeof abs, "%s/top", cwd);
  symlink("f", "d/rel");
  symlink("../top", "d/up");
  symlink(abs, "d/abs");
  symlink("..", "d/dotdot");
  symlink("../f", "d/sub/back");
  symlink("loop", "d/loop");
  symlink("/f", "d/rootf");
  int d = open("d", O_RDONLY | O_DIRECTORY);
  /* the size of struct open_how */
  static uint64_t page[1024];
  struct how h = {O_RDONLY, 0, 0};
  memcpy(page, &h, sizeof h);
  sized("size 0", page, 0);
  sized("size 23", page, 23);
  sized("size 24", page, 24);
  sized("size 32, zero tail", page, 32);
  sized("size 4096, zero tail", page, 4096);
  sized("size 4097", page, 4097);
  page[5] = 1;
  sized("size 48, non-zero tail", page, 48);
  sized("size 40, tail before it", page, 40);
  page[5] = 0;
  sized("bad how", BAD, 24);
  sized("how ends in a bad page", (char *)BAD - 8, 24);
  sized("how's tail in a bad page", (char *)BAD - 24, 32);
  h.flags = 1ull << 32;
  report("bad path, bad flags", syscall(SYS_openat2, AT_FDCWD, BAD, &h, sizeof h));
  h.flags = O_RDONLY;
  report("bad path", syscall(SYS_openat2, AT_FDCWD, BAD, &h, sizeof h));
  /* flags, mode, resolve */
  o2("flags bit 32", AT_FDCWD, "d/f", 1ull << 32, 0, 0);
  o2("flags 040000000000", AT_FDCWD, "d/f", 040000000000ull, 0, 0);
  o2("resolve 0x40", AT_FDCWD, "d/f", O_RDONLY, 0, 0x40);
  o2("BENEATH|IN_ROOT", d, "f", O_RDONLY, 0, R_BENEATH | R_IN_ROOT);
  o2("mode without O_CREAT", AT_FDCWD, "d/f", O_RDONLY, 0644, 0);
  o2("mode 010644 with O_CREAT", AT_FDCWD, "d/f", O_RDONLY | O_CREAT, 010644, 0);
  o2("mode 07777 with O_CREAT", AT_FDCWD, "d/m", O_RDWR | O_CREAT, 07777, 0);
  o2("O_PATH|O_RDWR", AT_FDCWD, "d/f", O_PATH | O_RDWR, 0, 0);
  o2("O_PATH|O_CLOEXEC|O_NOFOLLOW", AT_FDCWD, "d/rel", O_PATH | O_CLOEXEC | O_NOFOLLOW, 0, 0);
  o2("O_PATH|O_APPEND", AT_FDCWD, "d/f", O_PATH | O_APPEND, 0, 0);
  o2("O_DIRECTORY|O_CREAT", AT_FDCWD, "d/new", O_DIRECTORY | O_CREAT, 0600, 0);
  o2("O_TMPFILE read-only", AT_FDCWD, "d", O_TMPFILE | O_RDONLY, 0600, 0);
  o2("O_RDWR", AT_FDCWD, "d/f", O_RDWR, 0, 0);
  o2("O_WRONLY|O_APPEND|O_CLOEXEC", d, "f", O_WRONLY | O_APPEND | O_CLOEXEC, 0, 0);
  o2("O_CREAT 0640", d, "created", O_WRONLY | O_CREAT, 0640, 0);
  struct stat st;
  stat("d/created", &st);
  printf("  created mode %o\n", st.st_mode);
  o2("O_CREAT|O_EXCL existing", d, "created", O_WRONLY | O_CREAT | O_EXCL, 0640, 0);
  o2("missing", d, "missing", O_RDONLY, 0, 0);
  /* RESOLVE_NO_SYMLINKS */
  o2("NO_SYMLINKS plain", d, "f", O_RDONLY, 0, R_NO_SYMLINKS);
  o2("NO_SYMLINKS link", d, "rel", O_RDONLY, 0, R_NO_SYMLINKS);
  o2("NO_SYMLINKS link O_NOFOLLOW|O_PATH", d, "rel", O_PATH | O_NOFOLLOW, 0, R_NO_SYMLINKS);
  o2("NO_SYMLINKS link O_NOFOLLOW", d, "rel", O_RDONLY | O_NOFOLLOW, 0, R_NO_SYMLINKS);
  o2("NO_SYMLINKS through a dir link", d, "dotdot/top", O_RDONLY, 0, R_NO_SYMLINKS);
  o2("NO_SYMLINKS sub/..", d, "sub/../f", O_RDONLY, 0, R_NO_SYMLINKS);
  o2("NO_SYMLINKS /proc/self/status", AT_FDCWD, "/proc/self/status", O_RDONLY, 0, R_NO_SYMLINKS);
  o2("NO_SYMLINKS loop", d, "loop", O_RDONLY, 0, R_NO_SYMLINKS);
  o2("loop", d, "loop", O_RDONLY, 0, 0);
  o2("NO_SYMLINKS missing", d, "missing", O_RDONLY, 0, R_NO_SYMLINKS);
  o2("NO_SYMLINKS create", d, "made-nosym", O_WRONLY | O_CREAT, 0600, R_NO_SYMLINKS);
  /* RESOLVE_NO_MAGICLINKS */
  char fdpath[64];
  snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", d);
  o2("NO_MAGICLINKS /proc/self/fd/N", AT_FDCWD, fdpath, O_RDONLY, 0, R_NO_MAGICLINKS);
  o2("/proc/self/fd/N", AT_FDCWD, fdpath, O_RDONLY, 0, 0);
  o2("NO_MAGICLINKS /proc/self/fd/N O_PATH|O_NOFOLLOW", AT_FDCWD, fdpath, O_PATH | O_NOFOLLOW, 0, R_NO_MAGICLINKS);
  o2("NO_MAGICLINKS /proc/self/exe", AT_FDCWD, "/proc/self/exe", O_RDONLY, 0, R_NO_MAGICLINKS);
  o2("NO_MAGICLINKS /proc/self/cwd/d/f", AT_FDCWD, "/proc/self/cwd/d/f", O_RDONLY, 0, R_NO_MAGICLINKS);
  o2("NO_MAGICLINKS /dev/fd/0", AT_FDCWD, "/dev/fd/0", O_RDONLY, 0, R_NO_MAGICLINKS);
  o2("NO_MAGICLINKS /proc/self/status", AT_FDCWD, "/proc/self/status", O_RDONLY, 0, R_NO_MAGICLINKS);
  o2("NO_MAGICLINKS symlink", d, "rel", O_RDONLY, 0, R_NO_MAGICLINKS);
  o2("NO_MAGICLINKS /proc/self/fd/999", AT_FDCWD, "/proc/self/fd/999", O_RDONLY, 0, R_NO_MAGICLINKS);
  /* RESOLVE_BENEATH */
  o2("BENEATH f", d, "f", O_RDONLY, 0, R_BENEATH);
  o2("BENEATH rel", d, "rel", O_RDONLY, 0, R_BENEATH);
  o2("BENEATH sub/back", d, "sub/back", O_RDONLY, 0, R_BENEATH);
  o2("BENEATH sub/..", d, "sub/..", O_RDONLY, 0, R_BENEATH);
  o2("BENEATH ..", d, "..", O_RDONLY, 0, R_BENEATH);
  o2("BENEATH ../d/f", d, "../d/f", O_RDONLY, 0, R_BENEATH);
  o2("BENEATH up", d, "up", O_RDONLY, 0, R_BENEATH);
  o2("BENEATH abs", d, "abs", O_RDONLY, 0, R_BENEATH);
  o2("BENEATH dotdot", d, "dotdot", O_RDONLY, 0, R_BENEATH);
  o2("BENEATH absolute path", d, "/etc/passwd", O_RDONLY, 0, R_BENEATH);
  o2("BENEATH rootf", d, "rootf", O_RDONLY, 0, R_BENEATH);
  o2("BENEATH AT_FDCWD d/f", AT_FDCWD, "d/f", O_RDONLY, 0, R_BENEATH);
  o2("BENEATH AT_FDCWD ../x", AT_FDCWD, "../x", O_RDONLY, 0, R_BENEATH);
  o2("BENEATH f/x", d, "f/x", O_RDONLY, 0, R_BENEATH);
  o2("BENEATH missing/x", d, "missing/x", O_RDONLY, 0, R_BENEATH);
  o2("BENEATH create", d, "sub/made", O_WRONLY | O_CREAT, 0600, R_BENEATH);
  o2("BENEATH create outside", d, "../made", O_WRONLY | O_CREAT, 0600, R_BENEATH);
  o2("BENEATH /proc/self/fd/N", d, fdpath, O_RDONLY, 0, R_BENEATH);
  o2("BENEATH dirfd a file", open("top", O_RDONLY), "x", O_RDONLY, 0, R_BENEATH);
  o2("BENEATH bad dirfd", 999, "x", O_RDONLY, 0, R_BENEATH);
  o2("BENEATH empty path", d, "", O_RDONLY, 0, R_BENEATH);
  /* RESOLVE_IN_ROOT */
  o2("IN_ROOT /f", d, "/f", O_RDONLY, 0, R_IN_ROOT);
  o2("IN_ROOT ../../f", d, "../../f", O_RDONLY, 0, R_IN_ROOT);
  o2("IN_ROOT rootf", d, "rootf", O_RDONLY, 0, R_IN_ROOT);
  o2("IN_ROOT up", d, "up", O_RDONLY, 0, R_IN_ROOT);
  o2("IN_ROOT abs", d, "abs", O_RDONLY, 0, R_IN_ROOT);
  o2("IN_ROOT dotdot/f", d, "dotdot/f", O_RDONLY, 0, R_IN_ROOT);
  o2("IN_ROOT /sub/back", d, "/sub/back", O_RDONLY, 0, R_IN_ROOT);
  o2("IN_ROOT /", d, "/", O_RDONLY, 0, R_IN_ROOT);
  o2("IN_ROOT /proc/self/fd/N", d, fdpath, O_RDONLY, 0, R_IN_ROOT);
  o2("IN_ROOT create /made", d, "/sub/made-root", O_WRONLY | O_CREAT, 0600, R_IN_ROOT);
  o2("IN_ROOT|NO_SYMLINKS rootf", d, "rootf", O_RDONLY, 0, R_IN_ROOT | R_NO_SYMLINKS);
  /* RESOLVE_NO_XDEV */
  o2("NO_XDEV d/f", AT_FDCWD, "d/f", O_RDONLY, 0, R_NO_XDEV);
  o2("NO_XDEV absolute top", AT_FDCWD, abs, O_RDONLY, 0, R_NO_XDEV);
  o2("NO_XDEV /proc/self/status", AT_FDCWD, "/proc/self/status", O_RDONLY, 0, R_NO_XDEV);
  o2("NO_XDEV /proc", AT_FDCWD, "/proc", O_RDONLY, 0, R_NO_XDEV);
  o2("NO_XDEV /", AT_FDCWD, "/", O_RDONLY, 0, R_NO_XDEV);
  o2("NO_XDEV /proc/self/fd/N", AT_FDCWD, fdpath, O_RDONLY, 0, R_NO_XDEV);
  o2("NO_XDEV dotdot", d, "dotdot/top", O_RDONLY, 0, R_NO_XDEV);
  /* RESOLVE_CACHED */
  o2("CACHED f", d, "f", O_RDONLY, 0, R_CACHED);
  o2("CACHED O_CREAT", d, "f", O_RDONLY | O_CREAT, 0600, R_CACHED);
  o2("CACHED O_TRUNC", d, "f", O_WRONLY | O_TRUNC, 0, R_CACHED);
  o2("CACHED O_TMPFILE", AT_FDCWD, "d", O_TMPFILE | O_RDWR, 0600, R_CACHED);
  return 0;
}
