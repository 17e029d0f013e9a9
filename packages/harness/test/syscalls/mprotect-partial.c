/* mprotect over several mappings changes them one by one as Linux's loop does: at a hole (ENOMEM)
 * or at a mapping that may not take the protection (EACCES: PROT_WRITE on a shared mapping of a
 * read-only file, no VM_MAYWRITE) it stops, and the mappings before stay changed. mmap itself
 * refuses a shared writable mapping of a read-only file and any mapping of a write-only one. */
#include "common.h"
#include <setjmp.h>
#include <signal.h>
#include <sys/mman.h>

static sigjmp_buf back;
static void on_segv(int sig) { siglongjmp(back, sig); }

/* Whether a byte at `at` can be read, written: "rw", "r-", "--". */
static const char *access_of(volatile char *at) {
  static char out[3];
  out[0] = out[1] = '-';
  if (sigsetjmp(back, 1) == 0) { (void)*at; out[0] = 'r'; }
  if (out[0] == 'r' && sigsetjmp(back, 1) == 0) { char c = *at; *at = c; out[1] = 'w'; }
  return out;
}

static void pages(const char *what, char *base, int n) {
  printf("%s:", what);
  for (int i = 0; i < n; i++) printf(" %s", access_of(base + i * 4096));
  printf("\n");
  fflush(stdout);
}

static void *map(void *at, int prot, int flags, int fd) {
  void *m = mmap(at, 4096, prot, flags | (at ? MAP_FIXED : 0), fd, 0);
  if (m == MAP_FAILED) printf("mmap = -1 %s\n", strerrorname_np(errno));
  else printf("mmap = ok\n");
  fflush(stdout);
  return m;
}

int main(void) {
  struct sigaction sa = { .sa_handler = on_segv };
  sigaction(SIGSEGV, &sa, NULL);
  int fd = open("data", O_RDWR | O_CREAT, 0644);
  char page[4096] = "file";
  write(fd, page, sizeof page);
  close(fd);
  int ro = open("data", O_RDONLY), wo = open("data", O_WRONLY);

  printf("-- mmap of read-only and write-only files\n");
  map(NULL, PROT_READ | PROT_WRITE, MAP_SHARED, ro);
  map(NULL, PROT_READ, MAP_SHARED, ro);
  map(NULL, PROT_READ | PROT_WRITE, MAP_PRIVATE, ro);
  map(NULL, PROT_READ, MAP_SHARED, wo);
  map(NULL, PROT_WRITE, MAP_SHARED, wo);
  map(NULL, PROT_READ, MAP_PRIVATE, wo);

  /* four pages: anonymous, anonymous, a hole, anonymous */
  char *base = mmap(NULL, 4 * 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  munmap(base + 2 * 4096, 4096);
  printf("-- a hole\n");
  pages("before", base, 4);
  report("mprotect over the hole", mprotect(base, 4 * 4096, PROT_READ | PROT_WRITE));
  pages("after", base, 4);
  report("mprotect from the hole", mprotect(base + 2 * 4096, 2 * 4096, PROT_NONE));
  pages("after", base, 4);
  report("mprotect to the hole", mprotect(base, 2 * 4096, PROT_NONE));
  pages("after", base, 4);

  printf("-- a shared mapping of a read-only file in the middle\n");
  map(base + 2 * 4096, PROT_READ, MAP_SHARED, ro);
  report("mprotect rw", mprotect(base, 4 * 4096, PROT_READ | PROT_WRITE));
  pages("after", base, 4);
  report("mprotect r", mprotect(base, 4 * 4096, PROT_READ));
  pages("after", base, 4);
  report("mprotect rw from the file", mprotect(base + 2 * 4096, 2 * 4096, PROT_READ | PROT_WRITE));
  pages("after", base, 4);
  report("mprotect rx", mprotect(base, 4 * 4096, PROT_READ | PROT_EXEC));
  pages("after", base, 4);
  /* a private mapping of the same file may be written */
  map(base + 2 * 4096, PROT_READ, MAP_PRIVATE, ro);
  report("mprotect rw private", mprotect(base, 4 * 4096, PROT_READ | PROT_WRITE));
  pages("after", base, 4);
  return 0;
}
