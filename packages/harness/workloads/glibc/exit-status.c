/* A program that fails on purpose: a message on stderr, some on stdout, exit status 3, so
 * that status and stderr are compared as well as stdout. */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  printf("about to fail\n");
  fflush(stdout);
  fprintf(stderr, "exit-status: failing with status 3 on purpose\n");
  exit(3);
}
