/* The vDSO's time functions called directly (found through AT_SYSINFO_EHDR) with pointers that
 * are NULL, unmapped, read-only or straddle into or out of an unmapped page. The vDSO writes its
 * results from user mode: a bad pointer is a SIGSEGV inside the vDSO (si_code, the faulting
 * address's place, trapno and error code printed), not the system call's EFAULT, and a result
 * straddling a hole is stored field by field in the vDSO's order. Clocks the vDSO does not
 * answer fall back to the system call, which returns -errno for the same pointers. Each case
 * prints the return value (or the signal) and which 4-byte words of the result it wrote; no
 * time or cpu value is printed, only clock resolutions. Left out (system-call differences,
 * issue #18): CLOCK_TAI, the auxiliary clocks 16-23 and CPU-time clock ids, and straddling
 * results of the clocks that fall back (the kernel's copy_to_user writes the mapped part).
 * Build: gcc -m64 -static -O1. */
#define _GNU_SOURCE
#include <elf.h>
#include <link.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <time.h>
#include <ucontext.h>

#define PAGE 4096
#define FILL 0xa5

/* The vDSO's exported functions by name (the ELF dynamic symbols, through DT_HASH). */
static void *vdso_fn(const char *name) {
  unsigned long ehdr = getauxval(AT_SYSINFO_EHDR), base = 0;
  const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)ehdr;
  const ElfW(Phdr) *ph = (const ElfW(Phdr) *)(ehdr + eh->e_phoff);
  const ElfW(Dyn) *dyn = NULL;
  for (int i = 0; i < eh->e_phnum; i++) {
    if (ph[i].p_type == PT_LOAD) base = ehdr - ph[i].p_vaddr;
    if (ph[i].p_type == PT_DYNAMIC) dyn = (const ElfW(Dyn) *)ph[i].p_vaddr;
  }
  const char *str = NULL;
  const ElfW(Sym) *sym = NULL;
  const ElfW(Word) *hash = NULL;
  for (dyn = (const ElfW(Dyn) *)((unsigned long)dyn + base); dyn->d_tag != DT_NULL; dyn++) {
    if (dyn->d_tag == DT_STRTAB) str = (const char *)(base + dyn->d_un.d_ptr);
    if (dyn->d_tag == DT_SYMTAB) sym = (const ElfW(Sym) *)(base + dyn->d_un.d_ptr);
    if (dyn->d_tag == DT_HASH) hash = (const ElfW(Word) *)(base + dyn->d_un.d_ptr);
  }
  for (unsigned i = 0; i < hash[1]; i++)
    if (sym[i].st_shndx != SHN_UNDEF && !strcmp(str + sym[i].st_name, name)) return (void *)(base + sym[i].st_value);
  printf("%s not found\n", name);
  return NULL;
}

/* Pages: [0] read-write, [1] unmapped, [2] read-write, [3] read-only. */
static unsigned char *area;
static unsigned long vdso_lo;
static sigjmp_buf back;

enum { OK, NUL, HOLE, READ_ONLY, FIXED };
static const char *const PTR_NAMES[FIXED] = { "ok", "NULL", "unmapped", "read-only" };

/* The pointer kinds for a result of `size` bytes: the fixed ones, then for each 4-byte boundary n
 * inside it, the result across the hole's start (n bytes mapped) and across its end (n bytes in it). */
static int kinds(int size) { return FIXED + 2 * (size / 4 - 1); }

static unsigned char *ptr(int k, int size) {
  switch (k) {
  case OK: return area + 64;
  case NUL: return NULL;
  case HOLE: return area + PAGE + 64;
  case READ_ONLY: return area + 3 * PAGE + 64;
  }
  int n = 4 * ((k - FIXED) / 2 + 1);
  return (k - FIXED) % 2 ? area + 2 * PAGE - n : area + PAGE - n;
}

static void name(int k) {
  if (k < FIXED) printf("%s", PTR_NAMES[k]);
  else printf("%s %d", (k - FIXED) % 2 ? "hole" : "mapped", 4 * ((k - FIXED) / 2 + 1));
}

/* A place in the area by page and offset, or the address itself. */
static void where(unsigned long a) {
  if (a - (unsigned long)area < 4 * PAGE) printf("page %lu+%lu", (a - (unsigned long)area) / PAGE, (a - (unsigned long)area) % PAGE);
  else printf("%#lx", a);
}

static void on_segv(int sig, siginfo_t *si, void *p) {
  (void)sig;
  const ucontext_t *uc = p;
  unsigned long ip = uc->uc_mcontext.gregs[REG_RIP];
  printf("SIGSEGV code %d addr ", si->si_code);
  where((unsigned long)si->si_addr);
  printf(" trapno %ld err %ld in vdso %d", (long)uc->uc_mcontext.gregs[REG_TRAPNO], (long)uc->uc_mcontext.gregs[REG_ERR], ip - vdso_lo < 2 * PAGE);
  siglongjmp(back, 1);
}

/* Fills the result places of every pointer kind. */
static void fill(void) {
  memset(area, FILL, PAGE);
  memset(area + 2 * PAGE, FILL, PAGE);
}

/* Which 4-byte words of the `size` bytes at `p` are no longer the fill (the mapped ones). */
static void written(const unsigned char *p, int size) {
  printf(" wrote");
  for (int w = 0; w < size / 4; w++) {
    const unsigned char *q = p + 4 * w;
    if ((unsigned long)(q - area) / PAGE == 1 || (unsigned long)(q - area) / PAGE == 3) continue;
    unsigned v;
    memcpy(&v, q, 4);
    if (v != 0xa5a5a5a5u) printf(" %d", w);
  }
}

typedef long (*clock_fn)(long clock, void *ts);

static const long CLOCKS[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 15, 24, -1 };
/* the clocks Linux's vDSO answers itself (REALTIME, MONOTONIC, MONOTONIC_RAW, the COARSE ones, BOOTTIME) */
static int answered(long clock) { return clock >= 0 && clock < 8 && (0xf3 >> clock & 1); }

/* fn(clock, p) for every clock and pointer kind; `size` is the result's, `res` prints it when ok. */
static void clocks(const char *fn_name, clock_fn fn, int size, int res) {
  for (unsigned c = 0; c < sizeof CLOCKS / sizeof *CLOCKS; c++)
    for (int k = 0; k < (answered(CLOCKS[c]) ? kinds(size) : FIXED); k++) {
      fill();
      unsigned char *p = ptr(k, size);
      printf("%s(%ld, ", fn_name, CLOCKS[c]);
      name(k);
      printf("): ");
      if (!sigsetjmp(back, 1)) {
        long r = fn(CLOCKS[c], p);
        printf("%ld", r);
        if (res && k == OK && r == 0) {
          long long sec = 0, nsec = 0;
          memcpy(&sec, p, size / 2);
          memcpy(&nsec, p + size / 2, size / 2);
          printf(" {%lld, %lld}", sec, nsec);
        }
      }
      if (p) written(p, size);
      printf("\n");
    }
}

/* fn(a, b) for every pair of pointer kinds (a to `sa` bytes, b to `sb`). */
static void pairs(const char *fn_name, long (*fn)(void *, void *, void *), int sa, int sb) {
  for (int ka = 0; ka < kinds(sa); ka++)
    for (int kb = 0; kb < kinds(sb); kb++) {
      if (ka > NUL && kb > NUL) continue;
      fill();
      unsigned char *a = ptr(ka, sa), *b = ptr(kb, sb);
      if (ka == OK && kb == OK) b = area + 128;
      printf("%s(", fn_name);
      name(ka);
      printf(", ");
      name(kb);
      printf("): ");
      if (!sigsetjmp(back, 1)) printf("%ld", fn(a, b, NULL));
      if (a) written(a, sa);
      printf(" /");
      if (b) written(b, sb);
      printf("\n");
    }
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  area = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  munmap(area + PAGE, PAGE);
  mprotect(area + 3 * PAGE, PAGE, PROT_READ);
  /* read once, so that the page is present (a store fault's error code has P set, as dbtlab's pages always are) */
  (void)*(volatile unsigned char *)(area + 3 * PAGE);
  vdso_lo = getauxval(AT_SYSINFO_EHDR);
  struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_NODEFER };
  sigaction(SIGSEGV, &sa, NULL);

  clocks("clock_gettime", (clock_fn)vdso_fn("__vdso_clock_gettime"), 2 * sizeof(long), 0);
  clocks("clock_getres", (clock_fn)vdso_fn("__vdso_clock_getres"), 2 * sizeof(long), 1);
  pairs("gettimeofday", (long (*)(void *, void *, void *))vdso_fn("__vdso_gettimeofday"), 2 * sizeof(long), 8);
  pairs("getcpu", (long (*)(void *, void *, void *))vdso_fn("__vdso_getcpu"), 4, 4);
  long (*time_fn)(void *) = (long (*)(void *))vdso_fn("__vdso_time");
  for (int k = 0; k < kinds(sizeof(long)); k++) {
    fill();
    unsigned char *p = ptr(k, sizeof(long));
    printf("time(");
    name(k);
    printf("): ");
    if (!sigsetjmp(back, 1)) printf("%s", time_fn(p) > 0 ? "a time" : "not a time");
    if (p) written(p, sizeof(long));
    printf("\n");
  }
  return 0;
}
