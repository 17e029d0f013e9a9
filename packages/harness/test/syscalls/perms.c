/* Permission checks for a process that gave up root: owner, group (supplementary groups
 * included) and other bits at every directory searched and at the file opened, accessed,
 * executed, created or removed; the sticky bit; files created owned by the new ids; access()
 * with the real uid while only the effective one changed (faccessat2 AT_EACCESS the effective);
 * fork keeping the ids; search permission along symbolic links' targets. Run as root (the natively compared run is root too). */
#include "common.h"
#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>

#define AT_EACCESS 0x200

static void file(const char *path, int mode, int gid) {
  close(open(path, O_CREAT | O_WRONLY, 0));
  chmod(path, mode);
  chown(path, 0, gid);
}

static void dir(const char *path, int mode, int gid) {
  mkdir(path, 0);
  chmod(path, mode);
  chown(path, 0, gid);
}

static void owner(const char *path) {
  struct stat st;
  if (stat(path, &st) == 0) printf("%s: uid %d gid %d mode %o\n", path, (int)st.st_uid, (int)st.st_gid, (int)st.st_mode & 07777);
  else printf("%s: stat errno %s\n", path, strerrorname_np(errno));
}

/* Search permission through symbolic links: every directory of the target's path too. */
static void links(void) {
  struct stat st;
  char buf[64];
  SYS(stat, "open/to-priv-f", &st);
  SYS(lstat, "open/to-priv-f", &st);
  SYS(readlink, "open/to-priv-f", buf, sizeof buf);
  SYS(openat, AT_FDCWD, "open/to-priv-f", O_RDONLY);
  SYS(openat, AT_FDCWD, "open/to-priv-f", O_RDONLY | O_NOFOLLOW);
  SYS(openat, AT_FDCWD, "open/to-priv-f", O_PATH | O_NOFOLLOW);
  SYS(openat, AT_FDCWD, "open/abs-priv-f", O_RDONLY);
  SYS(openat, AT_FDCWD, "open/chain", O_RDONLY);
  SYS(openat, AT_FDCWD, "open/to-priv/f", O_RDONLY);
  SYS(stat, "open/to-priv", &st);
  SYS(openat, AT_FDCWD, "open/to-pub/readable", O_RDONLY);
  SYS(openat, AT_FDCWD, "open/to-xonly-f", O_RDONLY);
  SYS(openat, AT_FDCWD, "open/to-rnox/f", O_RDONLY);
  SYS(openat, AT_FDCWD, "open/to-rnox", O_RDONLY | O_DIRECTORY);
  SYS(access, "open/to-priv-f", F_OK);
  SYS(chdir, "open/to-priv");
  SYS(unlink, "open/chain");
}

static void dropped(void) {
  links();
  char *argv[] = { "prog", NULL };
  gid_t groups[4] = { 0 };
  SYS(openat, AT_FDCWD, "priv/f", O_RDONLY);
  SYS(stat, "priv/f", BAD);
  SYS(chdir, "priv");
  SYS(openat, AT_FDCWD, "pub/secret", O_RDONLY);
  SYS(openat, AT_FDCWD, "pub/readable", O_RDONLY);
  SYS(openat, AT_FDCWD, "pub/readable", O_WRONLY);
  SYS(openat, AT_FDCWD, "pub/readable", O_RDWR);
  SYS(openat, AT_FDCWD, "pub/readable", O_RDONLY | O_TRUNC);
  SYS(openat, AT_FDCWD, "pub/grp", O_RDONLY);
  SYS(openat, AT_FDCWD, "pub/grpw", O_WRONLY);
  SYS(openat, AT_FDCWD, "pub/other", O_RDONLY);
  SYS(openat, AT_FDCWD, "pub", O_RDONLY | O_DIRECTORY);
  SYS(openat, AT_FDCWD, "xonly", O_RDONLY | O_DIRECTORY);
  SYS(openat, AT_FDCWD, "xonly/f", O_RDONLY);
  SYS(openat, AT_FDCWD, "xonly/missing", O_RDONLY);
  SYS(openat, AT_FDCWD, "priv/missing", O_RDONLY);
  SYS(access, "pub/secret", R_OK);
  SYS(access, "pub/readable", R_OK);
  SYS(access, "pub/readable", W_OK);
  SYS(access, "pub/readable", X_OK);
  SYS(access, "pub/prog", X_OK);
  SYS(access, "priv/f", F_OK);
  SYS(access, "xonly/f", R_OK | W_OK);
  SYS(execve, "pub/prog", argv, NULL);
  SYS(execve, "pub/readable", argv, NULL);
  SYS(execve, "priv/f", argv, NULL);
  SYS(mkdir, "pub/d", 0755);
  SYS(openat, AT_FDCWD, "pub/new", O_CREAT | O_WRONLY, 0644);
  SYS(openat, AT_FDCWD, "pub/readable", O_CREAT | O_RDONLY, 0644);
  SYS(unlink, "pub/readable");
  SYS(rmdir, "open/rootdir");
  SYS(symlink, "x", "pub/l");
  SYS(rename, "pub/readable", "open/x");
  SYS(rename, "open/rootfile", "open/y");
  SYS(link, "open/rootfile", "pub/z");
  SYS(unlink, "sticky/rootfile");
  long fd = SYS(openat, AT_FDCWD, "open/mine", O_CREAT | O_WRONLY, 0640);
  close(fd);
  owner("open/mine");
  SYS(mkdir, "open/mydir", 0750);
  owner("open/mydir");
  SYS(mkdir, "setgid/sub", 0755);
  owner("setgid/sub");
  SYS(openat, AT_FDCWD, "open/mine", O_RDWR);
  /* chmod and chown: the owner only, and only to its own groups */
  SYS(chmod, "sticky/rootfile", 0644);
  SYS(chown, "sticky/rootfile", -1, -1);
  SYS(chown, "sticky/rootfile", -1, 1234);
  SYS(chmod, "open/mine", 0600);
  SYS(chown, "open/mine", 0, -1);
  SYS(chown, "open/mine", 65534, -1);
  SYS(chown, "open/mine", -1, 0);
  SYS(chown, "open/mine", -1, 1234);
  owner("open/mine");
  SYS(lchown, "sticky/rootfile", 65534, -1);
  SYS(unlink, "sticky/mine-too");
  SYS(openat, AT_FDCWD, "sticky/mine-too", O_CREAT | O_WRONLY, 0600);
  SYS(unlink, "sticky/mine-too");
  SYS(rename, "open/mine", "open/mine2");
  SYS(unlink, "open/mine2");
  SYS(rmdir, "open/mydir");
  SYS(chdir, "xonly");
  SYS(chdir, "..");
  SYS(setuid, 0);
  printf("groups %d:", getgroups(4, groups));
  for (int i = 0; i < 4 && groups[i]; i++) printf(" %d", (int)groups[i]);
  printf("\n");
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    SYS(openat, AT_FDCWD, "pub/secret", O_RDONLY);
    SYS(openat, AT_FDCWD, "pub/grp", O_RDONLY);
    _exit(0);
  }
  wait_child(pid);
}

int main(void) {
  chmod(".", 0755);
  dir("priv", 0700, 0);
  file("priv/f", 0644, 0);
  dir("pub", 0755, 0);
  file("pub/secret", 0600, 0);
  file("pub/readable", 0644, 0);
  file("pub/grp", 0640, 1234);
  file("pub/grpw", 0620, 1234);
  file("pub/other", 0604, 65534);
  chown("pub/other", 65534, 65534);
  file("pub/prog", 0700, 0);
  dir("open", 0777, 0);
  dir("open/rootdir", 0755, 0);
  file("open/rootfile", 0666, 0);
  dir("sticky", 01777, 0);
  file("sticky/rootfile", 0666, 0);
  dir("xonly", 0711, 0);
  file("xonly/f", 0644, 0);
  dir("setgid", 02777, 4321);
  dir("rnox", 0744, 0);
  file("rnox/f", 0644, 0);
  char abs[512];
  getcwd(abs, sizeof abs - 16);
  strcat(abs, "/priv/f");
  symlink("../priv/f", "open/to-priv-f");
  symlink(abs, "open/abs-priv-f");
  symlink("to-priv-f", "open/chain");
  symlink("../priv", "open/to-priv");
  symlink("../pub", "open/to-pub");
  symlink("../xonly/f", "open/to-xonly-f");
  symlink("../rnox", "open/to-rnox");

  as_nobody(dropped);

  pid_t pid;

  pid = fork();
  if (pid == 0) {
    SYS(setgroups, 0, NULL);
    SYS(setresuid, -1, 65534, -1); /* the effective uid only: access() checks the real one */
    SYS(openat, AT_FDCWD, "pub/secret", O_RDONLY);
    SYS(access, "pub/secret", R_OK);
    SYS(faccessat, AT_FDCWD, "pub/secret", R_OK);
    SYS(faccessat2, AT_FDCWD, "pub/secret", R_OK, AT_EACCESS);
    SYS(faccessat2, AT_FDCWD, "pub/readable", R_OK, AT_EACCESS);
    SYS(setresuid, -1, 0, -1);
    SYS(openat, AT_FDCWD, "pub/secret", O_RDONLY);
    _exit(0);
  }
  wait_child(pid);
  return 0;
}
