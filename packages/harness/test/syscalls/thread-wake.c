/* A thread that never blocks must not starve the threads it wakes: beside a spinning thread (one
 * making system calls, then one making none) the main thread creates and joins others, each join
 * woken by the exiting thread's futex wake; then it stops the spinner. */
#include "common.h"
#include <pthread.h>

static volatile int run;
static volatile unsigned long spins;

static void *spin_calls(void *a) {
  while (run) {
    getppid();
    spins++;
  }
  return a;
}

static void *spin_pure(void *a) {
  while (run) spins++;
  return a;
}

static void *echo(void *a) { return a; }

int main(void) {
  for (int k = 0; k < 2; k++) {
    pthread_t spinner;
    run = 1;
    pthread_create(&spinner, 0, k ? spin_pure : spin_calls, 0);
    int joined = 0;
    for (long i = 0; i < 10; i++) {
      pthread_t t;
      void *r;
      pthread_create(&t, 0, echo, (void *)i);
      pthread_join(t, &r);
      joined += (long)r == i;
    }
    run = 0;
    pthread_join(spinner, 0);
    printf("%s: %d of 10 joined beside a spinning thread\n", k ? "no system calls" : "system calls", joined);
  }
  return 0;
}
