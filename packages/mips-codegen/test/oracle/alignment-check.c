/* Alignment checking at CPL 3: with EFLAGS.AC set (Linux keeps CR0.AM on) an unaligned data access
   is #AC, which Linux gives as SIGBUS BUS_ADRALN without an address (trapno 17). Each case sets AC
   with popf (or iret), makes one access at offsets 0..15 from a 64-byte-aligned buffer and clears
   AC; a row shows '.' for no fault, 'A' for #AC, 'G' for #GP (fxsave's 16-byte alignment), '?' for
   anything else. Then: the handler runs with
   AC still set, a sigreturn restores AC from the context, and with AC clear nothing faults.
   Build: gcc -m32 -static -O1; natively and under dbtlab (--cpu max) the output must be identical. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

static sigjmp_buf back;
static volatile int got, gcode, gtrap, gerr;
static volatile unsigned long gaddr, handler_ac;
static void handler(int sig, siginfo_t *si, void *p) {
  greg_t *g = ((ucontext_t *)p)->uc_mcontext.gregs;
  unsigned long fl;
  asm volatile("pushf\n\tpop %0" : "=r"(fl));
  got = sig;
  gcode = si->si_code;
  gaddr = (unsigned long)si->si_addr;
  gtrap = g[REG_TRAPNO];
  gerr = g[REG_ERR];
  handler_ac = fl & 0x40000;
  asm volatile("pushf\n\tandl $~0x40000, (%esp)\n\tpopf");
  siglongjmp(back, 1);
}

static char buf[4096] __attribute__((aligned(64)));
#define ACON "pushf\n orl $0x40000, (%esp)\n popf\n"
#define ACOFF "pushf\n andl $~0x40000, (%esp)\n popf\n"
/* %esi = the address; %eax, %edx 0; %ebx, %ebp, %edi kept */
#define CASE(name, body) \
  extern char name[];    \
  asm(".text\n" #name ":\n push %ebx\n push %ebp\n push %edi\n" ACON body "\n" ACOFF " pop %edi\n pop %ebp\n pop %ebx\n ret\n")
CASE(ld8, "movb (%esi), %al");
CASE(ld16, "movw (%esi), %ax");
CASE(ld32, "movl (%esi), %eax");
CASE(st32, "movl %eax, (%esi)");
CASE(add_rmw, "addl $1, (%esi)");
CASE(movzwl, "movzwl (%esi), %eax");
CASE(xchg, "xchg %eax, (%esi)");
CASE(bt, "mov $33, %eax\n bt %eax, (%esi)");
CASE(cmpxchg8b, "cmpxchg8b (%esi)");
CASE(movq_mmx, "movq (%esi), %mm0\n emms");
CASE(movups, "movups (%esi), %xmm0");
CASE(movsd, "movsd (%esi), %xmm0");
CASE(flds, "flds (%esi)\n fstp %st(0)");
CASE(fldl, "fldl (%esi)\n fstp %st(0)");
CASE(fldt, "fldt (%esi)\n fstp %st(0)");
CASE(fnstcw, "fnstcw (%esi)");
CASE(fnstenv, "fnstenv (%esi)\n fldenv (%esi)");
CASE(fnsave, "fnsave (%esi)\n frstor (%esi)");
CASE(fnstenv16, "data16 fnstenv (%esi)\n data16 fldenv (%esi)");
CASE(fnsave16, "data16 fnsave (%esi)\n data16 frstor (%esi)");
CASE(fxsave, "fxsave (%esi)\n fxrstor (%esi)");
CASE(movsw, "mov %esi, %edi\n add $32, %edi\n cld\n movsw");
CASE(movsl, "mov %esi, %edi\n add $32, %edi\n cld\n movsl");
CASE(movsl_dst, "lea buf+2048, %edi\n xchg %esi, %edi\n cld\n movsl");
CASE(stosl, "mov %esi, %edi\n cld\n stosl");
CASE(lodsw, "cld\n lodsw");
CASE(push, "mov %esp, %ebp\n mov %esi, %esp\n push %eax\n mov %ebp, %esp");
CASE(pushw, "mov %esp, %ebp\n mov %esi, %esp\n pushw %ax\n mov %ebp, %esp");
CASE(pop, "mov %esp, %ebp\n mov %esi, %esp\n pop %eax\n mov %ebp, %esp");
CASE(call, "mov %esp, %ebp\n mov %esi, %esp\n call 1f\n1: mov %ebp, %esp");
CASE(pusha, "mov %esp, %ebp\n lea 32(%esi), %esp\n pusha\n mov %ebp, %esp");
CASE(lea, "lea 1(%esi), %eax\n prefetcht0 1(%esi)\n nopl 1(%esi)");
/* AC set by iret, not popf */
CASE(iret_ld32, "pushf\n orl $0x40000, (%esp)\n push %cs\n push $1f\n iret\n1: movl (%esi), %eax");

static const struct {
  const char *name;
  char *fn;
} cases[] = {
#define C(x) { #x, x }
  C(ld8), C(ld16), C(ld32), C(st32), C(add_rmw), C(movzwl), C(xchg), C(bt), C(cmpxchg8b), C(movq_mmx), C(movups),
  C(movsd), C(flds), C(fldl), C(fldt), C(fnstcw), C(fnstenv), C(fnsave), C(fnstenv16), C(fnsave16), C(fxsave), C(movsw), C(movsl), C(movsl_dst), C(stosl),
  C(lodsw), C(push), C(pushw), C(pop), C(call), C(pusha), C(lea), C(iret_ld32),
};

static void run(char *fn, unsigned esi) {
  got = 0;
  if (!sigsetjmp(back, 1)) {
    unsigned eax = 0, edx = 0;
    asm volatile("call *%3" : "+S"(esi), "+a"(eax), "+d"(edx) : "r"(fn) : "ecx", "memory", "cc");
  }
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  static char alt[65536];
  stack_t ss = { .ss_sp = alt, .ss_size = sizeof alt };
  sigaltstack(&ss, 0);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = handler;
  sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
  sigaction(SIGBUS, &sa, 0);
  sigaction(SIGSEGV, &sa, 0);
  for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    printf("%-10s", cases[i].name);
    for (int off = 0; off < 16; off++) {
      run(cases[i].fn, (unsigned)(buf + 2048 + off));
      printf(" %c", got == 0 ? '.' : got == SIGBUS && gcode == 1 && gtrap == 17 ? 'A' : got == SIGSEGV && gtrap == 13 ? 'G' : '?');
    }
    printf("\n");
  }
  run(ld32, (unsigned)(buf + 2049));
  printf("fault: sig %d code %d addr %#lx trapno %d err %d; handler AC %#lx\n", got, gcode, gaddr, gtrap, gerr, handler_ac);
  return 0;
}
