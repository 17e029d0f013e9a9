/* MAP_SHARED mappings of a file see one page cache: two mappings in one process, a forked
 * child's stores, two processes that each open and map the file, pwrite/write seen through a
 * mapping and stores seen by pread/read, a MAP_PRIVATE mapping taken after a shared store,
 * truncation (ftruncate, truncate, O_TRUNC) zeroing what is cut off, a mapping moved by mremap,
 * msync and munmap writing the stores back to the file, code run from a mapping changed through
 * another mapping and by pwrite. */
#include "common.h"
#include <fcntl.h>
#include <sys/mman.h>

#define PG 4096
#define NAME "shared-file-maps.bin"

static char *map(int fd, int flags) {
  return mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, flags, fd, 0);
}

/* What the file holds at `at` (read through a new open file description). */
static void on_disk(const char *what, off_t at) {
  char buf[16] = {0};
  int fd = open(NAME, O_RDONLY);
  pread(fd, buf, sizeof buf - 1, at);
  close(fd);
  printf("%s: file has '%s'\n", what, buf);
}

int main(void) {
  int fd = open(NAME, O_RDWR | O_CREAT | O_TRUNC, 0600);
  ftruncate(fd, 2 * PG);
  char *a = map(fd, MAP_SHARED), *b = map(fd, MAP_SHARED);
  strcpy(a, "one");
  printf("b sees '%s'\n", b);

  pid_t pid = fork();
  if (pid == 0) {
    strcpy(a + PG, "child");
    _exit(0);
  }
  wait_child(pid);
  printf("after child: a sees '%s', b sees '%s'\n", a + PG, b + PG);
  fflush(stdout);

  /* two processes, each opening and mapping the file after the fork */
  int there[2], back[2];
  pipe(there);
  pipe(back);
  pid = fork();
  char c;
  if (pid == 0) {
    int own = open(NAME, O_RDWR);
    char *m = map(own, MAP_SHARED);
    strcpy(m + 300, "from child");
    write(there[1], "x", 1);
    read(back[0], &c, 1);
    printf("child sees '%s'\n", m + 400);
    fflush(stdout);
    _exit(0);
  }
  int own = open(NAME, O_RDWR);
  char *m = map(own, MAP_SHARED);
  read(there[0], &c, 1);
  printf("parent sees '%s'\n", m + 300);
  fflush(stdout);
  strcpy(m + 400, "from parent");
  write(back[1], "x", 1);
  wait_child(pid);
  munmap(m, 2 * PG);
  close(own);

  pwrite(fd, "file", 5, 100);
  printf("after pwrite a sees '%s'\n", a + 100);
  lseek(fd, 150, SEEK_SET);
  write(fd, "write", 6);
  printf("after write b sees '%s'\n", b + 150);
  strcpy(b + 200, "mem");
  char buf[8] = {0};
  pread(fd, buf, 4, 200);
  printf("pread sees '%s'\n", buf);
  lseek(fd, 200, SEEK_SET);
  memset(buf, 0, sizeof buf);
  read(fd, buf, 4);
  printf("read sees '%s'\n", buf);

  /* a private mapping sees the shared stores made before it, its own stores stay its own */
  strcpy(a + 500, "shared");
  char *p = map(fd, MAP_PRIVATE);
  printf("private sees '%s'\n", p + 500);
  strcpy(p + 500, "priv");
  printf("after a private store: shared sees '%s', private '%s'\n", a + 500, p + 500);
  munmap(p, 2 * PG);

  /* truncation zeroes what it cuts off; growing again does not bring it back */
  strcpy(a + PG + 200, "tail");
  strcpy(a + PG + 50, "kept");
  ftruncate(fd, PG + 100);
  ftruncate(fd, 2 * PG);
  printf("after ftruncate: '%s' '%s'\n", a + PG + 50, a + PG + 200);
  strcpy(a + PG + 200, "tail");
  truncate(NAME, PG + 100);
  truncate(NAME, 2 * PG);
  printf("after truncate: '%s' '%s'\n", a + PG + 50, a + PG + 200);
  ftruncate(fd, PG);
  pwrite(fd, "grown", 6, PG + 10);
  printf("pwrite past the end: '%s'\n", a + PG + 10);
  ftruncate(fd, 2 * PG);

  /* a mapping moved (and grown past the file) by mremap still shares the pages */
  char *moved = mremap(b, 2 * PG, 3 * PG, MREMAP_MAYMOVE);
  strcpy(moved + PG + 600, "moved");
  printf("after mremap a sees '%s'\n", a + PG + 600);

  /* msync and munmap write the stores back */
  strcpy(a + 700, "synced");
  printf("msync = %d\n", msync(a, 2 * PG, MS_SYNC));
  on_disk("after msync", 700);
  munmap(a, 2 * PG);
  munmap(moved, 3 * PG);
  on_disk("after munmap", 300);
  on_disk("after munmap", 400);
  on_disk("after munmap", PG + 600);

  /* code in the file: changed through a writable mapping, then by pwrite, runs as changed */
  unsigned char code[6] = { 0xb8, 1, 0, 0, 0, 0xc3 }; /* mov $1, %eax; ret */
  pwrite(fd, code, sizeof code, 0);
  int (*fn)(void) = (int (*)(void))mmap(NULL, PG, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
  char *w = map(fd, MAP_SHARED);
  printf("code returns %d", fn());
  w[1] = 2;
  printf(", after a store %d", fn());
  code[1] = 3;
  pwrite(fd, code, sizeof code, 0);
  printf(", after pwrite %d\n", fn());
  munmap((void *)fn, PG);
  munmap(w, 2 * PG);
  pwrite(fd, "one", 4, 0);

  char *z = map(fd, MAP_SHARED);
  printf("mapped again: '%s'\n", z);
  int t = open(NAME, O_RDWR | O_TRUNC);
  ftruncate(t, 2 * PG);
  printf("after O_TRUNC: '%s'\n", z);
  munmap(z, 2 * PG);
  close(t);
  close(fd);
  unlink(NAME);
  return 0;
}
