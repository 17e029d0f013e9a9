/* execveat: relative paths to a directory fd, absolute ones that ignore it, AT_EMPTY_PATH on an
 * fd (O_RDONLY, O_PATH), AT_SYMLINK_NOFOLLOW, a #! script run through an fd (ENOENT once that fd
 * is close-on-exec: the script's /dev/fd/N path would be gone), and the errno of bad flags,
 * descriptors, files and pointers. Each started image (this program again) prints its argv,
 * AT_EXECFN and comm, with this program's directory shown as $DIR. */
#include "common.h"
#include <stdlib.h>
#include <sys/auxv.h>
#include <sys/stat.h>

static char dir[4096];

/* `s` with a leading $DIR for this program's directory. */
static const char *shown(const char *s) {
  static char out[4096];
  size_t n = strlen(dir);
  if (strncmp(s, dir, n) == 0 && s[n] == '/') snprintf(out, sizeof out, "$DIR%s", s + n);
  else snprintf(out, sizeof out, "%s", s);
  return out;
}

static void child(int argc, char **argv) {
  char comm[32] = "";
  int fd = open("/proc/self/comm", O_RDONLY);
  int n = read(fd, comm, sizeof comm - 1);
  close(fd);
  comm[n > 0 ? n - 1 : 0] = 0;
  printf("  started:");
  for (int i = 1; i < argc; i++) printf(" [%s]", shown(argv[i]));
  printf(" execfn %s comm %s\n", shown((const char *)getauxval(AT_EXECFN)), comm);
}

/* Forks a child that calls execveat and reports its result if it returns. */
static void try(const char *what, int dirfd, const char *path, char **argv, int flags) {
  printf("%s\n", what);
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    char *envp[] = {"X=1", 0};
    report("  execveat", syscall(SYS_execveat, dirfd, path, argv, envp, flags));
    _exit(0);
  }
  wait_child(pid);
}

int main(int argc, char **argv) {
  setvbuf(stdout, 0, _IOLBF, 0);
  snprintf(dir, sizeof dir, "%s", argv[0]);
  char *slash = strrchr(dir, '/');
  if (!slash) return 1;
  *slash = 0;
  const char *name = slash + 1;
  if (argc > 1 && strcmp(argv[1], "child") != 0 && strcmp(argv[1], "script") != 0) return 1;
  if (argc > 1) {
    child(argc, argv);
    return 0;
  }
  for (int fd = 3; fd < 1024; fd++) close(fd);
  char *args[] = {argv[0], "child", "a", 0};
  int dfd = open(dir, O_RDONLY | O_DIRECTORY);
  int rfd = open(argv[0], O_RDONLY);
  int pfd = open(argv[0], O_PATH);
  printf("fds %d %d %d\n", dfd, rfd, pfd);
  try("relative to a directory fd", dfd, name, args, 0);
  try("absolute, dirfd ignored", 999, argv[0], args, 0);
  try("AT_FDCWD, absolute", AT_FDCWD, argv[0], args, 0);
  try("AT_EMPTY_PATH on O_RDONLY fd", rfd, "", args, AT_EMPTY_PATH);
  try("AT_EMPTY_PATH on O_PATH fd", pfd, "", args, AT_EMPTY_PATH);
  try("AT_EMPTY_PATH|AT_SYMLINK_NOFOLLOW on fd", pfd, "", args, AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW);
  try("AT_EMPTY_PATH with a path", dfd, name, args, AT_EMPTY_PATH);
  /* a symlink to this program */
  symlink(argv[0], "link");
  try("symlink followed", AT_FDCWD, "link", args, 0);
  try("symlink AT_SYMLINK_NOFOLLOW", AT_FDCWD, "link", args, AT_SYMLINK_NOFOLLOW);
  /* errors */
  try("unknown flag", AT_FDCWD, argv[0], args, 0x4);
  try("unknown flag, bad path", AT_FDCWD, BAD, args, 0x4);
  try("bad path pointer", AT_FDCWD, BAD, args, 0);
  try("empty path without AT_EMPTY_PATH", rfd, "", args, 0);
  try("bad dirfd, relative path", 999, name, args, 0);
  try("bad fd, AT_EMPTY_PATH", 999, "", args, AT_EMPTY_PATH);
  try("dirfd a file, relative path", rfd, name, args, 0);
  try("AT_EMPTY_PATH on a directory", dfd, "", args, AT_EMPTY_PATH);
  int plain = open("plain", O_RDWR | O_CREAT, 0644);
  write(plain, "\177ELF", 4);
  try("AT_EMPTY_PATH on a 0644 file", plain, "", args, AT_EMPTY_PATH);
  int pp[2];
  pipe(pp);
  try("AT_EMPTY_PATH on a pipe", pp[0], "", args, AT_EMPTY_PATH);
  try("missing file relative to dirfd", dfd, "no-such-file", args, 0);
  try("bad argv", dfd, name, BAD, 0);
  /* a script through an fd: its interpreter (this program) gets /dev/fd/N as the script's path */
  char line[4200];
  int sfd = open("script", O_RDWR | O_CREAT, 0755);
  int n = snprintf(line, sizeof line, "#!%s script\n", argv[0]);
  write(sfd, line, n);
  close(sfd);
  sfd = open("script", O_RDONLY);
  int cfd = open("script", O_RDONLY | O_CLOEXEC);
  int sdir = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  int odir = open(".", O_RDONLY | O_DIRECTORY);
  printf("script fds %d %d %d %d\n", sfd, cfd, sdir, odir);
  try("script, AT_EMPTY_PATH", sfd, "", args, AT_EMPTY_PATH);
  try("script, AT_EMPTY_PATH on a close-on-exec fd", cfd, "", args, AT_EMPTY_PATH);
  try("script relative to a close-on-exec dirfd", sdir, "script", args, 0);
  try("script relative to a dirfd", odir, "script", args, 0);
  return 0;
}
