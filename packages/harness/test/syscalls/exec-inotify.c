/* inotify events of an execve (the exec'd file: IN_OPEN, an IN_ACCESS per read the ELF loader
 * makes of it), read while the exec'd program still runs (its IN_CLOSE_NOWRITE comes when the
 * last mapping of the file goes). */
#include "common.h"
#include <fcntl.h>
#include <sys/inotify.h>

int main(int argc, char **argv) {
  char c;
  if (argc > 1) { /* the exec'd program: says it runs, waits for the end of its pipe */
    write(3, "r", 1);
    while (read(4, &c, 1) > 0) {}
    return 3;
  }
  int in = open("/proc/self/exe", O_RDONLY), out = open("prog", O_CREAT | O_WRONLY | O_TRUNC, 0755);
  char buf[65536];
  long n;
  while ((n = read(in, buf, sizeof buf)) > 0) write(out, buf, n);
  close(in);
  close(out);
  int fd = inotify_init1(IN_NONBLOCK);
  int dir = inotify_add_watch(fd, ".", IN_ALL_EVENTS);
  printf("watch dir %d, file %d\n", dir, inotify_add_watch(fd, "prog", IN_ALL_EVENTS));
  int ready[2], hold[2];
  pipe(ready);
  pipe(hold);
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(ready[1], 3);
    dup2(hold[0], 4);
    close(hold[1]);
    char *args[] = {"prog", "run", NULL};
    execve("./prog", args, NULL);
    _exit(127);
  }
  close(hold[0]);
  read(ready[0], &c, 1);
  char ev[4096];
  n = read(fd, ev, sizeof ev);
  for (char *p = ev; p < ev + n;) {
    struct inotify_event *e = (void *)p;
    printf("wd %d mask %#x name %s\n", e->wd, e->mask, e->len ? e->name : "");
    p += sizeof *e + e->len;
  }
  close(hold[1]);
  wait_child(pid);
  return 0;
}
