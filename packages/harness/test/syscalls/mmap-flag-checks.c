/* mmap's checks of a file mapping in do_mmap's order: an empty length (EINVAL) and the map type
 * (none: EINVAL; MAP_SHARED_VALIDATE: EOPNOTSUPP for a flag outside the legacy set, else MAP_SHARED)
 * come before the descriptor's access mode (EACCES); MAP_SHARED_VALIDATE of anonymous memory is
 * EINVAL. A MAP_SHARED_VALIDATE mapping's stores reach the file as MAP_SHARED's do. MAP_SYNC is
 * left out: whether the mask admits it depends on the filesystem (ext4 yes, tmpfs no). */
#include "common.h"
#include <sys/mman.h>

#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif

static void try(const char *what, size_t len, int prot, int flags, int fd) {
  void *m = mmap(NULL, len, prot, flags, fd, 0);
  if (m == MAP_FAILED) printf("%s: %s\n", what, strerrorname_np(errno));
  else {
    printf("%s: ok\n", what);
    munmap(m, len);
  }
}

static void each(const char *name, int fd) {
  char what[96];
  static const struct { const char *n; int prot, flags; size_t len; } c[] = {
    { "len 0 shared rw", PROT_READ | PROT_WRITE, MAP_SHARED, 0 },
    { "len 0 private r", PROT_READ, MAP_PRIVATE, 0 },
    { "no type rw", PROT_READ | PROT_WRITE, 0, 4096 },
    { "no type r", PROT_READ, 0, 4096 },
    { "type 4 r", PROT_READ, 4, 4096 },
    { "validate r", PROT_READ, MAP_SHARED_VALIDATE, 4096 },
    { "validate rw", PROT_READ | PROT_WRITE, MAP_SHARED_VALIDATE, 4096 },
    { "validate w", PROT_WRITE, MAP_SHARED_VALIDATE, 4096 },
    { "validate bit 22", PROT_READ, MAP_SHARED_VALIDATE | 0x400000, 4096 },
    { "validate noreplace", PROT_READ, MAP_SHARED_VALIDATE | 0x100000, 4096 },
    { "validate populate locked", PROT_READ, MAP_SHARED_VALIDATE | MAP_POPULATE | MAP_NORESERVE, 4096 },
    { "shared bit 22", PROT_READ, MAP_SHARED | 0x400000, 4096 },
    { "private bit 22", PROT_READ, MAP_PRIVATE | 0x400000, 4096 },
    { "private rw", PROT_READ | PROT_WRITE, MAP_PRIVATE, 4096 },
    { "shared rw", PROT_READ | PROT_WRITE, MAP_SHARED, 4096 },
  };
  for (unsigned i = 0; i < sizeof c / sizeof c[0]; i++) {
    snprintf(what, sizeof what, "%s %s", name, c[i].n);
    try(what, c[i].len, c[i].prot, c[i].flags, fd);
  }
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  int rw = open("file", O_CREAT | O_RDWR, 0644);
  ftruncate(rw, 8192);
  each("rdwr", rw);
  each("rdonly", open("file", O_RDONLY));
  each("wronly", open("file", O_WRONLY));
  try("anon validate", 4096, PROT_READ, MAP_SHARED_VALIDATE | MAP_ANONYMOUS, -1);
  try("anon no type", 4096, PROT_READ, MAP_ANONYMOUS, -1);
  char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED_VALIDATE, rw, 0);
  if (m != MAP_FAILED) {
    memcpy(m, "through validate", 16);
    munmap(m, 4096);
    char buf[17] = { 0 };
    pread(rw, buf, 16, 0);
    printf("file reads \"%s\"\n", buf);
  }
  return 0;
}
