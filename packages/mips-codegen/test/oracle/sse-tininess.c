/* SSE underflow at the smallest normal: mulss/divss/subss, mulsd/divsd and cvtsd2ss on operands
   whose results lie just below, at and just above 2^emin (some exact subnormals), under every
   rounding mode, FTZ and DAZ, with underflow masked and unmasked. Each line: the result bits and
   MXCSR, or the SIGFPE's si_code when the unmasked exception traps. Built for x86-64 (run
   natively: the CPU is the oracle) and for i386 (through dbtlab) by sse-tininess.test.ts. */
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static sigjmp_buf env;
/* argv[1]: run every stride-th case only (a sample for CI) */
static unsigned ncase, stride = 1;
#define PICK() (ncase++ % stride == 0)
static volatile int code;
static void handler(int s, siginfo_t *si, void *uc) { (void)s; (void)uc; code = si->si_code; siglongjmp(env, 1); }

#define BINARY(name, T, insn) static int name(T a, T b, uint32_t mx, T *r, uint32_t *mo) { \
    T x = a; code = 0; \
    if (sigsetjmp(env, 0)) return code; /* SA_NODEFER: no mask to restore */ \
    __asm__ volatile("ldmxcsr %[mx]\n\t" insn " %[y], %[x]\n\tstmxcsr %[mo]" : [x] "+x"(x), [mo] "=m"(*mo) : [y] "x"(b), [mx] "m"(mx)); \
    *r = x; return 0; }
typedef union { float f; uint32_t u; } F32;
typedef union { double f; uint64_t u; } F64;
BINARY(mulss, float, "mulss") BINARY(divss, float, "divss") BINARY(subss, float, "subss")
BINARY(mulsd, double, "mulsd") BINARY(divsd, double, "divsd")

static int cvtsd2ss(double a, uint32_t mx, float *r, uint32_t *mo) {
  float x = 0; code = 0;
  if (sigsetjmp(env, 0)) return code; /* SA_NODEFER: no mask to restore */
  __asm__ volatile("ldmxcsr %[mx]\n\tcvtsd2ss %[y], %[x]\n\tstmxcsr %[mo]" : [x] "+x"(x), [mo] "=m"(*mo) : [y] "x"(a), [mx] "m"(mx));
  *r = x; return 0;
}

/* each rounding mode with everything masked, then with UE unmasked; FTZ under each; DAZ */
static const uint32_t MXS[] = { 0x1f80, 0x3f80, 0x5f80, 0x7f80, 0x9f80, 0xbf80, 0xdf80, 0xff80, 0x1780, 0x3780, 0x5780, 0x7780, 0x9780, 0xb780, 0x1fc0, 0x9fc0, 0x17c0 };
#define NMX (sizeof MXS / sizeof MXS[0])

static float f32(uint32_t u) { F32 v = { .u = u }; return v.f; }
static double f64(uint64_t u) { F64 v = { .u = u }; return v.f; }
static uint32_t b32(float f) { F32 v = { .f = f }; return v.u; }
static uint64_t b64(double f) { F64 v = { .f = f }; return v.u; }

int main(int argc, char **argv) {
  if (argc > 1) sscanf(argv[1], "%u", &stride);
  struct sigaction sa; memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = handler; sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  sigaction(SIGFPE, &sa, 0);
  /* a near 1, b near the smallest normal (some subnormal, some negative) */
  static const uint32_t as[] = { 0x3f800000, 0x3f800001, 0x3f800002, 0x3f7fffff, 0x3f7ffffe, 0x3f7ffffd, 0x3f800003, 0x3fc00000, 0x3effffff, 0x40000001 };
  static const uint32_t bs[] = { 0x00800000, 0x00800001, 0x00800002, 0x007fffff, 0x007ffffe, 0x00ffffff, 0x00fffffe, 0x00400000, 0x00c00001, 0x80800001, 0x807fffff, 0x01000001 };
  const unsigned nb = sizeof bs / sizeof bs[0];
  for (unsigned i = 0; i < sizeof as / sizeof as[0]; i++) for (unsigned j = 0; j < nb; j++) for (unsigned k = 0; k < NMX; k++) {
    float r = 0; uint32_t mo = 0; int c;
    if (PICK()) { c = mulss(f32(bs[j]), f32(as[i]), MXS[k], &r, &mo); printf("mulss %08x %08x %04x: %d %08x %04x\n", bs[j], as[i], MXS[k], c, c ? 0 : b32(r), mo); }
    if (PICK()) { c = divss(f32(bs[j]), f32(as[i]), MXS[k], &r, &mo); printf("divss %08x %08x %04x: %d %08x %04x\n", bs[j], as[i], MXS[k], c, c ? 0 : b32(r), mo); }
    if (i == 0 && PICK()) { c = subss(f32(bs[j]), f32(bs[(j + 1) % nb]), MXS[k], &r, &mo); printf("subss %08x %08x %04x: %d %08x %04x\n", bs[j], bs[(j + 1) % nb], MXS[k], c, c ? 0 : b32(r), mo); }
  }
  static const uint64_t ad[] = { 0x3ff0000000000000, 0x3ff0000000000001, 0x3ff0000000000002, 0x3fefffffffffffff, 0x3feffffffffffffe, 0x3ff8000000000000, 0x3fdfffffffffffff, 0x4000000000000001 };
  static const uint64_t bd[] = { 0x0010000000000000, 0x0010000000000001, 0x000fffffffffffff, 0x000ffffffffffffe, 0x001fffffffffffff, 0x0008000000000000, 0x8010000000000001, 0x0020000000000001 };
  for (unsigned i = 0; i < sizeof ad / sizeof ad[0]; i++) for (unsigned j = 0; j < sizeof bd / sizeof bd[0]; j++) for (unsigned k = 0; k < NMX; k++) {
    double r = 0; uint32_t mo = 0; int c;
    if (PICK()) { c = mulsd(f64(bd[j]), f64(ad[i]), MXS[k], &r, &mo); printf("mulsd %016llx %016llx %04x: %d %016llx %04x\n", (unsigned long long)bd[j], (unsigned long long)ad[i], MXS[k], c, c ? 0ull : (unsigned long long)b64(r), mo); }
    if (PICK()) { c = divsd(f64(bd[j]), f64(ad[i]), MXS[k], &r, &mo); printf("divsd %016llx %016llx %04x: %d %016llx %04x\n", (unsigned long long)bd[j], (unsigned long long)ad[i], MXS[k], c, c ? 0ull : (unsigned long long)b64(r), mo); }
  }
  /* doubles around 2^-126 (and 2^-127), a few units of 2^-150 apart and with low bits below it */
  for (int e = -127; e <= -125; e++) for (int m = -6; m <= 6; m++) for (unsigned low = 0; low < 2; low++) for (unsigned k = 0; k < NMX; k++) {
    uint64_t d = ((uint64_t)(1023 + e) << 52) + (uint64_t)(int64_t)(m * (1 << 27)) + low * 0x100;
    float r = 0; uint32_t mo = 0;
    if (!PICK()) continue;
    int c = cvtsd2ss(f64(d), MXS[k], &r, &mo);
    printf("cvtsd2ss %016llx %04x: %d %08x %04x\n", (unsigned long long)d, MXS[k], c, c ? 0 : b32(r), mo);
  }
  return 0;
}
