/* /proc/self/status's resident set by kind as the guest's own pages make it: RssAnon, RssFile and
 * RssShmem change by the pages touched in private anonymous memory, in a file's pages, and in
 * shmem (MAP_SHARED|MAP_ANONYMOUS, SysV shm, memfd: shmem pages even mapped privately, until a
 * write copies one). Only the changes print (the program's own pages differ by who loaded it);
 * the files are one page, so a read fault's fault-around maps no neighbour. A private anonymous
 * page only read maps the zero page natively (no RSS); dbtlab gives it a page: not probed. */
#include "common.h"
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/shm.h>

static long field(const char *text, const char *name) {
  const char *p = strstr(text, name);
  return p ? strtol(p + strlen(name), NULL, 10) : -1;
}

static long anon0, file0, shmem0, rss0, sz0, data0;

static void sample(long *anon, long *file, long *shmem, long *rss, long *sz, long *data) {
  char text[4096];
  int fd = open("/proc/self/status", O_RDONLY);
  long n = read(fd, text, sizeof text - 1);
  close(fd);
  text[n < 0 ? 0 : n] = 0;
  *anon = field(text, "RssAnon:");
  *file = field(text, "RssFile:");
  *shmem = field(text, "RssShmem:");
  *rss = field(text, "VmRSS:");
  *sz = field(text, "VmSize:");
  *data = field(text, "VmData:");
}

static void start(void) { sample(&anon0, &file0, &shmem0, &rss0, &sz0, &data0); }

static void delta(const char *what) {
  long anon, file, shmem, rss, sz, data;
  sample(&anon, &file, &shmem, &rss, &sz, &data);
  printf("%-36s anon %+ld file %+ld shmem %+ld rss %+ld size %+ld data %+ld kB\n", what, anon - anon0, file - file0, shmem - shmem0, rss - rss0, sz - sz0, data - data0);
  fflush(stdout);
}

static void touch(volatile char *m, int pages, int write) {
  for (int i = 0; i < pages; i++) {
    if (write) m[i * 4096] = 1;
    else (void)m[i * 4096];
  }
}

int main(void) {
  char page[4096] = "one page";
  int fd = open("file", O_RDWR | O_CREAT, 0644);
  write(fd, page, sizeof page);
  /* the first round's own faults (stdio's buffer, the code of printf) are not the probe's */
  start();
  start();
  printf("changes in kB\n");

  start();
  char *m = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  delta("private anonymous mapped");
  touch(m, 3, 1);
  delta("3 pages written");
  munmap(m, 8 * 4096);
  delta("unmapped");

  start();
  m = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  touch(m, 3, 1);
  touch(m + 3 * 4096, 2, 0);
  delta("shared anonymous 3 written 2 read");
  munmap(m, 8 * 4096);
  delta("unmapped");

  start();
  int mfd = memfd_create("rss", 0);
  ftruncate(mfd, 8 * 4096);
  m = mmap(NULL, 8 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, mfd, 0);
  touch(m, 4, 1);
  delta("memfd shared 4 written");
  char *pm = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, mfd, 0);
  touch(pm, 1, 0);
  delta("memfd private 1 read");
  touch(pm, 1, 1);
  delta("memfd private 1 written");
  munmap(m, 8 * 4096);
  munmap(pm, 4096);
  delta("unmapped");

  start();
  int id = shmget(IPC_PRIVATE, 8 * 4096, IPC_CREAT | 0600);
  m = shmat(id, NULL, 0);
  touch(m, 2, 1);
  delta("SysV shm 2 written");
  shmdt(m);
  shmctl(id, IPC_RMID, NULL);
  delta("detached");

  start();
  m = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
  touch(m, 1, 0);
  delta("private file 1 read");
  char *w = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  touch(w, 1, 1);
  delta("private file 1 written");
  char *s = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  touch(s, 1, 1);
  delta("shared file 1 written");
  munmap(m, 4096);
  munmap(w, 4096);
  munmap(s, 4096);
  delta("unmapped");
  return 0;
}
