/* Every cpuid leaf the CPU reports (0..max+1, 0x80000000..max+1; subleaves 0-7 of 4, 7, 0xb, 0xd) as
   eax ebx ecx edx. Build: gcc -m32 or -m64 -static -O1. */
#include <stdio.h>
#include <cpuid.h>
static void dump(unsigned leaf) {
  unsigned a, b, c, d;
  int subs = (leaf == 4 || leaf == 7 || leaf == 0xb || leaf == 0xd) ? 8 : 1;
  for (int s = 0; s < subs; s++) {
    __cpuid_count(leaf, s, a, b, c, d);
    printf("%08x.%d: %08x %08x %08x %08x\n", leaf, s, a, b, c, d);
  }
}
int main(void) {
  unsigned a, b, c, d;
  __cpuid(0, a, b, c, d);
  for (unsigned l = 0; l <= a + 1; l++) dump(l);
  __cpuid(0x80000000, a, b, c, d);
  for (unsigned l = 0x80000000; l <= a + 1; l++) dump(l);
  return 0;
}
