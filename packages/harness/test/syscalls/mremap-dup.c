/* mremap that keeps the old mapping: old_size 0 duplicates a shared mapping (file or anonymous:
 * both see each other's stores; private memory refuses), MREMAP_DONTUNMAP moves the pages and
 * leaves the old range mapped (a shared file mapping's old range still shows the file, private
 * anonymous memory reads zeros there, a private file mapping the file); stores through every
 * copy reach the file at msync; the argument checks. */
#include "common.h"
#include <sys/mman.h>

#ifndef MREMAP_DONTUNMAP
#define MREMAP_DONTUNMAP 4
#endif
#define PG 4096
#define NAME "mremap-dup.bin"

static void on_disk(const char *what, off_t at) {
  char buf[8] = {0};
  int fd = open(NAME, O_RDONLY);
  pread(fd, buf, 7, at);
  close(fd);
  printf("%s: file has '%s'\n", what, buf);
}

static const char *ok(void *p) {
  return p == MAP_FAILED ? strerrorname_np(errno) : "ok";
}

int main(void) {
  int fd = open(NAME, O_RDWR | O_CREAT | O_TRUNC, 0600);
  ftruncate(fd, 3 * PG);
  char *a = mmap(NULL, 3 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  strcpy(a + PG, "one");

  /* old_size 0: a second mapping of the same file pages, from a + PG on */
  char *b = mremap(a + PG, 0, 2 * PG, MREMAP_MAYMOVE);
  printf("dup: %s, a %s, b sees '%s'\n", ok(b), b == a + PG ? "same" : "other", b);
  strcpy(b + 4, "two");
  strcpy(a + 2 * PG, "three");
  printf("a sees '%s', b sees '%s'\n", a + PG + 4, b + PG);
  msync(b, 2 * PG, MS_SYNC);
  on_disk("after msync of b", PG + 4);
  munmap(b, 2 * PG);
  printf("a after munmap of b: '%s'\n", a + PG);
  printf("dup without MAYMOVE: %s\n", ok(mremap(a, 0, PG, 0)));
  char *c = mremap(a, 0, 5 * PG, MREMAP_MAYMOVE);
  printf("dup longer than the file: %s, page 1 '%s'\n", ok(c), c + PG);
  munmap(c, 5 * PG);

  char *anon = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  strcpy(anon, "anon");
  char *d = mremap(anon, 0, 2 * PG, MREMAP_MAYMOVE);
  strcpy(d + PG, "dup");
  printf("shared anonymous dup: %s, '%s' '%s'\n", ok(d), d, anon + PG);
  char *priv = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  strcpy(priv, "private");
  printf("private anonymous dup: %s\n", ok(mremap(priv, 0, 2 * PG, MREMAP_MAYMOVE)));

  /* MREMAP_DONTUNMAP */
  printf("dontunmap without MAYMOVE: %s\n", ok(mremap(priv, 2 * PG, 2 * PG, MREMAP_DONTUNMAP, NULL)));
  printf("dontunmap resizing: %s\n", ok(mremap(priv, 2 * PG, 3 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL)));
  char *e = mremap(priv, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL);
  printf("private anonymous dontunmap: %s, new '%s', old reads %d\n", ok(e), e, priv[0]);
  char *f = mremap(a, 3 * PG, 3 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL);
  printf("shared file dontunmap: %s\n", ok(f));
  if (f != MAP_FAILED) {
    strcpy(f + 2 * PG + 8, "new");
    printf("new '%s', old '%s' '%s'\n", f + PG, a + PG, a + 2 * PG + 8);
    munmap(f, 3 * PG);
  }
  char *k = mremap(anon, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL);
  printf("shared anonymous dontunmap: %s\n", ok(k));
  if (k != MAP_FAILED) {
    strcpy(k + 8, "moved");
    printf("new '%s', old '%s' '%s', dup '%s'\n", k, anon, anon + 8, d + 8);
  }
  char *g = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  g[0] = 'G';
  strcpy(g + PG, "six");
  char *h = mremap(g, 2 * PG, 2 * PG, MREMAP_MAYMOVE | MREMAP_DONTUNMAP, NULL);
  printf("private file dontunmap: %s\n", ok(h));
  if (h != MAP_FAILED) {
    printf("new '%s' '%s', old '%s' '%s'\n", h, h + PG, g, g + PG);
    pwrite(fd, "seven", 5, PG);
    strcpy(a + PG + 6, "eight");
    printf("after pwrite and a shared store: new '%s', old '%s' '%s'\n", h + PG, g + PG, g + PG + 6);
  }
  char *t = mmap(NULL, 6 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *i = mremap(a, 3 * PG, 3 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, t + 2 * PG);
  printf("shared file moved: %s, at t %s, '%s'\n", ok(i), i == t + 2 * PG ? "yes" : "no", i + PG);
  strcpy(i + PG, "nine");
  msync(i, 3 * PG, MS_SYNC);
  on_disk("after msync of the moved", PG);
  char *j = mremap(i + PG, 0, PG, MREMAP_MAYMOVE | MREMAP_FIXED, t);
  printf("fixed dup: %s, at t %s, '%s'\n", ok(j), j == t ? "yes" : "no", j);
  strcpy(j, "ten");
  printf("moved sees '%s'\n", i + PG);
  munmap(j, PG);
  munmap(i, 3 * PG);
  on_disk("at the end", PG);
  unlink(NAME);
  return 0;
}
