/* maskmovq and maskmovdqu (the implicit store through (%edi)/(%rdi)) against page protection: the
   whole 8 or 16 bytes must be writable whatever the mask selects, even a zero mask (natively: a page
   fault, SIGSEGV code 2 with err 7 on a read-only page, code 1 with err 6 unmapped), and a store
   reaching into a read-only page writes nothing. Masks: none, one low byte, the top byte, every
   other byte; places: writable, read-only, across into read-only, unmapped, across into unmapped.
   Build: gcc -m32 -msse2 or -m64, -static -O1. Natively and under dbtlab the output must be identical. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

#define PAGE 4096
static sigjmp_buf back;
/* pages: [0] read-write, [1] read-only (present), [2] unmapped */
static unsigned char *area;

static void on_signal(int sig, siginfo_t *si, void *p) {
  ucontext_t *uc = p;
  printf(" sig %d code %d addr %+ld trapno %d err %d", sig, si->si_code, (long)((unsigned char *)si->si_addr - area), (int)uc->uc_mcontext.gregs[REG_TRAPNO],
         (int)uc->uc_mcontext.gregs[REG_ERR]);
  siglongjmp(back, 1);
}

static void written(void) {
  int n = 0;
  for (int i = 0; i < PAGE; i++) n += area[i] != 0xa5;
  printf(" bytes written %d\n", n);
}

static void maskmovq(long off, unsigned long long mask) {
  printf("maskmovq at %ld mask %llx:", off, mask);
  memset(area, 0xa5, PAGE);
  unsigned long long v = 0x1122334455667788ull;
  if (!sigsetjmp(back, 1)) {
    __asm__ volatile("movq %0, %%mm0; movq %1, %%mm1; maskmovq %%mm1, %%mm0; emms" ::"m"(v), "m"(mask), "D"(area + off) : "memory");
    printf(" ok");
  }
  written();
}

static void maskmovdqu(long off, unsigned long long mask) {
  printf("maskmovdqu at %ld mask %llx:", off, mask);
  memset(area, 0xa5, PAGE);
  unsigned long long v[2] = { 0x1122334455667788ull, 0x99aabbccddeeff00ull }, m[2] = { mask, mask };
  if (!sigsetjmp(back, 1)) {
    __asm__ volatile("movdqu %0, %%xmm0; movdqu %1, %%xmm1; maskmovdqu %%xmm1, %%xmm0" ::"m"(v), "m"(m), "D"(area + off) : "memory");
    printf(" ok");
  }
  written();
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  area = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  mprotect(area + PAGE, PAGE, PROT_READ);
  munmap(area + 2 * PAGE, PAGE);
  (void)*(volatile char *)(area + PAGE);
  struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO | SA_NODEFER };
  sigaction(SIGSEGV, &sa, NULL);
  sigaction(SIGBUS, &sa, NULL);
  static const unsigned long long masks[] = { 0, 0x80, 0x8000000000000000ull, 0x8080808080808080ull };
  for (int i = 0; i < 4; i++) {
    for (long off = 8; off < 3 * PAGE; off += PAGE) maskmovq(off, masks[i]);
    maskmovq(PAGE - 4, masks[i]);
    for (long off = 8; off < 3 * PAGE; off += PAGE) maskmovdqu(off, masks[i]);
    maskmovdqu(PAGE - 8, masks[i]);
    maskmovdqu(2 * PAGE - 8, masks[i]);
  }
  return 0;
}
