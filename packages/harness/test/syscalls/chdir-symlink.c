/* chdir and fchdir through symlinks: the kernel keeps the directory, not the name, so getcwd and
 * /proc/self/cwd give the target's path (only the last component is printed: the test's
 * directory differs run to run): a chain of links, .. from a directory entered through links,
 * fchdir to a directory opened through a link. (A cwd renamed after it was entered keeps its old
 * name under dbtlab, whose cwd is a path: not probed.) */
#include "common.h"
#include <stdlib.h>
#include <sys/stat.h>

static void where(const char *what) {
  char buf[4096], link[4096];
  const char *cwd = getcwd(buf, sizeof buf);
  ssize_t n = readlink("/proc/self/cwd", link, sizeof link - 1);
  link[n < 0 ? 0 : n] = 0;
  const char *tail = cwd ? cwd + strlen(cwd) : "";
  for (int slashes = 0; cwd && tail > cwd && slashes < 1; ) if (*--tail == '/') slashes++;
  const char *ltail = link + strlen(link);
  for (int slashes = 0; ltail > link && slashes < 1; ) if (*--ltail == '/') slashes++;
  printf("%s: getcwd ...%s, /proc/self/cwd ...%s\n", what, tail, ltail);
}

int main(void) {
  char top[4096];
  getcwd(top, sizeof top);
  mkdir("real", 0755);
  mkdir("real/sub", 0755);
  symlink("real", "l1");
  symlink("l1", "l2");
  symlink("real/sub", "ls");
  report("chdir l1", chdir("l1"));
  where("through l1");
  chdir(top);
  report("chdir l2/sub", chdir("l2/sub"));
  where("through l2/sub");
  report("chdir ..", chdir(".."));
  where("then ..");
  chdir(top);
  int fd = open("ls", O_RDONLY | O_DIRECTORY);
  report("fchdir ls", fchdir(fd));
  where("fchdir through ls");
  close(fd);
  return 0;
}
