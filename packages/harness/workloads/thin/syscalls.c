/* Many small system calls: 2000 write()s of one short line each. */
#include "../include/nolibc.h"

int start_main(int argc, char **argv) {
  (void)argc, (void)argv;
  char line[] = "line 0000\n";
  for (unsigned i = 0; i < 2000; i++) {
    for (unsigned v = i, k = 8; k >= 5; k--, v /= 10) line[k] = (char)('0' + v % 10);
    put_buf(line, sizeof line - 1);
  }
  return 0;
}
