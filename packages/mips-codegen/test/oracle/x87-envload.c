/*
 * What fldenv and frstor load, as the CPU does it (x87-envload.test.ts; built -m32 and -m64, run
 * natively and through both runtimes): the whole environment (FCW, FSW, FTW and the pointers FIP,
 * FCS, FOP, FDP, FDS), which a later fnstenv, fnsave or fxsave shows; the 16-bit (data16) images,
 * 14-byte environment and 94-byte state, stored and loaded; and an image whose control word unmasks
 * a pending exception: #MF (SIGFPE) at the next waiting x87 instruction, not at the load; and
 * images running into an unmapped page: SIGSEGV with the FPU and the memory as they were.
 * Every image is printed as raw bytes.
 */
#define _GNU_SOURCE
#include <ucontext.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include "catch-signals.h"

static unsigned char in[108], out[108], fx[512] __attribute__((aligned(16)));
static sigjmp_buf back;
static volatile int sig, code, at_wait;
static volatile unsigned short sw, cw, fcw, fsw;

static void handler(int s, siginfo_t *si, void *uc) {
  sig = s;
  code = si->si_code;
  if (s == SIGFPE) at_wait = *(unsigned char *)si->si_addr == 0x9b; /* si_addr: the waiting instruction (fwait) */
  /* the interrupted FPU state, from the frame (fsave layout on i386, fxsave on x86-64) */
  const unsigned char *f = (const unsigned char *)((ucontext_t *)uc)->uc_mcontext.fpregs;
#ifdef __x86_64__
  fcw = f[0] | f[1] << 8; fsw = f[2] | f[3] << 8;
#else
  fcw = f[0] | f[1] << 8; fsw = f[4] | f[5] << 8;
#endif
  siglongjmp(back, 1);
}

static void hex(const char *name, const unsigned char *b, int n) {
  printf("%-26s", name);
  for (int i = 0; i < n; i++) printf("%s%02x", i && i % 4 == 0 ? " " : "", b[i]);
  printf("\n");
}

/* a 32-bit environment image: every field's bits set in a pattern, reserved halves included */
static void env32(unsigned cw, unsigned sw, unsigned tw) {
  static const unsigned w[7] = { 0, 0, 0, 0x89abcdef, 0xfedc5678, 0x13579bdf, 0xa5a5c3c3 };
  memcpy(in, w, sizeof w);
  in[0] = cw; in[1] = cw >> 8; in[2] = in[3] = 0x5a;
  in[4] = sw; in[5] = sw >> 8; in[6] = in[7] = 0x5a;
  in[8] = tw; in[9] = tw >> 8; in[10] = in[11] = 0x5a;
  for (int i = 0; i < 80; i++) in[28 + i] = i * 37 + 11;
}

/* the same as a 16-bit image: FCW FSW FTW FIP FCS(FOP in the real-mode layout) FDP FDS */
static void env16(unsigned cw, unsigned sw, unsigned tw) {
  static const unsigned short w[7] = { 0, 0, 0, 0xcdef, 0x5678, 0x9bdf, 0xc3c3 };
  memcpy(in, w, sizeof w);
  in[0] = cw; in[1] = cw >> 8; in[2] = sw; in[3] = sw >> 8; in[4] = tw; in[5] = tw >> 8;
  for (int i = 0; i < 80; i++) in[14 + i] = i * 37 + 11;
}

#define RUN(name, n, body) do { \
    memset(out, 0xee, sizeof out); \
    __asm__ volatile(body : "=m"(out), "=m"(fx) : "m"(in) : "memory"); \
    hex(name, out, n); \
  } while (0)

/* a waiting instruction after the load: does SIGFPE come, and where */
#define TRAP(name, load) do { \
    code = 0; sw = cw = 0xeeee; \
    if (!sigsetjmp(back, 1)) { \
      __asm__ volatile("fninit; " load " %2; fnstsw %0; fnstcw %1; fwait" : "=m"(sw), "=m"(cw) : "m"(in) : "memory"); \
      printf("%-26s no signal", name); \
    } else printf("%-26s signal %d code %d at fwait %d", name, sig, code, at_wait); \
    __asm__ volatile("fninit"); \
    printf(" fsw %04x fcw %04x\n", sw, cw); \
  } while (0)

int main(void) {
  catch_signals(handler, SIGFPE, SIGSEGV, 0);

  /* all masked, no flags: what of the pointers survives a load */
  env32(0x037f, 0x3800, 0x0fff);
  RUN("fldenv, fnstenv", 28, "fninit; fldenv %2; fnstenv %0; fninit");
  RUN("fldenv, fnsave", 108, "fninit; fldenv %2; fnsave %0; fninit");
  RUN("fldenv, fld1, fnstenv", 28, "fninit; fldenv %2; fld1; fnstenv %0; fninit");
  RUN("frstor, fnsave", 108, "fninit; frstor %2; fnsave %0; fninit");
  RUN("frstor, fnstenv", 28, "fninit; frstor %2; fnstenv %0; fninit");
  RUN("fldenv, data16 fnstenv", 14, "fninit; fldenv %2; data16 fnstenv %0; fninit");
  RUN("fldenv, data16 fnsave", 94, "fninit; fldenv %2; data16 fnsave %0; fninit");
  /* fxsave stores the pointers only with an exception pending (this AMD CPU): ES from the image */
  env32(0x037f, 0x3800, 0x0fff);
  RUN("fldenv, fxsave", 0, "fninit; fldenv %2; fxsave %1; fninit");
  hex("", fx, 32);
  env32(0x037b, 0xb884, 0x0fff);
  RUN("fldenv ZE unmasked, fxsave", 0, "fninit; fldenv %2; fxsave %1; fnclex; fninit");
  hex("", fx, 32);
  RUN("frstor ZE unmasked, fxsave", 0, "fninit; frstor %2; fxsave %1; fnclex; fninit");
  hex("", fx, 32);
#ifdef __x86_64__
  RUN("fldenv ZE, fxsave64", 0, "fninit; fldenv %2; fxsave64 %1; fnclex; fninit");
  hex("", fx, 32);
#endif
  /* other control, status and tag words */
  env32(0xffff, 0xffff, 0x5a3c);
  RUN("fldenv ones, fnstenv", 28, "fninit; fldenv %2; fnstenv %0; fnclex; fninit");
  env32(0x0000, 0x0000, 0x0000);
  RUN("fldenv zeros, fnstenv", 28, "fninit; fldenv %2; fnstenv %0; fnclex; fninit");
  env32(0x037f, 0x80ff, 0xffff);
  RUN("fldenv ES masked, fnstenv", 28, "fninit; fldenv %2; fnstenv %0; fninit");

  /* the 16-bit images */
  env16(0x0f7f, 0x3800, 0x0fff);
  RUN("data16 fldenv, fnstenv", 28, "fninit; data16 fldenv %2; fnstenv %0; fninit");
  RUN("data16 fldenv, data16 st", 14, "fninit; data16 fldenv %2; data16 fnstenv %0; fninit");
  RUN("data16 frstor, data16 sv", 94, "fninit; data16 frstor %2; data16 fnsave %0; fninit");
  RUN("data16 frstor, fnsave", 108, "fninit; data16 frstor %2; fnsave %0; fninit");
  RUN("data16 frstor, fld1", 28, "fninit; data16 frstor %2; fld1; fnstenv %0; fninit");
  RUN("fld1, data16 fnstenv", 14, "fninit; fld1; data16 fnstenv %0; fninit");

  /* unmasked exceptions pending in the loaded image: #MF at the next waiting instruction */
  env32(0x037b, 0x0004, 0xffff);
  TRAP("fldenv ZE unmasked", "fldenv");
  TRAP("frstor ZE unmasked", "frstor");
  env32(0x0372, 0x0041, 0xffff);
  TRAP("fldenv IE|SF unmasked", "fldenv");
  env32(0x037e, 0x0020, 0xffff);
  TRAP("fldenv PE, IE unmasked", "fldenv");
  env32(0x035f, 0x0020, 0xffff);
  TRAP("fldenv PE unmasked", "fldenv");
  env16(0x0377, 0x0008, 0xffff);
  TRAP("data16 fldenv OE unmasked", "data16 fldenv");
  TRAP("data16 frstor OE unmasked", "data16 frstor");

  /* an image running into an unmapped page: SIGSEGV, and neither the FPU nor the memory changes */
  unsigned char *page = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  munmap(page + 4096, 4096);
  env32(0x0e7f, 0x0004, 0x0fff);
  for (int n = 4; n <= 100; n += 48) {
    unsigned char *img = page + 4096 - n;
    const char *what[] = { "fldenv", "frstor", "fnstenv", "fnsave" };
    for (int k = 0; k < 4; k++) {
      memcpy(img, in, n);
      sig = code = 0;
      fcw = fsw = 0xeeee;
      if (!sigsetjmp(back, 1)) {
        if (k == 0) __asm__ volatile("fninit; fld1; fldenv %0; fninit" : : "m"(*img) : "memory");
        if (k == 1) __asm__ volatile("fninit; fld1; frstor %0; fninit" : : "m"(*img) : "memory");
        if (k == 2) __asm__ volatile("fninit; fld1; fnstenv %0; fninit" : "=m"(*img) : : "memory");
        if (k == 3) __asm__ volatile("fninit; fld1; fnsave %0; fninit" : "=m"(*img) : : "memory");
      } else __asm__ volatile("fninit");
      char name[40];
      snprintf(name, sizeof name, "%s %d bytes mapped", what[k], n);
      printf("%s: signal %d code %d fcw %04x fsw %04x\n", name, sig, code, fcw, fsw);
      hex("   memory", img, n < 28 ? n : 28);
    }
  }
  return 0;
}
