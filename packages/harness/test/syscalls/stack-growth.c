/* The [stack] growing down as Linux grows it: the initial size setup_arg_pages leaves, growth on
 * faults below it up to RLIMIT_STACK (set before an exec of this program, and changed while it
 * runs), SIGSEGV beyond the limit or into the guard gap above the next mapping (caught on an
 * alternate stack), a system call's copy growing it, mmap hints and MAP_GROWSDOWN. Only what
 * does not depend on where the stack is (addresses are random natively) is printed. */
#include "common.h"
#include <alloca.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>

#define PAGE 4096UL
#define KIB 1024UL

static uintptr_t lo, hi;
static sigjmp_buf back;
static volatile uintptr_t fault_addr;
static volatile int fault_code;
static volatile uintptr_t deepest;

/* The [stack] line of /proc/self/maps, into lo and hi. */
static void stack_area(void) {
  FILE *f = fopen("/proc/self/maps", "r");
  char line[512];
  while (fgets(line, sizeof line, f)) {
    unsigned long long a, b;
    if (strstr(line, "[stack]") && sscanf(line, "%llx-%llx", &a, &b) == 2) lo = a, hi = b;
  }
  fclose(f);
}

/* The area of /proc/self/maps holding address x: its start (0 if none). */
static uintptr_t area_start(uintptr_t x) {
  FILE *f = fopen("/proc/self/maps", "r");
  char line[512];
  uintptr_t r = 0;
  while (fgets(line, sizeof line, f)) {
    unsigned long long a, b;
    if (sscanf(line, "%llx-%llx", &a, &b) == 2 && x >= a && x < b) r = a;
  }
  fclose(f);
  return r;
}

static void on_segv(int sig, siginfo_t *si, void *uc) {
  (void)sig, (void)uc;
  fault_addr = (uintptr_t)si->si_addr;
  fault_code = si->si_code;
  siglongjmp(back, 1);
}

/* Recursion of about 4000 bytes a frame until `depth` frames or a fault. */
static int __attribute__((noinline)) grow(int depth) {
  volatile char buf[4000];
  memset((char *)buf, depth, sizeof buf);
  deepest = (uintptr_t)buf;
  return depth > 0 ? grow(depth - 1) + buf[17] : buf[5];
}

/* Writes one byte at x; 0 if it stayed mapped, else the fault's si_code (the fault page's offset below the top printed by the caller). */
static int touch(uintptr_t x) {
  fault_code = 0;
  if (sigsetjmp(back, 1) == 0) *(volatile char *)x = 1;
  return fault_code;
}

static void child(unsigned long limit, char **argv) {
  stack_area();
  uintptr_t strings = (uintptr_t)argv[0] & -PAGE;
  uintptr_t expect = hi - limit > strings - 128 * KIB ? hi - limit : strings - 128 * KIB;
  printf("limit %lu KiB: initial [stack] as setup_arg_pages leaves it %d\n", limit / KIB, lo == expect);
  stack_t ss = {.ss_sp = malloc(65536), .ss_size = 65536};
  sigaltstack(&ss, NULL);
  struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_ONSTACK};
  sigaction(SIGSEGV, &sa, NULL);
  uintptr_t before = hi - lo;
  /* grow to about three quarters of the limit (well past the initial stack and the random part of sp natively) */
  int frames = (int)(limit / 4 * 3 / 4096);
  if (limit <= 128 * KIB) printf("the initial stack is at the limit %d\n", hi - lo == limit);
  else if (sigsetjmp(back, 1) == 0) {
    grow(frames);
    stack_area();
    printf("grown by recursion: %d, to the deepest frame %d, within the limit %d\n", hi - lo > before, lo <= deepest && deepest - lo < 2 * PAGE, hi - lo <= limit);
  } else printf("recursion to three quarters of the limit faulted (code %d)\n", fault_code);
  /* a system call's copy into pages below the stack grows it */
  int fds[2];
  pipe(fds);
  write(fds[1], "hello", 5);
  uintptr_t buf = lo - 16 * PAGE;
  printf("read into 16 pages below the stack = %zd\n", read(fds[0], (void *)buf, 5));
  stack_area();
  printf("the stack now holds it %d\n", lo == (buf & -PAGE));
  /* recursion without end: SIGSEGV on the alternate stack at the first page past the limit */
  if (sigsetjmp(back, 1) == 0) {
    grow(1 << 30);
    printf("no fault\n");
  } else {
    stack_area();
    printf("overflow: SIGSEGV code %d, the page %ld pages past the limit, [stack] at the limit %d\n", fault_code,
           (long)((hi - (fault_addr & -PAGE)) / PAGE) - (long)(limit / PAGE), hi - lo == limit);
  }
  /* an alloca past the limit faults at its own address */
  if (sigsetjmp(back, 1) == 0) {
    volatile char *p = alloca(limit + 64 * KIB);
    p[0] = 1;
    printf("alloca past the limit: no fault\n");
  } else printf("alloca past the limit: SIGSEGV code %d below the limit %d\n", fault_code, fault_addr < hi - limit);
  /* a lower limit while running stops growth; the grown stack stays */
  struct rlimit rl;
  getrlimit(RLIMIT_STACK, &rl);
  struct rlimit lower = {limit / 4, rl.rlim_max};
  setrlimit(RLIMIT_STACK, &lower);
  printf("lower limit: inside the stack %d, below it code %d\n", touch(lo + PAGE), touch(lo - PAGE));
  setrlimit(RLIMIT_STACK, &rl);
}

static void guard_gap(void) {
  struct rlimit rl;
  getrlimit(RLIMIT_STACK, &rl);
  rl.rlim_cur = 64 * 1024 * KIB;
  setrlimit(RLIMIT_STACK, &rl);
  stack_area();
  /* a readable mapping 300 pages below: the stack grows to 256 pages above it, not closer */
  uintptr_t e = lo - 300 * PAGE;
  void *m = mmap((void *)e, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  printf("mapping below the stack %d\n", m == (void *)e);
  int at257 = touch(e + 257 * PAGE), at256 = touch(e + 256 * PAGE), at255 = touch(e + 255 * PAGE);
  printf("guard gap: 257 pages above %d, 256 %d, 255 %d\n", at257, at256, at255);
  /* a PROT_NONE mapping does not hold the gap: the stack grows up to it */
  mprotect((void *)e, PAGE, PROT_NONE);
  int none255 = touch(e + 255 * PAGE), none1 = touch(e + PAGE), none0 = touch(e);
  printf("PROT_NONE below: 255 pages above %d, 1 page above %d, on it %d\n", none255, none1, none0);
  munmap((void *)e, PAGE);
  stack_area();
  /* a hint inside the gap below the stack is not taken, one below it is */
  uintptr_t near = lo - 16 * PAGE, far = lo - 512 * PAGE;
  void *a = mmap((void *)near, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  void *b = mmap((void *)far, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  printf("hint in the guard gap taken %d, below it %d\n", a == (void *)near, b == (void *)far);
  munmap(a, PAGE);
  munmap(b, PAGE);
}

static void growsdown(void) {
  char *m = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0);
  printf("MAP_GROWSDOWN %d\n", m != MAP_FAILED);
  int below = touch((uintptr_t)m - 1);
  printf("touch below it %d, area grown %d\n", below, area_start((uintptr_t)m) == (uintptr_t)m - PAGE);
  below = touch((uintptr_t)m - 8 * PAGE);
  printf("touch 8 pages below %d, area grown %d\n", below, area_start((uintptr_t)m) == (uintptr_t)m - 8 * PAGE);
  void *s = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS | MAP_GROWSDOWN, -1, 0);
  printf("shared anonymous MAP_GROWSDOWN %s\n", s == MAP_FAILED ? strerrorname_np(errno) : "mapped");
  munmap(m - 8 * PAGE, 12 * PAGE);
}

int main(int argc, char **argv) {
  if (argc > 2) {
    child(strtoul(argv[2], NULL, 0), argv);
    if (strtoul(argv[2], NULL, 0) == 4096 * KIB) guard_gap(), growsdown();
    return 0;
  }
  stack_area();
  printf("initial [stack]: 128 KiB below the strings' page %d\n", lo == ((uintptr_t)argv[0] & -PAGE) - 128 * KIB);
  static const unsigned long limits[] = {64 * KIB, 256 * KIB, 1024 * KIB, 4096 * KIB};
  for (unsigned i = 0; i < sizeof limits / sizeof *limits; i++) {
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
      struct rlimit rl;
      getrlimit(RLIMIT_STACK, &rl);
      rl.rlim_cur = limits[i];
      setrlimit(RLIMIT_STACK, &rl);
      char arg[32];
      snprintf(arg, sizeof arg, "%lu", limits[i]);
      execl("/proc/self/exe", argv[0], "child", arg, (char *)NULL);
      _exit(127);
    }
    wait_child(pid);
  }
  return 0;
}
