/* setjmp/longjmp: 2000 non-local exits out of recursion of varying depth, the way an
 * interpreter raises errors (a saved register set restored, the stack cut back). */
#include <setjmp.h>
#include <stdio.h>

static jmp_buf escape;
static unsigned depth_sum;

/* gcc counts the longjmp exit as a path that never ends the recursion. */
#pragma GCC diagnostic ignored "-Winfinite-recursion"
static void descend(int depth, int limit) {
  volatile char frame[32];
  frame[depth % 32] = (char)depth;
  if (depth == limit) longjmp(escape, depth + frame[depth % 32] - depth + 1);
  descend(depth + 1, limit);
}

int main(void) {
  unsigned returns = 0;
  for (int i = 0; i < 2000; i++) {
    int v = setjmp(escape);
    if (v == 0) {
      descend(0, i % 50);
    } else {
      returns++;
      depth_sum += (unsigned)v;
    }
  }
  printf("%u longjmp returns, depth sum %u\n", returns, depth_sum);
  return 0;
}
