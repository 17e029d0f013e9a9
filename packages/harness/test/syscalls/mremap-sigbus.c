/* A shared anonymous mapping grown by mremap past its object's size (in place, moved, after
 * shrinking): the pages past the end are SIGBUS (BUS_ADRERR), in a forked child too, and EFAULT
 * for a system call that copies there; the pages inside stay the object's. */
#include "common.h"
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>

#define PG 4096

static sigjmp_buf back;

static void on_fault(int sig, siginfo_t *si, void *uc) {
  (void)uc;
  printf("  signal %d code %d\n", sig, si->si_code);
  siglongjmp(back, 1);
}

static void store(const char *what, volatile char *at) {
  printf("%s:\n", what);
  if (!sigsetjmp(back, 1)) {
    at[0] = 5;
    printf("  stored, reads %d\n", at[0]);
  }
  fflush(stdout);
}

int main(void) {
  struct sigaction sa = {0};
  sa.sa_sigaction = on_fault;
  sa.sa_flags = SA_SIGINFO;
  sigaction(SIGBUS, &sa, 0);
  sigaction(SIGSEGV, &sa, 0);
  char *p = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  p[0] = 1;
  char *q = mremap(p, 2 * PG, 6 * PG, MREMAP_MAYMOVE);
  printf("grown: %s\n", q == MAP_FAILED ? "failed" : "ok");
  store("page 1", q + PG);
  store("page 2", q + 2 * PG);
  store("page 5", q + 5 * PG);
  int zero = open("/dev/zero", O_RDONLY);
  report("read into page 3", read(zero, q + 3 * PG, 16));
  report("read into page 1", read(zero, q + PG, 16));
  pid_t pid = fork();
  if (pid == 0) {
    store("child page 3", q + 3 * PG);
    store("child page 0", q);
    _exit(0);
  }
  wait_child(pid);
  char *r = mremap(q, 6 * PG, PG, 0);
  printf("shrunk: %s\n", r == MAP_FAILED ? "failed" : "ok");
  char *s = mremap(r, PG, 3 * PG, MREMAP_MAYMOVE);
  printf("regrown: %s, page 0 reads %d\n", s == MAP_FAILED ? "failed" : "ok", s[0]);
  store("regrown page 1", s + PG);
  store("regrown page 2", s + 2 * PG);
  char *t = mmap(NULL, 8 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *moved = mremap(s, 3 * PG, 4 * PG, MREMAP_MAYMOVE | MREMAP_FIXED, t + 4 * PG);
  printf("moved and grown: %s, page 1 reads %d\n", moved == MAP_FAILED ? "failed" : "ok", moved[PG]);
  store("moved page 3", moved + 3 * PG);
  return 0;
}
