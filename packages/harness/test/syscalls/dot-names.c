/* rmdir, unlink and unlinkat of names whose last component is ".", ".." or the root: what the
 * kernel refuses by the name once the parent was walked (rmdir "." EINVAL, ".." ENOTEMPTY, "/"
 * EBUSY; unlink EISDIR), the parent walk's own errors first; nothing is removed. */
#include "common.h"
#include <sys/stat.h>

static void exists(const char *path) {
  struct stat st;
  printf("%s %s\n", path, stat(path, &st) == 0 ? "still there" : strerrorname_np(errno));
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  mkdir("empty", 0755);
  mkdir("full", 0755);
  mkdir("full/sub", 0755);
  close(open("file", O_CREAT | O_WRONLY, 0644));
  static const char *names[] = { ".", "./", "..", "empty/.", "empty/./", "empty/..", "full/sub/..", "/", "//",
                                 "missing/.", "file/.", "file/..", "empty/.//", "./empty", "empty/../empty" };
  chdir("empty");
  SYS(rmdir, ".");
  SYS(unlink, ".");
  SYS(rmdir, "..");
  chdir("..");
  for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
    printf("%s: ", names[i]);
    SYS(rmdir, names[i]);
    printf("%s: ", names[i]);
    SYS(unlink, names[i]);
    printf("%s: ", names[i]);
    SYS(unlinkat, AT_FDCWD, names[i], AT_REMOVEDIR);
  }
  exists("empty");
  exists("full/sub");
  return 0;
}
