/* Integer matrix multiply (48x48, three times with a transpose between): nested loops,
 * imul, indexed addressing. */
#include <stdio.h>

#define N 48
static int a[N][N], b[N][N], c[N][N];

int main(void) {
  for (int i = 0; i < N; i++)
    for (int j = 0; j < N; j++) a[i][j] = (i * 7 + j * 3) % 17 - 8, b[i][j] = (i ^ j) % 13 - 6;
  unsigned trace_sum = 0;
  for (int round = 0; round < 3; round++) {
    for (int i = 0; i < N; i++)
      for (int j = 0; j < N; j++) {
        int s = 0;
        for (int k = 0; k < N; k++) s += a[i][k] * b[k][j];
        c[i][j] = s;
      }
    for (int i = 0; i < N; i++)
      for (int j = 0; j < N; j++) a[i][j] = c[j][i] % 1000;
    for (int i = 0; i < N; i++) trace_sum += (unsigned)c[i][i];
    printf("round %d: c[0][0] %d, c[%d][%d] %d, trace sum %u\n", round, c[0][0], N - 1, N - 1,
           c[N - 1][N - 1], trace_sum);
  }
  return 0;
}
