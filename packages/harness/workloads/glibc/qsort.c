/* qsort and bsearch of 8000 pseudo-random integers: indirect calls into a comparator. */
#include <stdio.h>
#include <stdlib.h>

#define N 8000
static int values[N];

static int cmp_int(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

int main(void) {
  unsigned seed = 12345;
  for (int i = 0; i < N; i++) {
    seed = seed * 1664525u + 1013904223u;
    values[i] = (int)(seed >> 8) - (1 << 23);
  }
  qsort(values, N, sizeof values[0], cmp_int);
  int sorted = 1;
  for (int i = 1; i < N; i++) sorted &= values[i - 1] <= values[i];
  int found = 0;
  for (int i = 0; i < N; i += 97) found += bsearch(&values[i], values, N, sizeof values[0], cmp_int) != NULL;
  printf("sorted %d, min %d, median %d, max %d, found %d\n", sorted, values[0], values[N / 2],
         values[N - 1], found);
  return 0;
}
