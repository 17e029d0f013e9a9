/* The trap flag (TF) single step as Linux delivers it: a SIGTRAP (TRAP_TRACE) after every instruction run with TF set, the saved eip and si_addr the next instruction's. Records each trap's eip and si_addr (as offsets from a label in the stepped code), si_code, trapno, err and the saved TF/RF over: straight-line code stepped from the popf that sets TF (no trap after it) to the popf that clears it (a trap after it); an iret setting TF (no trap after it either); int $0x80 / syscall under TF; int3 (its own SIGTRAP, no trace trap) and ud2 (SIGILL, the handler skips it); a loop; rep movsb/cmpsb (a trap per iteration); mov and pop to %ss (the trap waits one more instruction); a call and ret; a handler clearing TF in its ucontext; a sigreturn restoring a frame with TF set. Built -m32 and -m64 by trap-flag.test.ts; native is the oracle. */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>
#ifdef __x86_64__
#define REG_PC REG_RIP
#define SP "%%rsp"
#define SI "%%rsi"
#define DI "%%rdi"
#define SYSCALL "syscall\n"
#define CLOBBER "rcx", "r11",
#else
#define REG_PC REG_EIP
#define SP "%%esp"
#define SI "%%esi"
#define DI "%%edi"
#define SYSCALL "int $0x80\n"
#define CLOBBER
#endif
#define TF_ON "pushf\n orl $0x100, (" SP ")\n popf\n"
#define TF_OFF "pushf\n andl $~0x100, (" SP ")\n popf\n"
static volatile int n, stopat = 1000;
static unsigned long base;
static void step(int s, siginfo_t *si, void *u) {
  ucontext_t *uc = u;
  greg_t *g = uc->uc_mcontext.gregs;
  printf(" %s %d: eip %+ld addr %+ld code %d trapno %ld err %ld tf %d rf %d\n", s == SIGTRAP ? "trap" : "sigill", n, (long)(g[REG_PC] - base), (long)(si->si_addr ? (unsigned long)si->si_addr - base : 0), si->si_code, (long)g[REG_TRAPNO], (long)g[REG_ERR], !!(g[REG_EFL] & 0x100), !!(g[REG_EFL] & 0x10000));
  if (s == SIGILL) g[REG_PC] += 2;
  if (++n >= stopat) g[REG_EFL] &= ~0x100;
}
static void settf(int s, siginfo_t *si, void *u) { ((ucontext_t *)u)->uc_mcontext.gregs[REG_EFL] |= 0x100; }
extern char straight[], viairet[], excp[], sys[], loop[], rep[], ss[], callret[], clear[], fromframe[];
static char src[4] = { 1, 2, 3, 4 }, dst[4] = { 1, 2, 9, 4 };
int main(void) {
  struct sigaction sa; memset(&sa, 0, sizeof sa); sa.sa_sigaction = step; sa.sa_flags = SA_SIGINFO;
  sigaction(SIGTRAP, &sa, 0); sigaction(SIGILL, &sa, 0);
  sa.sa_sigaction = settf; sigaction(SIGUSR1, &sa, 0);
  unsigned long fl; long a = 0, r;
  char *srcp = src, *dstp = dst + 1;
  base = (unsigned long)straight; n = 0;
  __asm__ volatile(TF_ON "straight: nop\n add $1, %0\n add $2, %0\n pushf\n pop %1\n lea 3(%0), %0\n xchg %0, %0\n" TF_OFF "nop\n" : "+r"(a), "=r"(fl) :: "memory", "cc");
  printf("straight: %d traps, a %ld, pushf tf %d\n", n, a, !!(fl & 0x100));
  base = (unsigned long)viairet; n = 0;
#ifdef __x86_64__
  __asm__ volatile("mov %%ss, %%eax\n push %%rax\n push %%rsp\n addq $8, (%%rsp)\n pushf\n orq $0x100, (%%rsp)\n mov %%cs, %%eax\n push %%rax\n lea viairet(%%rip), %%rax\n push %%rax\n iretq\n viairet: nop\n nop\n" TF_OFF ::: "rax", "memory", "cc");
#else
  __asm__ volatile("pushf\n orl $0x100, (%%esp)\n push %%cs\n push $viairet\n iret\n viairet: nop\n nop\n" TF_OFF ::: "memory", "cc");
#endif
  printf("iret setting TF: %d traps\n", n);
  base = (unsigned long)excp; n = 0;
  __asm__ volatile(TF_ON "excp: nop\n int3\n nop\n ud2\n nop\n" TF_OFF ::: "memory", "cc");
  printf("int3 and ud2: %d signals\n", n);
  base = (unsigned long)sys; n = 0;
  __asm__ volatile(TF_ON "sys: " SYSCALL "nop\n" TF_OFF : "=a"(r) : "a"((long)SYS_getpid) : CLOBBER "memory", "cc");
  printf("system call: %d traps, getpid %s\n", n, r == getpid() ? "right" : "wrong");
  base = (unsigned long)loop; n = 0; a = 0;
  __asm__ volatile("mov $5, %%ecx\n" TF_ON "loop: add $1, %0\n dec %%ecx\n jnz loop\n" TF_OFF : "+r"(a) :: "ecx", "memory", "cc");
  printf("loop: %d traps, a %ld\n", n, a);
  base = (unsigned long)rep; n = 0;
  __asm__ volatile(TF_ON "rep: xor %%ecx, %%ecx\n rep movsb\n mov $3, %%ecx\n rep movsb\n mov %2, " SI "\n mov %3, " DI "\n mov $4, %%ecx\n repz cmpsb\n" TF_OFF : "+S"(srcp), "+D"(dstp) : "r"(src), "r"(dst) : "ecx", "memory", "cc");
  printf("rep: %d traps, %d %d %d %d\n", n, dst[0], dst[1], dst[2], dst[3]);
  base = (unsigned long)ss; n = 0;
#ifdef __x86_64__
  __asm__ volatile(TF_ON "ss: mov %%ss, %%ecx\n mov %%ecx, %%ss\n add $1, %0\n mov %%ecx, %%ss\n jmp 1f\n add $1, %0\n 1: nop\n" TF_OFF : "+r"(a) :: "ecx", "memory", "cc");
#else
  __asm__ volatile(TF_ON "ss: mov %%ss, %%ecx\n mov %%ecx, %%ss\n add $1, %0\n mov %%ecx, %%ss\n jmp 1f\n add $1, %0\n 1: push %%ecx\n pop %%ss\n add $1, %0\n nop\n" TF_OFF : "+r"(a) :: "ecx", "memory", "cc");
#endif
  printf("ss: %d traps\n", n);
  base = (unsigned long)callret; n = 0; a = 0;
  __asm__ volatile(TF_ON "callret: call 1f\n jmp 2f\n 1: add $1, %0\n ret\n 2: nop\n" TF_OFF : "+r"(a) :: "memory", "cc");
  printf("call and ret: %d traps, a %ld\n", n, a);
  base = (unsigned long)clear; n = 0; stopat = 3; a = 0;
  __asm__ volatile(TF_ON "clear: add $1, %0\n add $1, %0\n add $1, %0\n add $1, %0\n add $1, %0\n pushf\n pop %1\n" : "+r"(a), "=r"(fl) :: "memory", "cc");
  printf("handler clears TF after 3: %d traps, a %ld, tf %d\n", n, a, !!(fl & 0x100));
  base = (unsigned long)fromframe; n = 0; stopat = 1000; a = 0;
  r = SYS_kill;
#ifdef __x86_64__
  __asm__ volatile("syscall\n fromframe: add $1, %1\n add $1, %1\n" TF_OFF : "+a"(r), "+r"(a) : "D"((long)getpid()), "S"((long)SIGUSR1) : "rcx", "r11", "memory", "cc");
#else
  __asm__ volatile("int $0x80\n fromframe: add $1, %1\n add $1, %1\n" TF_OFF : "+a"(r), "+r"(a) : "b"((long)getpid()), "c"((long)SIGUSR1) : "memory", "cc");
#endif
  printf("sigreturn restores TF: %d traps, a %ld\n", n, a);
  return 0;
}
