/*
 * The host kernel's share of one system call, which valgrind cannot count (it counts user
 * instructions only) and perf cannot either on this VM (no PMU: "instructions <not supported>").
 * Times a loop of raw x86-64 getpid system calls (what qemu-i386 issues for the guest's getpid)
 * against a chain of dependent adds (one cycle each on any x86-64 core), back to back so both
 * see the same clock and the same load, and prints the median over repetitions of
 * ns/syscall, ns/add and their ratio: the system-call round trip in cycles.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define REPS 31

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e9 + t.tv_nsec;
}

static double nsPerSyscall(long n) {
  double t0 = now();
  for (long i = 0; i < n; i++) {
    long r = 39; /* __NR_getpid on x86-64 */
    __asm__ volatile("syscall" : "+a"(r) : : "rcx", "r11", "memory");
  }
  return (now() - t0) / n;
}

static double nsPerAdd(long n) {
  long x = 0;
  double t0 = now();
  for (long i = 0; i < n; i++)
    __asm__ volatile(".rept 100\n\tadd $1, %0\n\t.endr" : "+r"(x));
  return (now() - t0) / (n * 100.0);
}

static int byValue(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double median(double *v) {
  qsort(v, REPS, sizeof v[0], byValue);
  return v[REPS / 2];
}

int main(void) {
  double sys[REPS], add[REPS], ratio[REPS];
  for (int rep = 0; rep < REPS; rep++) {
    sys[rep] = nsPerSyscall(100000);
    add[rep] = nsPerAdd(100000);
    ratio[rep] = sys[rep] / add[rep];
  }
  printf("%.2f %.4f %.0f\n", median(sys), median(add), median(ratio));
  return 0;
}
