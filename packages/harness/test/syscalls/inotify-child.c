/* inotify and a child's changes: events for writes, closes, renames and unlinks a forked child
 * makes (through its own descriptors and through ones shared with the parent), watches added
 * by the child on the shared instance, IN_DELETE_SELF then IN_IGNORED when a watched file or
 * directory goes, IN_IGNORED on inotify_rm_watch, renameat2's RENAME_EXCHANGE (two moves, nothing
 * replaced) and renames between two names of one inode (no event). No cookies or inode numbers
 * are printed. */
#include "common.h"
#include <fcntl.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include "../fixtures/inotify-events.h"

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE 2
#endif

/* Prints every queued event (the instance is non-blocking). */
static void drain(const char *what, int in) {
  char buf[4096] __attribute__((aligned(8)));
  printf("%s:\n", what);
  ssize_t n;
  while ((n = read(in, buf, sizeof buf)) > 0)
    for (char *p = buf; p < buf + n;) {
      struct inotify_event *e = (struct inotify_event *)p;
      print_event_mask(e);
      printf(" name=\"%s\"\n", e->len ? e->name : "");
      p += sizeof *e + e->len;
    }
  printf("  end: %s\n", strerrorname_np(errno));
  fflush(stdout);
}

static void put(const char *name) {
  int fd = open(name, O_CREAT | O_WRONLY, 0644);
  close(fd);
}

int main(void) {
  put("f");
  put("g");
  put("shared");
  mkdir("sub", 0755);
  int in = SYS(inotify_init1, IN_NONBLOCK);
  int dirwd = SYS(inotify_add_watch, in, ".", IN_ALL_EVENTS);
  int fwd = SYS(inotify_add_watch, in, "f", IN_ALL_EVENTS);
  SYS(inotify_add_watch, in, "g", IN_DELETE_SELF);
  SYS(inotify_add_watch, in, "shared", IN_MODIFY | IN_CLOSE_WRITE | IN_CLOSE_NOWRITE);
  int subwd = SYS(inotify_add_watch, in, "sub", IN_ALL_EVENTS);
  int shared = open("shared", O_RDWR);
  drain("set up", in);

  pid_t pid = fork();
  if (pid == 0) {
    /* the child: its own open, write and close of f; a write through the shared description
     * (no close event: the parent still holds it); a rename; an unlink; a watch of its own */
    int fd = open("f", O_WRONLY | O_APPEND);
    write(fd, "child", 5);
    close(fd);
    write(shared, "x", 1);
    close(shared);
    rename("g", "g2");
    unlink("g2");
    put("k");
    SYS(inotify_add_watch, in, "k", IN_MODIFY | IN_DELETE_SELF);
    fd = open("k", O_WRONLY);
    write(fd, "k", 1);
    close(fd);
    _exit(0);
  }
  wait_child(pid);
  drain("after the child", in);

  SYS(close, shared);
  drain("the parent closes the shared description", in);

  put("e");
  SYS(inotify_add_watch, in, "e", IN_ALL_EVENTS);
  pid = fork();
  if (pid == 0) {
    SYS(renameat2, AT_FDCWD, "f", AT_FDCWD, "e", RENAME_EXCHANGE);
    SYS(link, "e", "e2");
    SYS(rename, "e", "e2");
    SYS(renameat2, AT_FDCWD, "e", AT_FDCWD, "e2", RENAME_EXCHANGE);
    mkdir("sub2", 0755);
    SYS(renameat2, AT_FDCWD, "sub2", AT_FDCWD, "e2", RENAME_EXCHANGE);
    SYS(rename, "sub2", "f"); /* f's inode, now named e and f, over the other */
    SYS(unlink, "e");
    _exit(0);
  }
  wait_child(pid);
  drain("a child's exchanges", in);

  SYS(unlink, "f");
  drain("unlink of a watched file", in);
  SYS(inotify_rm_watch, in, fwd);
  SYS(unlink, "k");
  drain("unlink of the child's watch", in);

  SYS(rmdir, "sub");
  drain("rmdir of a watched directory", in);
  SYS(inotify_rm_watch, in, subwd);

  SYS(inotify_rm_watch, in, dirwd);
  drain("rm_watch", in);
  SYS(inotify_rm_watch, in, dirwd);
  SYS(inotify_rm_watch, in, 99);
  return 0;
}
