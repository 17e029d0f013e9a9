/* inotify events of an execve (the exec'd file: IN_OPEN, an IN_ACCESS per read the ELF loader
 * makes of it), read while the exec'd program still runs; then its IN_CLOSE_NOWRITE, which comes
 * only when the last address space holding the file goes: not when the exec'd program exits while
 * a child it forked still runs, but when that child exits. */
#include "common.h"
#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>

static void print_events(int fd) {
  char ev[4096];
  long n = read(fd, ev, sizeof ev);
  for (char *p = ev; p < ev + n;) {
    struct inotify_event *e = (void *)p;
    printf("wd %d mask %#x name %s\n", e->wd, e->mask, e->len ? e->name : "");
    p += sizeof *e + e->len;
  }
  fflush(stdout);
}

int main(int argc, char **argv) {
  char c;
  if (argc > 1) { /* the exec'd program: forks a child that waits for the end of its pipe, says it runs */
    if (fork() == 0) {
      while (read(4, &c, 1) > 0) {}
      _exit(0);
    }
    write(3, "r", 1);
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
  int ready[2], hold[2], done[2];
  pipe(ready);
  pipe(hold);
  pipe(done);
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(ready[1], 3);
    dup2(hold[0], 4);
    close(hold[1]);
    close(done[0]); /* done[1] stays open in the exec'd program and its child */
    char *args[] = {"prog", "run", NULL};
    execve("./prog", args, NULL);
    _exit(127);
  }
  close(hold[0]);
  close(done[1]);
  read(ready[0], &c, 1);
  print_events(fd);
  wait_child(pid);
  printf("the exec'd program has exited, its child runs\n");
  print_events(fd);
  close(hold[1]);
  while (read(done[0], &c, 1) > 0) {} /* its child's exit closed the pipe */
  printf("its child has exited\n");
  /* the file's last reference goes in the exiting child's task work, after its descriptors: wait for the event */
  struct pollfd pfd = { fd, POLLIN, 0 };
  poll(&pfd, 1, 10000);
  print_events(fd);
  return 0;
}
