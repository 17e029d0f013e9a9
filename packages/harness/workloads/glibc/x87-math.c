/* libm on the x87 FPU (-march=i686, no SSE): trigonometry, exp/log, sqrt, pow, atan2. */
#include <math.h>
#include <stdio.h>

int main(void) {
  double acc = 0;
  for (int i = 1; i <= 40; i++) {
    double x = i * 0.173;
    double v = sin(x) * cos(x / 3) + exp(-x) * log(x + 1) + sqrt(x) - pow(x, 0.37) + atan2(x, 3.0);
    acc += v;
    if (i % 5 == 0) printf("x=%.3f f=%.12f\n", x, v);
  }
  long double e = 1, term = 1;
  for (int k = 1; k < 25; k++) term /= k, e += term;
  printf("sum %.12f, e by series %.15Lf, floor/ceil %g %g, fmod %.9f\n", acc, e, floor(-2.5),
         ceil(-2.5), fmod(100.0, 7.3));
  return 0;
}
