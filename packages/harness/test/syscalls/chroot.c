/* chroot as a per-process root: path walks inside it ("/.." stays, absolute symlinks start at
 * it), the cwd kept outside it ("(unreachable)" in getcwd), /proc/self/root and cwd, inherited
 * over fork and exec, not the parent's; EPERM without CAP_SYS_CHROOT. Host paths are never printed
 * (native and dbtlab run in different directories): only whether they are the expected ones. */
#include "common.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>

static char outside[4096];

/* A path with the run's directory (a host path) shown as <outside>. */
static void print_path(const char *what, const char *prefix, const char *path) {
  size_t n = strlen(outside);
  if (n > 0 && strncmp(path, outside, n) == 0) printf("%s: %s<outside>%s\n", what, prefix, path + n);
  else printf("%s: %s%s\n", what, prefix, path);
}

/* The first line of `path`, or the errno's name. */
static void show(const char *what, const char *path) {
  char buf[64] = {0};
  int fd = open(path, O_RDONLY);
  if (fd < 0) {
    printf("%s: open %s\n", what, strerrorname_np(errno));
    return;
  }
  read(fd, buf, sizeof buf - 1);
  close(fd);
  printf("%s: %s", what, buf);
}

/* getcwd as the system call gives it, host paths replaced by the names they are expected to be. */
static void cwd(const char *what) {
  char buf[4200];
  long n = syscall(SYS_getcwd, buf, sizeof buf);
  if (n < 0) printf("%s: getcwd %s\n", what, strerrorname_np(errno));
  else if (strncmp(buf, "(unreachable)", 13) == 0) print_path(what, "(unreachable)", buf + 13);
  else print_path(what, "", buf);
}

static void link_of(const char *what, int dir, const char *path) {
  char buf[4200] = {0};
  long n = readlinkat(dir, path, buf, sizeof buf - 1);
  if (n < 0) printf("%s: readlink %s\n", what, strerrorname_np(errno));
  else print_path(what, "", buf);
}

static void put(const char *path, const char *text) {
  int fd = open(path, O_CREAT | O_WRONLY | O_TRUNC, 0644);
  write(fd, text, strlen(text));
  close(fd);
}

/* The program itself inside the jail, for an exec there (a static binary needs nothing else). */
static void copy_self(const char *to) {
  char buf[65536];
  int in = open("/proc/self/exe", O_RDONLY), out = open(to, O_CREAT | O_WRONLY | O_TRUNC, 0755);
  long n;
  while ((n = read(in, buf, sizeof buf)) > 0) write(out, buf, n);
  close(in);
  close(out);
}

int main(int argc, char **argv) {
  if (argc > 1) { /* exec'd inside the jail */
    setvbuf(stdout, NULL, _IONBF, 0);
    cwd("exec'd cwd");
    show("exec'd /marker", "/marker");
    show("exec'd /../marker", "/../marker");
    return 0;
  }
  setvbuf(stdout, NULL, _IONBF, 0); /* the children's lines in order, none lost at _exit */
  getcwd(outside, sizeof outside);
  mkdir("jail", 0755);
  mkdir("jail/sub", 0755);
  put("marker", "outside\n");
  put("jail/marker", "jail\n");
  symlink("/marker", "jail/sub/abs");
  symlink("../../../../../..", "jail/sub/up");
  symlink("/sub/abs", "jail/sub/chain");
  copy_self("jail/prog");
  int proc = open("/proc", O_RDONLY | O_DIRECTORY);
  int outer = open(".", O_RDONLY | O_DIRECTORY);

  SYS(chroot, "jail/marker");
  SYS(chroot, "missing");
  pid_t pid = fork();
  if (pid == 0) {
    setuid(65534); /* "/": no search permission in the way (the test's directory may be 0700) */
    SYS(chroot, "/");
    _exit(0);
  }
  wait_child(pid);

  pid = fork();
  if (pid == 0) {
    struct stat st;
    SYS(chroot, "jail");
    cwd("after chroot");
    link_of("/proc/self/root", proc, "self/root");
    link_of("/proc/self/cwd", proc, "self/cwd");
    show("/marker", "/marker");
    show("/../../marker", "/../../marker");
    show("/sub/abs", "/sub/abs");
    show("/sub/chain", "/sub/chain");
    show("/sub/up/marker", "/sub/up/marker");
    show("marker (cwd outside)", "marker");
    show("../marker from outside cwd", "../marker");
    report("lstat /sub/abs", lstat("/sub/abs", &st));
    printf("symlink %d\n", S_ISLNK(st.st_mode));
    link_of("readlink /sub/abs", AT_FDCWD, "/sub/abs");
    report("mkdir /made", mkdir("/made", 0755));
    report("symlink /made/link", symlink("/marker", "/made/link"));
    show("/made/link", "/made/link");
    report("rename /made/link", rename("/made/link", "/made/moved"));
    report("unlink /made/moved", unlink("/made/moved"));
    report("chdir /..", chdir("/.."));
    cwd("after chdir /..");
    show("marker (cwd root)", "marker");
    show("../marker (cwd root)", "../marker");
    report("chdir sub", chdir("sub"));
    cwd("after chdir sub");
    link_of("/proc/self/cwd in sub", proc, "self/cwd");
    pid_t grandchild = fork();
    if (grandchild == 0) {
      cwd("forked cwd");
      show("forked /marker", "/marker");
      _exit(0);
    }
    wait_child(grandchild);
    report("fchdir outside", fchdir(outer));
    cwd("after fchdir outside");
    report("chdir /", chdir("/"));
    report("chroot . again", syscall(SYS_chroot, "."));
    report("chroot /sub", syscall(SYS_chroot, "/sub"));
    cwd("cwd after nested chroot");
    show("/abs nested", "/abs");
    report("chroot / (the root it has)", syscall(SYS_chroot, "/"));
    show("/abs again", "/abs");
    report("chdir /", chdir("/"));
    report("chroot ..", syscall(SYS_chroot, ".."));
    show("/abs after chroot ..", "/abs");
    _exit(0);
  }
  wait_child(pid);

  pid = fork();
  if (pid == 0) {
    SYS(chroot, "jail");
    chdir("/");
    char *args[] = {"prog", "inside", NULL};
    execve("/prog", args, NULL);
    printf("execve: %s\n", strerrorname_np(errno));
    _exit(1);
  }
  wait_child(pid);

  /* the parent's root is its own */
  cwd("parent cwd is not (unreachable)");
  show("parent marker", "marker");
  struct stat st;
  report("jail/made from the parent", stat("jail/made", &st));
  return 0;
}
