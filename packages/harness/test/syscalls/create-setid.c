/* The set-ID bits and group of a new inode (open O_CREAT, creat, mknod, mkdir) made by root and by
 * a process that gave up root or only its effective ids: the requested S_ISUID/S_ISGID kept, the
 * group the process's or a set-group-ID directory's, and S_ISGID of a group-executable file dropped
 * only in a set-group-ID directory whose group the creator is outside without CAP_FSETID
 * (mode_strip_sgid). Run as root (the natively compared run is root too). */
#include "common.h"
#include <fcntl.h>
#include <grp.h>
#include <sys/stat.h>

static void show(const char *path) {
  struct stat st;
  if (stat(path, &st) == 0) printf("%s: uid %d gid %d mode %o\n", path, (int)st.st_uid, (int)st.st_gid, (int)st.st_mode & 07777);
  else printf("%s: stat errno %s\n", path, strerrorname_np(errno));
}

/* Every way of creating, with each interesting mode, in directory `d`; names prefixed by `who`. */
static void create_all(const char *who, const char *d) {
  static const int modes[] = { 06777, 02777, 02767, 02666, 04755, 0777 };
  char path[128];
  for (unsigned i = 0; i < sizeof modes / sizeof modes[0]; i++) {
    snprintf(path, sizeof path, "%s/%s-open-%o", d, who, modes[i]);
    close(open(path, O_CREAT | O_WRONLY, modes[i]));
    show(path);
    snprintf(path, sizeof path, "%s/%s-mknod-%o", d, who, modes[i]);
    if (mknod(path, S_IFREG | modes[i], 0) == 0) show(path);
    else printf("%s: mknod errno %s\n", path, strerrorname_np(errno));
    snprintf(path, sizeof path, "%s/%s-mkdir-%o", d, who, modes[i]);
    if (mkdir(path, modes[i]) == 0) show(path);
    else printf("%s: mkdir errno %s\n", path, strerrorname_np(errno));
  }
  snprintf(path, sizeof path, "%s/%s-creat", d, who);
  close(creat(path, 02775));
  show(path);
}

static void everywhere(const char *who) {
  create_all(who, "plain");
  create_all(who, "sgid-other");
  create_all(who, "sgid-mine");
}

static void nobody(void) { everywhere("nobody"); }

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  umask(0);
  /* a plain directory, and set-group-ID ones of a group nobody is outside of and of its own (1234) */
  mkdir("plain", 0777);
  mkdir("sgid-other", 0777);
  chown("sgid-other", 0, 4321);
  chmod("sgid-other", 02777);
  mkdir("sgid-mine", 0777);
  chown("sgid-mine", 0, 1234);
  chmod("sgid-mine", 02777);
  show("sgid-other");
  everywhere("root");
  as_nobody(nobody);
  /* root with another effective gid (the fsgid), then effective uid nobody (no capabilities), then back */
  pid_t pid = fork();
  if (pid == 0) {
    SYS(setresgid, 0, 4000, 0);
    everywhere("egid");
    SYS(setresuid, 0, 65534, 0);
    everywhere("euid");
    SYS(setresuid, 0, 0, 0);
    everywhere("back");
    _exit(0);
  }
  wait_child(pid);
  return 0;
}
