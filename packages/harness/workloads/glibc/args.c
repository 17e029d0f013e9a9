/* argv handling: prints each argument, sums those that parse as integers (strtol). */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  long sum = 0;
  int numbers = 0;
  for (int i = 1; i < argc; i++) {
    char *end;
    long v = strtol(argv[i], &end, 0);
    int is_number = *argv[i] && !*end;
    printf("argv[%d] = \"%s\"%s\n", i, argv[i], is_number ? " (number)" : "");
    if (is_number) sum += v, numbers++;
  }
  printf("argc %d, %d numbers, sum %ld\n", argc, numbers, sum);
  return 0;
}
