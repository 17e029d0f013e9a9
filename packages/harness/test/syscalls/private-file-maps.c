/* A MAP_PRIVATE file mapping reads the file's page cache until the process writes a page: a page
 * not yet written sees later pwrite/write and stores through a MAP_SHARED mapping (code run from
 * it too), a written page is the process's own copy; a forked child shares the unwritten pages
 * with the file and copies the written ones; MADV_DONTNEED drops a written page's copy and reads
 * the file again; a mapping moved by mremap keeps both kinds of page. */
#include "common.h"
#include <sys/mman.h>

#define PG 4096
#define NAME "private-file-maps.bin"

static void show(const char *what, const char *p) {
  printf("%s: %.8s | %.8s | %.8s\n", what, p, p + PG, p + 2 * PG);
  fflush(stdout);
}

int main(void) {
  int fd = open(NAME, O_RDWR | O_CREAT | O_TRUNC, 0600);
  char buf[3 * PG];
  memset(buf, '.', sizeof buf);
  memcpy(buf, "page0", 5);
  memcpy(buf + PG, "page1", 5);
  memcpy(buf + 2 * PG, "page2", 5);
  write(fd, buf, sizeof buf);
  char *p = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  char *s = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  show("mapped", p);
  pwrite(fd, "PW", 2, 0);
  show("after pwrite to page 0", p);
  p[PG] = 'o';
  pwrite(fd, "PW", 2, PG + 1);
  show("page 1 written, then pwrite there", p);
  s[2 * PG] = 'S';
  show("store through a shared mapping to page 2", p);
  lseek(fd, 2 * PG + 3, SEEK_SET);
  write(fd, "wr", 2);
  show("write() to page 2", p);

  int go[2], done[2];
  pipe(go);
  pipe(done);
  pid_t pid = fork();
  char c;
  if (pid == 0) {
    show("child", p);
    write(done[1], "x", 1);
    read(go[0], &c, 1);
    show("child after the parent's pwrite to pages 0 and 1", p);
    p[0] = 'k';
    write(done[1], "x", 1);
    read(go[0], &c, 1);
    show("child at the end", p);
    _exit(0);
  }
  read(done[0], &c, 1);
  pwrite(fd, "pa", 2, 5);
  pwrite(fd, "pa", 2, PG + 5);
  write(go[1], "x", 1);
  read(done[0], &c, 1);
  show("parent after the child's store to page 0", p);
  p[2 * PG + 6] = 'P';
  s[2 * PG + 7] = 'Q';
  show("parent after its own store to page 2", p);
  write(go[1], "x", 1);
  wait_child(pid);

  report("madvise DONTNEED page 1", madvise(p + PG, PG, MADV_DONTNEED));
  show("after madvise", p);
  p[PG + 2] = 'a';
  s[PG + 3] = 'b';
  show("page 1 written again", p);

  /* mremap moves both kinds of page: page 0 unwritten, page 1 written */
  char *t = mmap(NULL, 8 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *m = mremap(p, 3 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, t + 4 * PG);
  printf("moved: %s\n", m == MAP_FAILED ? "failed" : "ok");
  s[0] = 'M';
  s[PG + 4] = 'N';
  show("moved, after shared stores to pages 0 and 1", m);

  /* code in a private mapping: changed in the file, the unwritten page runs the new code */
  unsigned char code[] = { 0xb8, 1, 0, 0, 0, 0xc3 }; /* mov $1, %eax; ret */
  pwrite(fd, code, sizeof code, 0);
  char *x = mmap(NULL, PG, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
  int (*f)(void) = (int (*)(void))x;
  printf("code: %d", f());
  code[1] = 2;
  pwrite(fd, code, sizeof code, 0);
  printf(", after pwrite %d", f());
  s[1] = 3;
  printf(", after a shared store %d\n", f());
  munmap(s, 3 * PG);
  unlink(NAME);
  return 0;
}
