/* Alignment checking at CPL 3: with EFLAGS.AC set (Linux keeps CR0.AM on) an unaligned data access
   is #AC, which Linux gives as SIGBUS BUS_ADRALN without an address (trapno 17). Each case sets AC
   with popf (or iret), makes one access at offsets 0..15 from a 64-byte-aligned buffer and clears
   AC; a row shows '.' for no fault, 'A' for #AC, 'G' for #GP (16-byte alignment: fxsave, the
   aligned SSE forms, cmpxchg16b), '?' for anything else. Then: the handler runs with AC still set,
   a sigreturn restores AC from the context, and with AC clear nothing faults.
   Build: gcc -m32 or -m64 -static -O1 (the x86-64 build has the 64-bit forms, the i386 one lfs and pusha);
   natively and under dbtlab (--cpu max) the output must be identical. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

/* the registers and stack words of the build's mode */
#ifdef __x86_64__
#define R(x) "%r" #x
#define W "q"
#define SYM(x) #x "(%rip)"
/* below the caller's red zone */
#define CALL_CASE "sub $128, %%rsp\n call *%3\n add $128, %%rsp"
#else
#define R(x) "%e" #x
#define W "l"
#define SYM(x) #x
#define CALL_CASE "call *%3"
#endif
#define M "(" R(si) ")"
#define CLEAR_AC "pushf\n\tandl $~0x40000, (" R(sp) ")\n\tpopf\n"

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
  asm volatile(CLEAR_AC);
  siglongjmp(back, 1);
}

static char buf[4096] __attribute__((aligned(64)));
#define ACON "pushf\n orl $0x40000, (" R(sp) ")\n popf\n"
#define ACOFF CLEAR_AC
/* %esi/%rsi = the address; %eax, %edx 0; %ebx, %ebp, %edi kept */
#define CASE(name, body) \
  extern char name[];    \
  asm(".text\n" #name ":\n push " R(bx) "\n push " R(bp) "\n push " R(di) "\n" ACON body "\n" ACOFF " pop " R(di) "\n pop " R(bp) "\n pop " R(bx) "\n ret\n")
/* the stack cases run with the stack pointer at the address */
#define ON_STACK(body) "mov " R(sp) ", " R(bp) "\n mov " R(si) ", " R(sp) "\n " body "\n mov " R(bp) ", " R(sp)
CASE(ld8, "movb " M ", %al");
CASE(ld16, "movw " M ", %ax");
/* the forms of each operand size: load, store, read-modify-write, exchange, bit test (the next
   word), string move and store */
#define SIZED_FORMS(bits, s, ax) \
  CASE(ld##bits, "mov" #s " " M ", " ax); \
  CASE(st##bits, "mov" #s " " ax ", " M); \
  CASE(add_rmw##bits, "add" #s " $1, " M); \
  CASE(xchg##bits, "xchg " ax ", " M); \
  CASE(bt##bits, "mov $" #bits ", %eax\n bt" #s " " ax ", " M); \
  CASE(movs##s, "mov " R(si) ", " R(di) "\n add $32, " R(di) "\n cld\n movs" #s); \
  CASE(stos##s, "mov " R(si) ", " R(di) "\n cld\n stos" #s)
SIZED_FORMS(32, l, "%eax");
CASE(movzwl, "movzwl " M ", %eax");
CASE(cmpxchg8b, "cmpxchg8b " M);
CASE(movq_mmx, "movq " M ", %mm0\n emms");
CASE(movups, "movups " M ", %xmm0");
CASE(movsd, "movsd " M ", %xmm0");
/* the aligned SSE forms: #GP when not 16-byte aligned */
CASE(movaps, "movaps " M ", %xmm0");
CASE(addps, "addps " M ", %xmm0");
CASE(movntdq, "movntdq %xmm0, " M);
/* an SSE4.2 string compare's operand need not be aligned */
CASE(pcmpistri, "pcmpistri $0, " M ", %xmm0");
/* the byte-masked stores to (%edi)/(%rdi) */
CASE(maskmovq, "mov " R(si) ", " R(di) "\n pcmpeqb %mm1, %mm1\n maskmovq %mm1, %mm0\n emms");
CASE(maskmovdqu, "mov " R(si) ", " R(di) "\n pcmpeqb %xmm1, %xmm1\n maskmovdqu %xmm1, %xmm0");
CASE(flds, "flds " M "\n fstp %st(0)");
CASE(fldl, "fldl " M "\n fstp %st(0)");
CASE(fldt, "fldt " M "\n fstp %st(0)");
CASE(fnstcw, "fnstcw " M);
CASE(fnstenv, "fnstenv " M "\n fldenv " M);
CASE(fnsave, "fnsave " M "\n frstor " M);
CASE(fnstenv16, "data16 fnstenv " M "\n data16 fldenv " M);
CASE(fnsave16, "data16 fnsave " M "\n data16 frstor " M);
CASE(fxsave, "fxsave " M "\n fxrstor " M);
CASE(movsw, "mov " R(si) ", " R(di) "\n add $32, " R(di) "\n cld\n movsw");
CASE(movsl_dst, "lea " SYM(buf+2048) ", " R(di) "\n xchg " R(si) ", " R(di) "\n cld\n movsl");
CASE(lodsw, "cld\n lodsw");
CASE(push, ON_STACK("push " R(ax)));
CASE(pushw, ON_STACK("pushw %ax"));
CASE(pop, ON_STACK("pop " R(ax)));
CASE(call, ON_STACK("call 1f\n1:"));
/* the return address is written with AC clear */
CASE(ret, ACOFF "lea " SYM(1f) ", " R(ax) "\n mov " R(ax) ", " M "\n" ACON ON_STACK("ret\n1:"));
CASE(push_mem, "push" W " " M "\n pop " R(ax));
CASE(pop_mem, "push " R(ax) "\n pop" W " " M);
CASE(lea, "lea 1" M ", %eax\n prefetcht0 1" M "\n nopl 1" M);
#ifdef __x86_64__
SIZED_FORMS(64, q, "%rax");
CASE(movslq, "movslq " M ", %rax");
CASE(cmpxchg16b, "cmpxchg16b " M);
CASE(fxsave64, "fxsave64 " M "\n fxrstor64 " M);
/* AC set by iretq, not popf: %ss:%rsp, the flags with AC, %cs:%rip */
CASE(iret_ld32, "mov " R(sp) ", " R(bp) "\n mov %ss, %eax\n push %rax\n push %rbp\n pushf\n orl $0x40000, (%rsp)\n"
                " mov %cs, %eax\n push %rax\n lea 1f(%rip), %rax\n push %rax\n iretq\n1: movl " M ", %eax");
#define MODE_CASES SIZED(64, q), C(movslq), C(cmpxchg16b), C(fxsave64),
#else
/* a far pointer m16:32 (a null selector) */
CASE(lfs, ACOFF "movl $0, 4" M "\n" ACON "mov %fs, %ecx\n lfs " M ", %eax\n mov %ecx, %fs");
CASE(pusha, "mov %esp, %ebp\n lea 32(%esi), %esp\n pusha\n mov %ebp, %esp");
/* AC set by iret, not popf */
CASE(iret_ld32, "pushf\n orl $0x40000, (%esp)\n push %cs\n push $1f\n iret\n1: movl (%esi), %eax");
#define MODE_CASES C(lfs), C(pusha),
#endif

static const struct {
  const char *name;
  char *fn;
} cases[] = {
#define C(x) { #x, x }
#define SIZED(bits, s) C(ld##bits), C(st##bits), C(add_rmw##bits), C(xchg##bits), C(bt##bits), C(movs##s), C(stos##s)
  C(ld8), C(ld16), SIZED(32, l), C(movzwl), C(cmpxchg8b), C(movq_mmx), C(movups),
  C(movsd), C(movaps), C(addps), C(movntdq), C(pcmpistri), C(maskmovq), C(maskmovdqu), C(flds), C(fldl), C(fldt), C(fnstcw), C(fnstenv), C(fnsave), C(fnstenv16), C(fnsave16), C(fxsave), C(movsw), C(movsl_dst),
  C(lodsw), C(push), C(pushw), C(pop), C(call), C(ret), C(push_mem), C(pop_mem), C(lea), MODE_CASES C(iret_ld32),
};

static void run(char *fn, char *address) {
  got = 0;
  if (!sigsetjmp(back, 1)) {
    unsigned long eax = 0, edx = 0;
    asm volatile(CALL_CASE : "+S"(address), "+a"(eax), "+d"(edx) : "r"(fn) : "ecx", "memory", "cc");
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
      run(cases[i].fn, buf + 2048 + off);
      printf(" %c", got == 0 ? '.' : got == SIGBUS && gcode == 1 && gtrap == 17 ? 'A' : got == SIGSEGV && gtrap == 13 ? 'G' : '?');
    }
    printf("\n");
  }
  run(ld32, buf + 2049);
  printf("fault: sig %d code %d addr %#lx trapno %d err %d; handler AC %#lx\n", got, gcode, gaddr, gtrap, gerr, handler_ac);
  return 0;
}
