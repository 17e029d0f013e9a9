/* The i386 fast system call (this AMD CPU's compatibility-mode `syscall`, which Linux's
 * __kernel_vsyscall enters by): arguments in ebx, ebp (SYSCALL clobbers ecx), edx, esi, edi and
 * 0(%esp); the return at the vDSO's landing pad (popl %ebp; popl %edx; popl %ecx; ret) wherever
 * the `syscall` was; the registers kept; an unreadable 0(%esp) -EFAULT; a restarted call
 * through the landing pad's int $0x80; a handler of a signal the call sends run before it returns; single steps through __kernel_vsyscall (the registers the
 * kernel's iret gives) and _Unwind_Backtrace through it and the signal frame. Addresses
 * print as offsets from AT_SYSINFO so that runs compare. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <ucontext.h>
#include <unistd.h>
#include <unwind.h>

uintptr_t vsys, caller; /* global: the asm names them */
static struct { long eax, ebx, ecx, edx, esi, edi, ebp; } after;

/* Around each entry: the callee-saved registers and the regs pointer kept on the stack; after it
 * every register stored back into regs (the result in regs[0]). */
#define ENTER "push %%ebp\n\tpush %%ebx\n\tpush %%esi\n\tpush %%edi\n\tpush %0\n\t"
#define LEAVE                                                                                         \
  "xchg %%eax, (%%esp)\n\t"                                                                         \
  "mov %%ebx, 4(%%eax)\n\tmov %%ecx, 8(%%eax)\n\tmov %%edx, 12(%%eax)\n\tmov %%esi, 16(%%eax)\n\t" \
  "mov %%edi, 20(%%eax)\n\tmov %%ebp, 24(%%eax)\n\tpop %%ecx\n\tmov %%ecx, 0(%%eax)\n\t"           \
  "pop %%edi\n\tpop %%esi\n\tpop %%ebx\n\tpop %%ebp"

/* A system call with all six arguments, through __kernel_vsyscall or by `syscall` executed here
 * with the stack the vDSO would have built (return address, ecx, edx, arg 6) and arg 2 in %ebp, so
 * that it returns through the landing pad's pops and ret to the label after it. Every register
 * after it goes to `after`. */
static long call6(int direct, long nr, long b, long c, long d, long s, long di, long bp) {
  long regs[7] = {nr, b, c, d, s, di, bp};
  if (direct)
    __asm__ volatile(ENTER "push $1f\n\tpush $0x11111111\n\tpush $0x22222222\n\tpush 24(%0)\n\t"
                           "mov 4(%0), %%ebx\n\tmov 8(%0), %%ebp\n\tmov $0x33333333, %%ecx\n\tmov 12(%0), %%edx\n\t"
                           "mov 16(%0), %%esi\n\tmov 20(%0), %%edi\n\tmov 0(%0), %%eax\n\tsyscall\n\tud2\n1:\t" LEAVE
                     : : "a"(regs) : "ecx", "edx", "memory", "cc");
  else
    __asm__ volatile(ENTER "mov 4(%0), %%ebx\n\tmov 8(%0), %%ecx\n\tmov 12(%0), %%edx\n\tmov 16(%0), %%esi\n\t"
                           "mov 20(%0), %%edi\n\tmov 24(%0), %%ebp\n\tmov 0(%0), %%eax\n\tcall *vsys\n\t" LEAVE
                     : : "a"(regs) : "ecx", "edx", "memory", "cc");
  memcpy(&after, regs, sizeof after);
  return regs[0];
}
static long vsyscall6(long nr, long b, long c, long d, long s, long di, long bp) { return call6(0, nr, b, c, d, s, di, bp); }
static long direct6(long nr, long b, long c, long d, long s, long di, long bp) { return call6(1, nr, b, c, d, s, di, bp); }

static void show_regs(const char *what, long r) {
  printf("%-28s eax %ld ebx %lx ecx %lx edx %lx esi %lx edi %lx ebp %lx\n", what, r, after.ebx, after.ecx, after.edx, after.esi, after.edi, after.ebp);
}

/* mmap2 uses all six arguments: the file's second page at a fixed place, read back. */
static void mmap2_through(const char *what, long (*call)(long, long, long, long, long, long, long), int fd, char *at) {
  long r = call(SYS_mmap2, (long)at, 4096, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, 1);
  after.ebx = after.ebx == (long)at ? 0xa7 : after.ebx; /* the address asked for (ASLR): a7 when kept */
  show_regs(what, r == (long)at ? 0 : r);
  printf("%-28s mapped page reads '%.8s'\n", what, r == (long)at ? at : "-");
  munmap(at, 4096);
}

static volatile long landed_eax;
static volatile uintptr_t landed_eip;
static sigjmp_buf env;
static void on_segv(int sig, siginfo_t *si, void *uc_) {
  ucontext_t *uc = uc_;
  landed_eax = uc->uc_mcontext.gregs[REG_EAX];
  landed_eip = uc->uc_mcontext.gregs[REG_EIP];
  (void)sig, (void)si;
  siglongjmp(env, 1);
}

static volatile int usr1_hits;
static void on_usr1(int sig) {
  (void)sig;
  usr1_hits++;
}

static int pipefd[2];
static void on_alarm(int sig) {
  (void)sig;
  write(pipefd[1], "R", 1);
}

/* Single steps: where each trap is, three registers, and whether the unwinder reaches the caller. */
static int steps;
/* Stops at the caller: the asm around the call has no CFI of its own to unwind further by. */
static _Unwind_Reason_Code find_caller(struct _Unwind_Context *ctx, void *found) {
  if (_Unwind_GetIP(ctx) != caller) return ++*(int *)found < 8 ? _URC_NO_REASON : _URC_NORMAL_STOP;
  *(int *)found = 100;
  return _URC_NORMAL_STOP;
}

static void on_trap(int sig, siginfo_t *si, void *uc_) {
  ucontext_t *uc = uc_;
  uintptr_t ip = uc->uc_mcontext.gregs[REG_EIP];
  (void)sig, (void)si;
  if (ip - vsys >= 32) return;
  int found = 0;
  _Unwind_Backtrace(find_caller, &found);
  printf("step %2d at vsyscall+%-2u ecx %lx edx %lx ebp %lx  unwound to the caller: %s\n", steps++, (unsigned)(ip - vsys),
         (long)uc->uc_mcontext.gregs[REG_ECX], (long)uc->uc_mcontext.gregs[REG_EDX], (long)uc->uc_mcontext.gregs[REG_EBP], found == 100 ? "yes" : "no");
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  vsys = getauxval(AT_SYSINFO);
  char path[] = "vdso-fastcall-XXXXXX";
  int fd = mkstemp(path);
  unlink(path);
  char page[8192];
  memset(page, 'a', 4096);
  memset(page + 4096, 'b', 4096);
  memcpy(page + 4096, "page two", 8);
  write(fd, page, sizeof page);
  char *at = mmap(0, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

  /* both entries: all registers but eax kept */
  mmap2_through("__kernel_vsyscall mmap2", vsyscall6, fd, at);
  mmap2_through("direct syscall mmap2", direct6, fd, at);
  show_regs("__kernel_vsyscall getppid", vsyscall6(SYS_getppid, 0x101, 0x202, 0x303, 0x404, 0x505, 0x606) > 0);
  show_regs("direct syscall getppid", direct6(SYS_getppid, 0x101, 0x202, 0x303, 0x404, 0x505, 0x606) > 0);
  show_regs("direct syscall bad number", direct6(-1, 0x101, 0x202, 0x303, 0x404, 0x505, 0x606));
  show_regs("__kernel_vsyscall bad number", vsyscall6(1000, 0x101, 0x202, 0x303, 0x404, 0x505, 0x606));

  /* an unreadable 0(%esp): -EFAULT at the landing pad, whose pops then fault */
  static char altstack[65536];
  stack_t ss = {.ss_sp = altstack, .ss_size = sizeof altstack};
  sigaltstack(&ss, NULL);
  struct sigaction sa = {.sa_sigaction = on_segv, .sa_flags = SA_SIGINFO | SA_ONSTACK};
  sigaction(SIGSEGV, &sa, NULL);
  char *hole = mmap(0, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (sigsetjmp(env, 1) == 0)
    __asm__ volatile("mov %0, %%esp\n\tmov $20, %%eax\n\tsyscall\n\tud2" : : "r"(hole + 64) : "memory");
  printf("bad stack: eax %ld, SIGSEGV at vsyscall+%ld\n", landed_eax, (long)(landed_eip - vsys));
  signal(SIGSEGV, SIG_DFL);

  /* a read interrupted by an SA_RESTART handler runs again through the landing pad's int $0x80 */
  pipe(pipefd);
  struct sigaction al = {.sa_handler = on_alarm, .sa_flags = SA_RESTART};
  sigaction(SIGALRM, &al, NULL);
  struct itimerval it = {.it_value = {0, 20000}};
  setitimer(ITIMER_REAL, &it, NULL);
  char buf[4] = "----";
  long r = direct6(SYS_read, pipefd[0], (long)buf, sizeof buf, 0x404, 0x505, 0x606);
  show_regs("direct read restarted", r);
  printf("direct read restarted       buffer '%.4s'\n", buf);

  /* a signal the call sends its own process: the handler runs before the call returns to its caller */
  struct sigaction us = {.sa_handler = on_usr1};
  sigaction(SIGUSR1, &us, NULL);
  for (int direct = 0; direct < 2; direct++) {
    int before = usr1_hits;
    long k = call6(direct, SYS_kill, getpid(), SIGUSR1, 0x303, 0x404, 0x505, 0x606);
    printf("%-28s eax %ld, handler ran before the return: %s\n", direct ? "direct syscall kill self" : "__kernel_vsyscall kill self", k,
           usr1_hits == before + 1 ? "yes" : "no");
  }

  /* single steps through __kernel_vsyscall and a direct syscall, with _Unwind_Backtrace in the handler */
  struct sigaction tr = {.sa_sigaction = on_trap, .sa_flags = SA_SIGINFO};
  sigaction(SIGTRAP, &tr, NULL);
  __asm__ volatile(
      "push %%ebx\n\tpush %%ebp\n\tmovl $1f, caller\n\t"
      "pushf\n\torl $0x100, (%%esp)\n\tpopf\n\t"
      "mov $20, %%eax\n\tmov $0x101, %%ebx\n\tmov $0x202, %%ecx\n\tmov $0x303, %%edx\n\tmov $0x606, %%ebp\n\t"
      "call *vsys\n\t"
      "1:\tpushf\n\tandl $~0x100, (%%esp)\n\tpopf\n\t"
      "pop %%ebp\n\tpop %%ebx"
      : : : "eax", "ecx", "edx", "memory", "cc");
  /* a direct `syscall` under TF returns by iret: %ecx is then argument 2 (pt_regs' ecx), not the return address */
  steps = 0;
  __asm__ volatile(
      "push %%ebx\n\tpush %%ebp\n\tmovl $1f, caller\n\t"
      "push $1f\n\tpush $0x111\n\tpush $0x222\n\tpush $0x606\n\t"
      "pushf\n\torl $0x100, (%%esp)\n\tpopf\n\t"
      "mov $20, %%eax\n\tmov $0x101, %%ebx\n\tmov $0x777, %%ecx\n\tmov $0x303, %%edx\n\tmov $0x202, %%ebp\n\t"
      "syscall\n\tud2\n"
      "1:\tpushf\n\tandl $~0x100, (%%esp)\n\tpopf\n\t"
      "pop %%ebp\n\tpop %%ebx"
      : : : "eax", "ecx", "edx", "memory", "cc");
  return 0;
}
