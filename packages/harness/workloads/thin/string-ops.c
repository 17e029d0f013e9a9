/*
 * The x86 string instructions with and without rep prefixes: rep movsb/movsl, rep stosb,
 * repe cmpsb, repne scasb, lodsb, and a backwards (std) copy; prints checksums.
 */
#include "../include/nolibc.h"

static unsigned char src[1024], dst[1024];

static unsigned checksum(const unsigned char *p, unsigned n) {
  unsigned h = 0;
  for (unsigned i = 0; i < n; i++) h = h * 33 + p[i];
  return h;
}

int start_main(int argc, char **argv) {
  (void)argc, (void)argv;
  unsigned total = 0;
  for (unsigned round = 0; round < 40; round++) {
    for (unsigned i = 0; i < sizeof src; i++) src[i] = (unsigned char)(i * 7 + round);
    void *d = dst, *s = src;
    unsigned n = 1000 - round;
    __asm__ volatile("cld\n\trep movsb" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
    d = dst, s = src, n = 200;
    __asm__ volatile("rep movsl" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
    d = dst + 900, n = 50;
    __asm__ volatile("rep stosb" : "+D"(d), "+c"(n) : "a"(round) : "memory");
    /* backwards copy of 16 bytes, overlapping by 3 */
    d = dst + 515, s = dst + 512, n = 16;
    __asm__ volatile("std\n\trep movsb\n\tcld" : "+D"(d), "+S"(s), "+c"(n) : : "memory");
    d = dst, s = src, n = sizeof src;
    __asm__ volatile("repe cmpsb" : "+D"(d), "+S"(s), "+c"(n) : : "cc");
    unsigned first_diff = sizeof src - n;
    d = dst, n = sizeof dst;
    __asm__ volatile("repne scasb" : "+D"(d), "+c"(n) : "a"(round) : "cc");
    unsigned found_at = sizeof dst - n;
    unsigned lodsum = 0, ch;
    s = dst + 100;
    for (int i = 0; i < 8; i++) {
      __asm__ volatile("lodsb" : "=a"(ch), "+S"(s) : "0"(0));
      lodsum += ch;
    }
    total = total * 31 + checksum(dst, sizeof dst) + first_diff * 7 + found_at + lodsum;
  }
  put_str("string-ops checksum ");
  put_hex(total);
  put_str("\n");
  return 0;
}
