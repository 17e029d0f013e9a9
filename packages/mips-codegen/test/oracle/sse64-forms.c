/*
 * x86-64 SSE forms with a 64-bit general register (REX.W), run natively (the CPU is the
 * oracle) and through dbtlab: each line is one form on one operand under one MXCSR.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static const double DV[] = {0.0, -0.0, 1.5, -1.5, 2.5, -2.5, 0.49999999999999994, 1e18, -1e18, 9.2233720368547748e18, -9.2233720368547758e18,
  9.2233720368547758e18, 1e19, -1e300, 4.9e-324, 2147483648.5, -2147483649.5, 123456789012.75, 1.0 / 0.0, -1.0 / 0.0, 0.0 / 0.0};
static const int64_t IV[] = {0, 1, -1, 2147483647LL, -2147483648LL, 4294967296LL, 9007199254740993LL, -9007199254740993LL,
  0x7fffffffffffffffLL, (int64_t)0x8000000000000000ULL, 0x123456789abcdefLL, -0x123456789abcdefLL, 16777217, 0x7ffffffffffffdffLL};
static const unsigned MXCSR[] = {0x1f80, 0x3f80, 0x5f80, 0x7f80};

static unsigned mx(void) { unsigned m; __asm__ volatile("stmxcsr %0" : "=m"(m)); return m; }
static void setmx(unsigned m) { __asm__ volatile("ldmxcsr %0" : : "m"(m)); }

int main(void) {
  for (unsigned k = 0; k < 4; k++) {
    for (unsigned i = 0; i < sizeof DV / sizeof DV[0]; i++) {
      double d = DV[i];
      float f = (float)DV[i];
      int64_t r;
      setmx(MXCSR[k]);
      __asm__ volatile("cvttsd2si %1, %0" : "=r"(r) : "x"(d));
      printf("cvttsd2si %u %u %016llx %08x\n", k, i, (unsigned long long)r, mx());
      setmx(MXCSR[k]);
      __asm__ volatile("cvtsd2si %1, %0" : "=r"(r) : "x"(d));
      printf("cvtsd2si %u %u %016llx %08x\n", k, i, (unsigned long long)r, mx());
      setmx(MXCSR[k]);
      __asm__ volatile("cvtsd2siq %1, %0" : "=r"(r) : "m"(d));
      printf("cvtsd2si mem %u %u %016llx %08x\n", k, i, (unsigned long long)r, mx());
      setmx(MXCSR[k]);
      __asm__ volatile("cvttss2si %1, %0" : "=r"(r) : "x"(f));
      printf("cvttss2si %u %u %016llx %08x\n", k, i, (unsigned long long)r, mx());
      setmx(MXCSR[k]);
      __asm__ volatile("cvtss2si %1, %0" : "=r"(r) : "x"(f));
      printf("cvtss2si %u %u %016llx %08x\n", k, i, (unsigned long long)r, mx());
    }
    for (unsigned i = 0; i < sizeof IV / sizeof IV[0]; i++) {
      int64_t v = IV[i];
      double d = 7.0;
      float f = 7.0f;
      uint64_t db, fb;
      setmx(MXCSR[k]);
      __asm__ volatile("cvtsi2sdq %1, %0" : "+x"(d) : "r"(v));
      memcpy(&db, &d, 8);
      printf("cvtsi2sdq %u %u %016llx %08x\n", k, i, (unsigned long long)db, mx());
      setmx(MXCSR[k]);
      __asm__ volatile("cvtsi2sdq %1, %0" : "+x"(d) : "m"(v));
      memcpy(&db, &d, 8);
      printf("cvtsi2sdq mem %u %u %016llx %08x\n", k, i, (unsigned long long)db, mx());
      setmx(MXCSR[k]);
      __asm__ volatile("cvtsi2ssq %1, %0" : "+x"(f) : "r"(v));
      fb = 0;
      memcpy(&fb, &f, 4);
      printf("cvtsi2ssq %u %u %08llx %08x\n", k, i, (unsigned long long)fb, mx());
    }
  }
  for (unsigned i = 0; i < sizeof IV / sizeof IV[0]; i++) {
    uint64_t lo = (uint64_t)IV[i], hi = ~(uint64_t)IV[i] * 3, a, b;
    __asm__ volatile("pxor %%xmm1, %%xmm1; pinsrq $0, %2, %%xmm1; pinsrq $1, %3, %%xmm1; pextrq $1, %%xmm1, %0; pextrq $0, %%xmm1, %1"
                     : "=&r"(a), "=&r"(b) : "r"(lo), "r"(hi) : "xmm1");
    printf("pinsrq/pextrq %u %016llx %016llx\n", i, (unsigned long long)a, (unsigned long long)b);
    uint64_t m = 0x5555555555555555ULL;
    __asm__ volatile("movq %1, %%xmm2; pinsrq $1, %1, %%xmm2; pextrq $1, %%xmm2, %0" : "+m"(m) : "r"(lo) : "xmm2");
    printf("pextrq mem %u %016llx\n", i, (unsigned long long)m);
    uint64_t mask = 0xffffffffffffffffULL, w = 0xffffffffffffffffULL;
    __asm__ volatile("movq %2, %%xmm3; pinsrq $1, %3, %%xmm3; movmskpd %%xmm3, %0; pmovmskb %%xmm3, %1" : "+r"(mask), "+r"(w) : "r"(lo), "r"(hi) : "xmm3");
    printf("movmsk %u %016llx %016llx\n", i, (unsigned long long)mask, (unsigned long long)w);
    /* movq between a 64-bit register and an MMX register (REX.W 0f 6e / 0f 7e): the value, and the
     * x87 tag and status words an MMX instruction leaves; movq xmm -> m64 in its REX.W 66 0f 7e form */
    uint64_t fromMmx, x87env[4] = {0, 0, 0, 0}, toMem = 0x5555555555555555ULL;
    __asm__ volatile("movq %2, %%mm3; paddd %%mm3, %%mm3; movq %%mm3, %0; fnstenv %1; emms" : "=r"(fromMmx), "=m"(x87env) : "r"(lo) : "mm3");
    __asm__ volatile("movq %1, %%xmm4; .byte 0x66, 0x48, 0x0f, 0x7e, 0x27" : : "D"(&toMem), "r"(hi) : "xmm4", "memory");
    printf("movq mmx %u %016llx tag %04llx sw %04llx xmm->m64 %016llx\n", i, (unsigned long long)fromMmx,
           (unsigned long long)((x87env[1] >> 0) & 0xffff), (unsigned long long)(x87env[0] >> 32 & 0xffff), (unsigned long long)toMem);
  }
  return 0;
}
