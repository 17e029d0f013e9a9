/* Faults and signals under a 16-bit stack segment (modify_ldt's data segment with B clear) in %ss:
   a push or pop whose operand wraps past SP 0xffff (4 bytes at SP=1..3, 2 bytes at SP=1, 4 bytes at
   SP=0xfffd/0xfffe, call at SP=2) is #SS (SIGBUS, SI_KERNEL, trapno 12) before anything is written,
   while one that ends exactly at 0 or starts at 0xfffc is not; and a signal taken with that %ss is
   delivered on a frame at the full 32-bit ESP (not at base + SP), with the 16-bit selector in the
   sigcontext. Signals: int3, ud2, and the #SS itself; last, in a child, a signal whose full ESP is
   unmapped, which kills it (the frame cannot be written) although base + SP is mapped.
   Build: gcc -m32 -static -O1. Natively and under dbtlab the output must be identical. */
#define _GNU_SOURCE
#include <asm/ldt.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#define SEL(n) (((n) << 3) | 7)
/* the stack segments: 64 KiB over buf, and flat 4 GiB (pages), both with B clear */
enum { OVER_BUF, FLAT };
#define BUF 0x10000000u
#define BELOW 0x0fe00000u

static sigjmp_buf back;
static unsigned char *buf;
unsigned flat_ss, flat_esp;

static void set_segment(int n, unsigned base, unsigned limit, int pages) {
  struct user_desc d = { .entry_number = n, .base_addr = base, .limit = limit, .seg_32bit = 0, .limit_in_pages = pages, .useable = 1 };
  syscall(SYS_modify_ldt, 1, &d, sizeof d);
}

/* The signal, where it was taken and whether its frame is just below the interrupted full ESP. */
static void on_signal(int sig, siginfo_t *si, void *p) {
  ucontext_t *uc = p;
  unsigned esp = uc->uc_mcontext.gregs[REG_ESP];
  printf(" sig %d code %d trapno %d err %d ss %#x esp %#x frame just below esp %d", sig, si->si_code, (int)uc->uc_mcontext.gregs[REG_TRAPNO],
         (int)uc->uc_mcontext.gregs[REG_ERR], (unsigned)uc->uc_mcontext.gregs[REG_SS] & 0xffff, esp, (unsigned long)uc < esp && esp - (unsigned long)uc < 65536);
  siglongjmp(back, 1);
}

/* Runs INSNS with %ss = SS16 and %esp = ESP, then flat again; prints the signal, or which bytes of buf were written. */
#define CASE(name, ss16, esp, insns)                                                                                      \
  do {                                                                                                                    \
    printf("%s:", name);                                                                                                  \
    memset(buf, 0xa5, 0x20000);                                                                                           \
    if (!sigsetjmp(back, 1)) {                                                                                            \
      __asm__ volatile("movl %%esp, flat_esp; movl %1, %%esp; movw %w0, %%ss;" insns "; movw flat_ss, %%ss; movl flat_esp, %%esp" \
                       ::"r"(ss16), "r"(esp) : "eax", "memory");                                                              \
      int n = 0, at = -1;                                                                                                 \
      for (int i = 0; i < 0x20000; i++)                                                                                   \
        if (buf[i] != 0xa5 && n++ == 0) at = i;                                                                           \
      printf(" ok, %d bytes written from %#x", n, at);                                                                    \
    }                                                                                                                     \
    printf("\n");                                                                                                         \
  } while (0)

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  mmap((void *)BELOW, BUF - BELOW, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  buf = mmap((void *)BUF, 0x20000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  __asm__ volatile("movw %%ss, %%ax; movzwl %%ax, %%eax; movl %%eax, flat_ss" ::: "eax");
  struct sigaction sa = { .sa_sigaction = on_signal, .sa_flags = SA_SIGINFO | SA_NODEFER };
  for (int s = SIGILL; s <= SIGSEGV; s++) sigaction(s, &sa, NULL);
  set_segment(OVER_BUF, BUF, 0xffff, 0);
  set_segment(FLAT, 0, 0xfffff, 1);
  /* ESP's upper half 0x1001: the full ESP is inside the mapping below buf and buf */
  CASE("pushl at SP=2", SEL(OVER_BUF), 0x10010002, "pushl $0x11223344");
  CASE("pushl at SP=1", SEL(OVER_BUF), 0x10010001, "pushl $0x11223344");
  CASE("pushl at SP=3", SEL(OVER_BUF), 0x10010003, "pushl $0x11223344");
  CASE("pushl at SP=4", SEL(OVER_BUF), 0x10010004, "pushl $0x11223344");
  CASE("pushl at SP=0", SEL(OVER_BUF), 0x10010000, "pushl $0x11223344");
  CASE("pushw at SP=1", SEL(OVER_BUF), 0x10010001, "pushw $0x1122");
  CASE("pushw at SP=0", SEL(OVER_BUF), 0x10010000, "pushw $0x1122");
  CASE("popl at SP=0xfffe", SEL(OVER_BUF), 0x1001fffe, "popl %%eax");
  CASE("popl at SP=0xfffd", SEL(OVER_BUF), 0x1001fffd, "popl %%eax");
  CASE("popl at SP=0xfffc", SEL(OVER_BUF), 0x1001fffc, "popl %%eax");
  CASE("call at SP=2", SEL(OVER_BUF), 0x10010002, "call 1f; 1:");
  CASE("int3, flat 16-bit ss", SEL(FLAT), 0x10008000, "nop; int3");
  CASE("ud2, 16-bit ss over buf", SEL(OVER_BUF), 0x10018000, "nop; ud2");
  CASE("int3 at SP=0, 16-bit ss over buf", SEL(OVER_BUF), 0x10010000, "int3");
  pid_t pid = fork();
  if (pid == 0) {
    CASE("int3, 16-bit ss over buf, full ESP unmapped", SEL(OVER_BUF), 0x30008000, "int3");
    _exit(0);
  }
  int status;
  waitpid(pid, &status, 0);
  printf("\nchild: %s %d\n", WIFSIGNALED(status) ? "signal" : "exit", WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
  return 0;
}
