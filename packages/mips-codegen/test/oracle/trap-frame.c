/* The exception behind each synchronous signal as Linux records it in sigcontext: trapno, err and
   (for a page fault) cr2, with the signal and si_code. Page faults of every kind (read, write, fetch;
   unmapped, PROT_NONE, read-only before and after its first touch), int n over every vector, the
   trapping and faulting instructions, segment loads with bad selectors, x87 and SSE exceptions.
   Built -m64 and -m32; the shared cases print the same lines in both modes (the CPU and the kernel
   give the same answers), `trap-frame i386` prints the i386-only ones. Run by trap-frame.test.ts. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>

static sigjmp_buf env;
static volatile int got_sig, got_code;
static volatile long got_trap, got_err;
static volatile unsigned long got_cr2, got_addr;
static unsigned short x87cw = 0x37a; /* zero-divide unmasked */
static unsigned int mxcsr = 0x1d80;  /* SSE zero-divide unmasked */
static float one = 1, zero = 0;

static void handler(int sig, siginfo_t *si, void *uc) {
  mcontext_t *m = &((ucontext_t *)uc)->uc_mcontext;
  got_sig = sig;
  got_code = si->si_code;
  got_addr = (unsigned long)si->si_addr;
  got_trap = m->gregs[REG_TRAPNO];
  got_err = m->gregs[REG_ERR];
#ifdef __x86_64__
  got_cr2 = m->gregs[REG_CR2];
#else
  got_cr2 = m->cr2;
#endif
  siglongjmp(env, 1);
}

/* cr2 is the faulting address for a page fault; otherwise it keeps the last page fault's */
static unsigned long last_pf;
static void report(const char *name) {
  const char *cr2 = got_cr2 == got_addr && got_trap == 14 ? "addr" : got_cr2 == last_pf ? "last" : "other";
  if (got_trap == 14) last_pf = got_addr;
  printf("%-10s sig %2d code %3d trapno %2ld err %#lx cr2 %s\n", name, got_sig, got_code, got_trap, got_err, cr2);
}

#ifdef __x86_64__
#define R(r) "%%r" #r
#else
#define R(r) "%%e" #r
#endif

/* insn runs with the pointer p in eax/rax */
#define CASE(name, insn, p) do { \
    got_sig = 0; \
    if (!sigsetjmp(env, 1)) { __asm__ volatile(insn :: "a"(p) : "memory", "ecx", "edx"); } \
    report(name); \
  } while (0)

static void intVectors(void) {
  /* int n through every gate: 3 and 4 are the user-callable ones, 0x80 the system call. Vectors
     0x15-0x1f are reserved exceptions a hypervisor may take for itself (this host's PVM does). */
#define V(n) if (n != 0x80 && (n < 0x15 || n > 0x1f)) CASE("int " #n, "int $" #n, 0);
#define V16(h) V(h##0) V(h##1) V(h##2) V(h##3) V(h##4) V(h##5) V(h##6) V(h##7) V(h##8) V(h##9) V(h##a) V(h##b) V(h##c) V(h##d) V(h##e) V(h##f)
  V16(0x0) V16(0x1) V16(0x2) V16(0x3) V16(0x4) V16(0x5) V16(0x6) V16(0x7)
  V16(0x8) V16(0x9) V16(0xa) V16(0xb) V16(0xc) V16(0xd) V16(0xe) V16(0xf)
}

int main(int argc, char **argv) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  for (int s = 1; s < 32; s++) sigaction(s, &sa, 0);
  char *ro = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *untouched = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *none = mmap(0, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *touchedNone = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *rw = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *freshRw = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  touchedNone[0] = 1;
  mprotect(touchedNone, 4096, PROT_NONE);
  rw[0] = (char)0xc3;
  if (argc > 1 && !strcmp(argv[1], "i386")) {
#ifndef __x86_64__
    CASE("bound", "pushl $3; pushl $1; movl $7, %%ecx; boundl %%ecx, (%%esp); addl $8, %%esp", 0);
    CASE("into", "movl $0x7fffffff, %%ecx; incl %%ecx; into", 0);
    CASE("popds", "pushl $0x10; popl %%ds; addl $4, %%esp", 0);
    CASE("popes", "pushl $0x1b; popl %%es; addl $4, %%esp", 0);
    CASE("les", "pushl $0x40; pushl $0; lesl (%%esp), %%ecx; addl $8, %%esp", 0);
    CASE("lss", "pushl $0; pushl $0; lssl (%%esp), %%ecx; addl $8, %%esp", 0);
    CASE("movss", "movw $0x1b, %%cx; movw %%cx, %%ss", 0);
#endif
    return 0;
  }
  (void)*(volatile char *)ro;
  CASE("rd-unmap", "movb (%0), %%cl", (char *)0x1000);
  CASE("wr-unmap", "movb %%cl, (%0)", (char *)0x1000);
  CASE("wr-ro", "movb %%cl, (%0)", ro);
  CASE("rd-none", "movb (%0), %%cl", none);
  CASE("wr-none", "movb %%cl, (%0)", none);
  CASE("rd-none2", "movb (%0), %%cl", touchedNone);
  CASE("wr-none2", "movb %%cl, (%0)", touchedNone);
  CASE("wr-new", "movb %%cl, (%0)", untouched);
  CASE("wr-new2", "movb %%cl, (%0)", untouched);
  CASE("x-unmap", "call *%0", (char *)0x1000);
  CASE("x-rw", "call *%0", rw);
  CASE("x-new", "call *%0", freshRw);
  CASE("x-none", "call *%0", none);
  CASE("movs-ro", "push " R(si) "; push " R(di) "; mov %0, " R(di) "; mov %0, " R(si) "; movsb; pop " R(di) "; pop " R(si), ro);
  CASE("cmpxchg", "cmpxchg %%ecx, (%0)", ro);
  CASE("int3", "int3", 0);
  CASE("icebp", ".byte 0xf1", 0);
  CASE("ud2", "ud2", 0);
  CASE("hlt", "hlt", 0);
  CASE("cli", "cli", 0);
  CASE("inb", "inb $0x80, %%al", 0);
  CASE("div0", "xorl %%ecx, %%ecx; divl %%ecx", 0);
  CASE("idivov", "movl $0x80000000, %%eax; cltd; movl $-1, %%ecx; idivl %%ecx", 0);
  CASE("ds10", "movw $0x10, %%cx; movw %%cx, %%ds", 0);
  CASE("es1b", "movw $0x1b, %%cx; movw %%cx, %%es", 0);
  CASE("fs80", "movw $0x80, %%cx; movw %%cx, %%fs", 0);
  CASE("fs83", "movw $0x83, %%cx; movw %%cx, %%fs", 0);
  CASE("fs87", "movw $0x87, %%cx; movw %%cx, %%fs", 0);
  CASE("gsffff", "movw $0xffff, %%cx; movw %%cx, %%gs", 0);
  CASE("movaps", "movaps 1(%0), %%xmm0", rw);
  CASE("x87", "fldcw (%0); fldz; fld1; fdivp; fwait", &x87cw);
  __asm__ volatile("fninit");
  CASE("sse", "ldmxcsr (%0); movss one, %%xmm0; divss zero, %%xmm0", &mxcsr);
  mxcsr = 0x1f80;
  __asm__ volatile("ldmxcsr %0" :: "m"(mxcsr));
  intVectors();
  return 0;
}
