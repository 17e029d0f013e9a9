/* A counted loop: sums a mix of i, i*3 and i>>2 over 400000 iterations, prints the sum. */
#include "../include/nolibc.h"

int start_main(int argc, char **argv) {
  (void)argc, (void)argv;
  unsigned sum = 0;
  for (unsigned i = 0; i < 400000; i++) sum += (i + i * 3) ^ (i >> 2);
  put_str("loop sum ");
  put_dec(sum);
  put_str("\n");
  return 0;
}
