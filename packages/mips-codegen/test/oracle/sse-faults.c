/* SSE moves, bitwise ops and compares whose memory operand faults: a misaligned operand of an
 * aligned form (#GP: SIGSEGV, SI_KERNEL, si_addr 0) and loads and stores crossing into a
 * PROT_NONE page (SIGSEGV at the page's first byte; a store writes none of its bytes), next to
 * the same accesses that do not fault. Each line: the signal, si_code, si_addr as an offset in
 * the buffer, xmm1 afterwards (at the fault: from the signal frame) and the 32 bytes before the guard page. Built for i386 and x86-64;
 * every address printed is an offset, so the lines are the same for both. */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include "hex-bytes.h"

static sigjmp_buf env;
static volatile int sig, code;
static volatile long addr;
static unsigned char *page;

/* xmm1 at the fault, from the signal frame's FPU state (the handler runs with a fresh one) */
static unsigned char atFault[16];

static void on_segv(int s, siginfo_t *si, void *ctx) {
  ucontext_t *uc = ctx;
#ifdef __x86_64__
  memcpy(atFault, &uc->uc_mcontext.fpregs->_xmm[1], 16);
#else
  /* i386: struct _fpstate_32, its fxsave part's _xmm[1] */
  memcpy(atFault, (unsigned char *)uc->uc_mcontext.fpregs + 272 + 16, 16);
#endif
  sig = s;
  code = si->si_code;
  addr = si->si_addr ? (long)((unsigned char *)si->si_addr - page) : -1;
  siglongjmp(env, 1);
}

static const unsigned char init[16] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 0x01};

/* the page's bytes and xmm1 set; the instruction run on page + off; what it left printed */
#define PROBE(text, off)                                                                  \
  do {                                                                                    \
    setup();                                                                              \
    if (!sigsetjmp(env, 1)) __asm__ volatile(text : : "r"(page + (off)) : "xmm1", "memory"); \
    report(text " " #off);                                                                \
  } while (0)

static void setup(void) {
  for (int i = 0; i < 4096; i++) page[i] = (unsigned char)(i * 7 + 3);
  __asm__ volatile("movdqu %0, %%xmm1" : : "m"(init) : "xmm1");
  sig = code = 0;
  addr = -2;
}

static void report(const char *name) {
  unsigned char x[16];
  __asm__ volatile("movdqu %%xmm1, %0" : "=m"(x) : : "memory");
  if (sig) memcpy(x, atFault, 16);
  char xh[16 * 3 + 1], mh[32 * 3 + 1];
  printf("%-28s sig %d code %d addr %ld xmm1%s mem%s\n", name, sig, code, sig ? addr : 0, hex_bytes(xh, x, 16), hex_bytes(mh, page + 4096 - 32, 32));
}

int main(void) {
  page = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  mprotect(page + 4096, 4096, PROT_NONE);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_segv;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigaction(SIGSEGV, &sa, 0);
  /* aligned forms: aligned, misaligned (#GP), last 16 bytes of the page */
  PROBE("movdqa (%0), %%xmm1", 4080);
  PROBE("movdqa (%0), %%xmm1", 4072);
  PROBE("movdqa %%xmm1, (%0)", 4080);
  PROBE("movdqa %%xmm1, (%0)", 4088);
  PROBE("movaps %%xmm1, (%0)", 4084);
  PROBE("movntdq %%xmm1, (%0)", 4082);
  PROBE("pxor (%0), %%xmm1", 4080);
  PROBE("pxor (%0), %%xmm1", 4081);
  PROBE("pcmpeqb (%0), %%xmm1", 4088);
  PROBE("psubb (%0), %%xmm1", 4064);
  PROBE("pand (%0), %%xmm1", 4092);
  /* unaligned forms: in the page, crossing into the guard page */
  PROBE("movdqu (%0), %%xmm1", 4079);
  PROBE("movdqu (%0), %%xmm1", 4081);
  PROBE("movdqu %%xmm1, (%0)", 4080);
  PROBE("movdqu %%xmm1, (%0)", 4085);
  PROBE("movups %%xmm1, (%0)", 4095);
  PROBE("lddqu (%0), %%xmm1", 4090);
  /* 8- and 4-byte forms */
  PROBE("movq (%0), %%xmm1", 4088);
  PROBE("movq (%0), %%xmm1", 4089);
  PROBE("movq %%xmm1, (%0)", 4087);
  PROBE("movq %%xmm1, (%0)", 4092);
  PROBE("movsd %%xmm1, (%0)", 4093);
  PROBE("movsd (%0), %%xmm1", 4090);
  PROBE("movlpd %%xmm1, (%0)", 4089);
  PROBE("movhpd %%xmm1, (%0)", 4091);
  PROBE("movhpd (%0), %%xmm1", 4094);
  PROBE("movlps (%0), %%xmm1", 4085);
  PROBE("movd (%0), %%xmm1", 4092);
  PROBE("movd (%0), %%xmm1", 4093);
  PROBE("movd %%xmm1, (%0)", 4094);
  PROBE("movss %%xmm1, (%0)", 4092);
  PROBE("movss %%xmm1, (%0)", 4095);
  PROBE("movss (%0), %%xmm1", 4093);
  return 0;
}
