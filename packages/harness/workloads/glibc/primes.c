/* Sieve of Eratosthenes up to 150000 and a bitwise CRC-32 of the sieve: integer compute. */
#include <stdio.h>
#include <string.h>

#define LIMIT 150000
static unsigned char composite[LIMIT + 1];

static unsigned crc32(const unsigned char *p, unsigned n) {
  unsigned crc = 0xffffffffu;
  while (n--) {
    crc ^= *p++;
    for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
  }
  return ~crc;
}

int main(void) {
  memset(composite, 0, sizeof composite);
  unsigned count = 0, last = 0;
  for (unsigned i = 2; i <= LIMIT; i++) {
    if (composite[i]) continue;
    count++, last = i;
    for (unsigned j = i * 2; j <= LIMIT; j += i) composite[j] = 1;
  }
  printf("primes below %d: %u, largest %u\n", LIMIT, count, last);
  printf("crc32 of the first 10000 sieve bytes: %08x\n", crc32(composite, 10000));
  return 0;
}
