/* Decimal <-> binary floating point through glibc: strtod of assorted literals, printed
 * back with %.17g and %a, plus their sum and product (x87 arithmetic). */
#include <stdio.h>
#include <stdlib.h>

static const char *const LITERALS[] = {
    "0", "1", "-1.5", "3.141592653589793", "2.718281828459045", "1e10", "1e-10", "6.02214076e23",
    "1.7976931348623157e308", "4.9e-324", "0.1", "123456789.987654321", "-0.0", "0x1.8p3", "inf", "nan",
};

int main(void) {
  double sum = 0, product = 1;
  for (unsigned i = 0; i < sizeof LITERALS / sizeof LITERALS[0]; i++) {
    char *end;
    double d = strtod(LITERALS[i], &end);
    printf("%-24s -> %.17g  %a  (%td chars)\n", LITERALS[i], d, d, end - LITERALS[i]);
    if (i < 13) sum += d, product *= d == 0 ? 1 : d;
  }
  printf("sum %.17g, product %.17g\n", sum, product);
  return 0;
}
