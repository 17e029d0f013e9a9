/* A file mapping touched past the page that holds the end of the file: SIGBUS with BUS_ADRERR
 * and si_addr the byte touched, for MAP_SHARED and MAP_PRIVATE, loads and stores, in a forked
 * child too; the page holding EOF reads zeros past it. After ftruncate shrinks the file under a
 * live mapping the cut pages are SIGBUS (a private page written before too), and after it grows
 * them again they read the file. A handler that siglongjmps out goes on; a system call that
 * copies into such a page gets EFAULT. */
#include "common.h"
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>

#define PG 4096
#define NAME "file-sigbus.bin"

static sigjmp_buf back;
static char *base;

static void on_fault(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  printf("  signal %d code %d at base+%ld\n", sig, si->si_code, (long)((char *)si->si_addr - base));
  siglongjmp(back, 1);
}

static void load(const char *what, volatile char *at) {
  printf("%s load:\n", what);
  if (!sigsetjmp(back, 1)) printf("  reads %d\n", at[0]);
  fflush(stdout);
}

static void store(const char *what, volatile char *at, char v) {
  printf("%s store:\n", what);
  if (!sigsetjmp(back, 1)) {
    at[0] = v;
    printf("  stored, reads %d\n", at[0]);
  }
  fflush(stdout);
}

/* A 4-byte load whose last bytes lie past the end of the mapped page holding EOF. */
static void straddle(const char *what, char *at) {
  printf("%s straddling load:\n", what);
  if (!sigsetjmp(back, 1)) printf("  reads %d\n", *(volatile int *)at);
  fflush(stdout);
}

static void probe(const char *kind, int flags, int fd) {
  base = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, flags, fd, 0);
  printf("%s:\n", kind);
  load("page 0", base + 10);
  load("page 1 past EOF in its page", base + PG + 200);
  load("page 2", base + 2 * PG + 7);
  store("page 3", base + 3 * PG + 4095, 9);
  store("page 1 past EOF in its page", base + PG + 300, 4);
  straddle("page 1/2", base + 2 * PG - 2);
  int zero = open("/dev/zero", O_RDONLY);
  report("read into page 2", read(zero, base + 2 * PG, 8));
  report("read into page 1", read(zero, base + PG, 8));
  close(zero);
  pid_t pid = fork();
  if (pid == 0) {
    load("child page 2", base + 2 * PG + 1);
    store("child page 3", base + 3 * PG, 1);
    _exit(0);
  }
  wait_child(pid);
  /* cut to 100 bytes under the live mapping, then grown again */
  store("page 1 before the cut", base + PG + 5, 6);
  ftruncate(fd, 100);
  load("after the cut, page 1", base + PG + 5);
  load("after the cut, page 0 past EOF", base + 200);
  ftruncate(fd, 2 * PG);
  load("grown again, page 1", base + PG + 5);
  load("grown again, page 2", base + 2 * PG);
  pwrite(fd, "x", 1, PG + 1000);
  ftruncate(fd, PG + 100);
  munmap(base, 4 * PG);
}

int main(void) {
  struct sigaction sa = {0};
  sa.sa_sigaction = on_fault;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGBUS, &sa, 0);
  sigaction(SIGSEGV, &sa, 0);
  int fd = open(NAME, O_RDWR | O_CREAT | O_TRUNC, 0600);
  ftruncate(fd, PG + 100);
  probe("MAP_SHARED", MAP_SHARED, fd);
  probe("MAP_PRIVATE", MAP_PRIVATE, fd);
  /* a read-only descriptor, a private mapping */
  int ro = open(NAME, O_RDONLY);
  probe("MAP_PRIVATE of a read-only file", MAP_PRIVATE, ro);
  unlink(NAME);
  return 0;
}
