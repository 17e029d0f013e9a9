/*
 * Loads and stores of 8, 16 and 32 bits: fills an array through each width, reverses its
 * bytes in place, then checksums it through each width (zero and sign extension).
 */
#include "../include/nolibc.h"

#define SIZE 4096
static union {
  unsigned char b[SIZE];
  unsigned short h[SIZE / 2];
  unsigned d[SIZE / 4];
} buf;

int start_main(int argc, char **argv) {
  (void)argc, (void)argv;
  unsigned sum = 0;
  for (unsigned round = 0; round < 8; round++) {
    for (unsigned i = 0; i < SIZE / 4; i++) buf.d[i] = i * 0x01010101u + round;
    for (unsigned i = 0; i < SIZE / 2; i += 3) buf.h[i] = (unsigned short)(i ^ 0xa5a5);
    for (unsigned i = 0; i < SIZE; i += 7) buf.b[i] = (unsigned char)(i + round);
    for (unsigned i = 0, j = SIZE - 1; i < j; i++, j--) {
      unsigned char t = buf.b[i];
      buf.b[i] = buf.b[j];
      buf.b[j] = t;
    }
    for (unsigned i = 0; i < SIZE; i++) sum = (sum << 1 | sum >> 31) + (signed char)buf.b[i];
    for (unsigned i = 0; i < SIZE / 2; i++) sum += (short)buf.h[i] ^ buf.h[i];
    for (unsigned i = 0; i < SIZE / 4; i++) sum ^= buf.d[i] + i;
    put_str("round ");
    put_dec(round);
    put_str(" checksum ");
    put_hex(sum);
    put_str("\n");
  }
  return 0;
}
