/* Recursive Fibonacci: call/ret heavy (about 60000 calls), prints fib(1..22). */
#include "../include/nolibc.h"

static __attribute__((noinline)) unsigned fib(unsigned n) {
  return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int start_main(int argc, char **argv) {
  (void)argc, (void)argv;
  for (unsigned n = 1; n <= 22; n++) {
    put_str("fib(");
    put_dec(n);
    put_str(") = ");
    put_dec(fib(n));
    put_str("\n");
  }
  return 0;
}
