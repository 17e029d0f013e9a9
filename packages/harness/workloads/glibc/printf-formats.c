/* printf over many conversions, flags, widths and precisions (vfprintf's big state machine,
 * integer and x87 floating-point conversion). */
#include <stdio.h>

int main(void) {
  const int ints[] = {0, 1, -1, 42, -12345, 2147483647, -2147483647 - 1};
  for (unsigned i = 0; i < sizeof ints / sizeof ints[0]; i++) {
    int v = ints[i];
    printf("[%d] [%i] [%5d] [%-6d|] [%+d] [% d] [%05d] [%u] [%x] [%#X] [%o] [%#o] [%.3d] [%hhd] [%hd]\n",
           v, v, v, v, v, v, v, (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v, (unsigned)v, v,
           (char)v, (short)v);
  }
  const double ds[] = {0.0, -0.0, 1.5, -2.25, 3.14159265358979, 1e-7, 6.02214076e23, 1.0 / 3};
  for (unsigned i = 0; i < sizeof ds / sizeof ds[0]; i++) {
    double d = ds[i];
    printf("[%f] [%.2f] [%10.4f] [%-10.1e|] [%e] [%E] [%g] [%G] [%.10g] [%+.3g] [%a]\n", d, d, d, d, d,
           d, d, d, d, d, d);
  }
  printf("[%c%c%c] [%s] [%10s] [%-10s|] [%.3s] [%%] [%lld] [%llx] [%zu] [%*d] [%-*d|]\n", 'd', 'b', 't',
         "dbtlab", "right", "left", "truncate", -1234567890123ll, 0xfedcba9876543210ull,
         sizeof(long double), 6, 42, 6, 42);
  int n = 0;
  printf("count%n\n", &n);
  printf("%%n counted %d\n", n);
  return 0;
}
