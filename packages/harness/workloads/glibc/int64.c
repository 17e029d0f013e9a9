/* 64-bit integer arithmetic on i386: multiply, divide and modulo (libgcc __divdi3 and
 * friends), shifts and comparisons, printed with %lld / %llu / %llx. */
#include <stdio.h>

int main(void) {
  unsigned long long u = 0x123456789abcdefull, acc = 0;
  long long s = -987654321012345ll;
  for (int i = 1; i <= 3000; i++) {
    u = u * 6364136223846793005ull + 1442695040888963407ull;
    acc += u / (unsigned long long)(i * 977 + 13) + (u % 1000003);
    s = s / 3 + (long long)(u >> 17) % 1000000007 - (s << 1 >> 5);
    if (s > 0 && (u >> 63)) acc ^= (unsigned long long)s;
  }
  printf("u %llu\nacc %llx\ns %lld\n", u, acc, s);
  printf("div %lld mod %lld udiv %llu\n", -9000000000000000000ll / 7, -9000000000000000000ll % 7,
         18000000000000000000ull / 13);
  return 0;
}
