/* popcnt/tzcnt/lzcnt with 64-bit operands (register and memory), ZF and CF: run natively and through dbtlab (sse64-diff.test.ts). */
#include <stdio.h>
#include <stdint.h>
static const uint64_t V[] = {0, 1, 2, 0x80000000ULL, 0xffffffffULL, 0x100000000ULL, 0x8000000000000000ULL, 0xffffffffffffffffULL, 0x123456789abcdef0ULL, 0xf0f0f0f00f0f0f0fULL, 0x0000ffff00000000ULL, 0x7fffffffffffffffULL, 0x10ULL << 40};
int main(void) {
  for (unsigned i = 0; i < sizeof V / sizeof V[0]; i++) {
    uint64_t a = V[i], p, tz, lz, f1 = 0, f2 = 0, f3 = 0;
    __asm__ volatile("popcnt %2, %0; setz %b1; setc %h1" : "=&r"(p), "+Q"(f1) : "r"(a) : "cc");
    __asm__ volatile("tzcnt %2, %0; setz %b1; setc %h1" : "=&r"(tz), "+Q"(f2) : "r"(a) : "cc");
    __asm__ volatile("lzcnt %2, %0; setz %b1; setc %h1" : "=&r"(lz), "+Q"(f3) : "r"(a) : "cc");
    uint64_t m = a, pm;
    __asm__ volatile("popcntq %1, %0" : "=r"(pm) : "m"(m));
    printf("%016llx pop %llu %llx tz %llu %llx lz %llu %llx popm %llu\n", (unsigned long long)a, (unsigned long long)p, (unsigned long long)f1, (unsigned long long)tz, (unsigned long long)f2, (unsigned long long)lz, (unsigned long long)f3, (unsigned long long)pm);
  }
  return 0;
}
