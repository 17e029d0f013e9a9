/* memfd_create: the flags it takes and refuses, its name's limits, a memfd read, written,
 * truncated, sought, stat'ed and mapped shared (a store seen by read, a write seen in the map,
 * across fork), its /proc/self/fd link and /proc/self/maps name, close-on-exec, and its seals:
 * F_SEAL_SEAL without MFD_ALLOW_SEALING, F_SEAL_EXEC with MFD_NOEXEC_SEAL, the writes, truncations
 * and shared writable maps SHRINK, GROW, WRITE and FUTURE_WRITE refuse, a reopened read-only
 * description (EPERM), a file that is no memfd (EINVAL). */
#include "common.h"
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#define MFD_CLOEXEC_ 1
#define MFD_ALLOW_SEALING_ 2
#define MFD_HUGETLB_ 4
#define MFD_NOEXEC_SEAL_ 8
#define MFD_EXEC_ 0x10
#define F_ADD_SEALS_ 1033
#define F_GET_SEALS_ 1034

static void show(int fd) {
  struct stat st;
  char path[64], link[300];
  if (fd < 0) return;
  if (fstat(fd, &st) == 0) printf("fstat mode %o nlink %ld size %ld\n", st.st_mode, (long)st.st_nlink, (long)st.st_size);
  snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  long n = readlink(path, link, sizeof link - 1);
  if (n >= 0) link[n] = 0;
  printf("link %s\n", n >= 0 ? link : strerrorname_np(errno));
  printf("cloexec %d\n", fcntl(fd, F_GETFD) & FD_CLOEXEC);
  fflush(stdout);
}

/* The name /proc/self/maps gives the memfd's mapping. */
static void maps_name(void) {
  char line[512];
  FILE *f = fopen("/proc/self/maps", "r");
  while (f && fgets(line, sizeof line, f))
    if (strstr(line, "/memfd:")) printf("maps %s", strstr(line, "/memfd:"));
  if (f) fclose(f);
  fflush(stdout);
}

int main(void) {
  char name[300];
  memset(name, 'n', sizeof name);
  name[249] = 0;
  SYS(memfd_create, name, 0);
  name[249] = 'n';
  name[250] = 0;
  SYS(memfd_create, name, 0);
  SYS(memfd_create, BAD, 0);
  SYS(memfd_create, "x", 0x20);
  SYS(memfd_create, "x", 0x80000000u);
  SYS(memfd_create, "x", MFD_EXEC_ | MFD_NOEXEC_SEAL_);
  SYS(memfd_create, "x", MFD_HUGETLB_ | MFD_ALLOW_SEALING_);
  for (int i = 3; i < 10; i++) close(i);

  int fd = SYS(memfd_create, "plain", 0);
  show(fd);
  SYS(write, fd, "hello world", 11);
  SYS(lseek, fd, 0, SEEK_CUR);
  SYS(lseek, fd, 6, SEEK_SET);
  char buf[32] = { 0 };
  SYS(read, fd, buf, sizeof buf - 1);
  printf("read %s\n", buf);
  SYS(ftruncate, fd, 8192);
  show(fd);
  char *m;
  m = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  printf("mmap %s\n", m == MAP_FAILED ? strerrorname_np(errno) : "ok");
  if (m != MAP_FAILED) {
    printf("map %.11s\n", m);
    maps_name();
    pid_t pid = fork();
    if (pid == 0) {
      memcpy(m + 4096, "child", 5);
      _exit(0);
    }
    wait_child(pid);
    memset(buf, 0, sizeof buf);
    report("pread", pread(fd, buf, 5, 4096));
    printf("pread %s\n", buf);
    report("pwrite", pwrite(fd, "WORLD", 5, 6));
    printf("map %.11s\n", m);
    munmap(m, 8192);
  }
  SYS(ftruncate, fd, 3);
  show(fd);
  SYS(fcntl, fd, F_GET_SEALS_);
  SYS(fcntl, fd, F_ADD_SEALS_, 4);
  SYS(fcntl, fd, F_GET_SEALS_);
  close(fd);

  fd = SYS(memfd_create, "", MFD_CLOEXEC_ | MFD_ALLOW_SEALING_);
  show(fd);
  SYS(fcntl, fd, F_GETFL);
  SYS(fcntl, fd, F_GET_SEALS_);
  SYS(fcntl, fd, F_ADD_SEALS_, 0x40);
  SYS(write, fd, "0123456789", 10);
  SYS(fcntl, fd, F_ADD_SEALS_, 2 | 4);
  SYS(fcntl, fd, F_GET_SEALS_);
  SYS(ftruncate, fd, 5);
  SYS(ftruncate, fd, 20);
  SYS(ftruncate, fd, 10);
  SYS(lseek, fd, 8, SEEK_SET);
  SYS(write, fd, "abcd", 4);
  SYS(write, fd, "ab", 2);
  SYS(fcntl, fd, F_ADD_SEALS_, 8 | 1);
  SYS(fcntl, fd, F_GET_SEALS_);
  SYS(fcntl, fd, F_ADD_SEALS_, 0x10);
  report("pwrite", pwrite(fd, "z", 1, 0));
  m = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  printf("mmap %s\n", m == MAP_FAILED ? strerrorname_np(errno) : "ok");
  m = mmap(0, 4096, PROT_READ, MAP_SHARED, fd, 0);
  printf("mmap %s %.10s\n", m == MAP_FAILED ? strerrorname_np(errno) : "ok", m == MAP_FAILED ? "" : m);
  close(fd);
  /* F_SEAL_GROW lets a write through up to the last page chunk ending within the file */
  static char big[9000];
  fd = SYS(memfd_create, "grow", MFD_ALLOW_SEALING_);
  SYS(ftruncate, fd, 4106);
  SYS(fcntl, fd, F_ADD_SEALS_, 4);
  report("pwrite", pwrite(fd, big, 20, 4090));
  report("pwrite", pwrite(fd, big, 20, 4100));
  report("pwrite", pwrite(fd, big, sizeof big, 0));
  report("pwrite", pwrite(fd, big, 6, 4100));
  close(fd);
  fd = SYS(memfd_create, "ro", MFD_ALLOW_SEALING_);
  char path[64];
  snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
  int ro = SYS(openat, AT_FDCWD, path, O_RDONLY);
  SYS(fcntl, ro, F_ADD_SEALS_, 1);
  SYS(fcntl, ro, F_GET_SEALS_);
  close(ro);
  close(fd);
  fd = SYS(memfd_create, "noexec", MFD_NOEXEC_SEAL_);
  show(fd);
  SYS(fcntl, fd, F_GET_SEALS_);
  close(fd);
  fd = SYS(memfd_create, "exec", MFD_EXEC_ | MFD_CLOEXEC_);
  show(fd);
  close(fd);

  fd = SYS(openat, AT_FDCWD, "f", O_RDWR | O_CREAT, 0600);
  SYS(fcntl, fd, F_GET_SEALS_);
  SYS(fcntl, fd, F_ADD_SEALS_, 1);
  close(fd);
  return 0;
}
