/* memfd seals against mappings and modes: F_SEAL_WRITE is EBUSY while a shared mapping that may
 * be written exists (one made writable or read-only from a read-write fd, in this process or a
 * forked child), not for a private one or after munmap; a shared mapping made after
 * F_SEAL_FUTURE_WRITE or F_SEAL_WRITE, read-only, may not become writable (mprotect EACCES), one
 * made before may; a shared mapping of a read-only fd may not become writable either; F_SEAL_EXEC
 * refuses fchmod changing an exec bit. */
#include "common.h"
#include <sys/mman.h>
#include <sys/stat.h>

#define PG 4096
#ifndef MFD_EXEC
#define MFD_EXEC 0x10
#define MFD_NOEXEC_SEAL 8
#endif
#ifndef F_SEAL_EXEC
#define F_SEAL_EXEC 0x20
#endif

static int sealable(const char *name) {
  int fd = memfd_create(name, MFD_ALLOW_SEALING);
  ftruncate(fd, 2 * PG);
  return fd;
}

int main(void) {
  int fd = sealable("w");
  char *rw = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  report("seal write with a writable shared map", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
  munmap(rw, PG);
  int ready[2];
  pipe(ready);
  pid_t pid = fork();
  char c;
  if (pid == 0) {
    char *m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    report("child mapped", m == MAP_FAILED ? -1 : 0);
    write(ready[1], "x", 1);
    sleep(1);
    _exit(0);
  }
  read(ready[0], &c, 1);
  report("seal write while a child maps it", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
  wait_child(pid);
  char *ro = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
  char *priv = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  priv[1] = 'q';
  report("seal write with a read-only shared and a private map", fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE));
  report("seals", fcntl(fd, F_GET_SEALS));
  report("mprotect the earlier read-only map writable", mprotect(ro, PG, PROT_READ | PROT_WRITE));
  priv[0] = 'p';
  report("mmap shared writable after the seal", mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED ? -1 : 0);
  char *r2 = mmap(NULL, PG, PROT_READ, MAP_SHARED, fd, 0);
  report("mmap shared read-only after the seal", r2 == MAP_FAILED ? -1 : 0);
  report("mprotect it writable", mprotect(r2, PG, PROT_READ | PROT_WRITE));
  report("mprotect it read+exec", mprotect(r2, PG, PROT_READ | PROT_EXEC));

  int g = sealable("future");
  char *before = mmap(NULL, PG, PROT_READ, MAP_SHARED, g, 0);
  report("seal future write", fcntl(g, F_ADD_SEALS, F_SEAL_FUTURE_WRITE));
  report("mprotect a map made before writable", mprotect(before, PG, PROT_READ | PROT_WRITE));
  before[0] = 'b';
  char *after = mmap(NULL, PG, PROT_READ, MAP_SHARED, g, 0);
  report("mprotect a map made after writable", mprotect(after, PG, PROT_READ | PROT_WRITE));
  report("mprotect part of both", mprotect(after - PG, 2 * PG, PROT_READ | PROT_WRITE));
  report("private map writable after", mprotect(mmap(NULL, PG, PROT_READ, MAP_PRIVATE, g, 0), PG, PROT_READ | PROT_WRITE));
  report("seal write now", fcntl(g, F_ADD_SEALS, F_SEAL_WRITE));

  /* a read-only fd of a file */
  int f = open("memfd-seals.bin", O_RDWR | O_CREAT | O_TRUNC, 0600);
  ftruncate(f, PG);
  int rofd = open("memfd-seals.bin", O_RDONLY);
  char *rom = mmap(NULL, PG, PROT_READ, MAP_SHARED, rofd, 0);
  report("shared map of a read-only fd made writable", mprotect(rom, PG, PROT_READ | PROT_WRITE));
  char *rop = mmap(NULL, PG, PROT_READ, MAP_PRIVATE, rofd, 0);
  report("private map of a read-only fd made writable", mprotect(rop, PG, PROT_READ | PROT_WRITE));
  unlink("memfd-seals.bin");

  /* F_SEAL_EXEC */
  int e = memfd_create("exec", MFD_ALLOW_SEALING | MFD_EXEC);
  report("fchmod 0700 before", fchmod(e, 0700));
  report("seal exec", fcntl(e, F_ADD_SEALS, F_SEAL_EXEC));
  report("fchmod 0600", fchmod(e, 0600));
  report("fchmod 0500", fchmod(e, 0500));
  report("fchmod 0711", fchmod(e, 0711));
  report("fchmod 0700 again", fchmod(e, 0700));
  report("fchmod 04700", fchmod(e, 04700));
  struct stat st;
  fstat(e, &st);
  printf("mode %o\n", st.st_mode);
  int n = memfd_create("noexec", MFD_NOEXEC_SEAL);
  report("noexec seals", fcntl(n, F_GET_SEALS));
  report("noexec fchmod 0777", fchmod(n, 0777));
  report("noexec fchmod 0644", fchmod(n, 0644));
  fstat(n, &st);
  printf("mode %o\n", st.st_mode);
  return 0;
}
