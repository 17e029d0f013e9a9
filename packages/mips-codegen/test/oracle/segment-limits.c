/* Data segment limits and types, as modify_ldt makes them for a 32-bit process: an expand-up segment
   with a byte limit, expand-down ones (32-bit and 16-bit upper bound), a read-only one and a limited
   stack segment. Each case loads the segment into %fs (or %ds/%es/%ss), makes one access and prints
   what happened: nothing, or the signal with si_code, si_addr, trapno, err and the faulting
   instruction's offset in the case with the string registers at the fault (faults are precise), and
   the buffer's checksum (a faulting store writes nothing). Accesses within the limit, at it, across
   it with a multi-byte operand, string instructions stopping mid-way, push/pop and %ebp-based
   accesses through a limited %ss. Null selectors (0..3) in %ds/%es/%fs/%gs under every access form.
   Cases that need a process that has not met such a segment yet run in a process of their own (the
   probe re-executed with the case's name). Build: gcc -m32 -static -O1; natively and under dbtlab
   the output must be identical. */
#define _GNU_SOURCE
#include <asm/ldt.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <sys/wait.h>
#include <unistd.h>

#define SEL(n) (((n) << 3) | 7)
#define UP 1       /* expand-up RW, limit 0xff */
#define DOWN32 2   /* expand-down RW, B=1, limit 0x7f: offsets 0x80..0xffffffff */
#define DOWN16 3   /* expand-down RW, B=0, limit 0x7f: offsets 0x80..0xffff */
#define RO 4       /* read-only, limit 0xff */
#define PAGES 5    /* expand-up RW, G=1, limit 0: offsets 0..0xfff */
#define STACK 6    /* expand-up RW, limit 0xff: a stack segment */

static unsigned char buf[0x30000] __attribute__((aligned(4096)));
#define BASE (buf + 0x10000)

static void ldt_entry(int entry, void *base, unsigned limit, int s32, int contents, int ro, int pages) {
  struct user_desc u = { .entry_number = entry, .base_addr = (unsigned)base, .limit = limit, .seg_32bit = s32,
                         .contents = contents, .read_exec_only = ro, .limit_in_pages = pages, .useable = 1 };
  if (syscall(SYS_modify_ldt, 1, &u, sizeof u) != 0) perror("modify_ldt");
}

static sigjmp_buf back;
static volatile int faulted, show_esp;
static char *volatile case_start;

static unsigned tls_gs;

static void handler(int sig, siginfo_t *si, void *p) {
  asm volatile("mov %0, %%gs" : : "r"(tls_gs)); /* a case may have left a null %gs */
  greg_t *g = ((ucontext_t *)p)->uc_mcontext.gregs;
  printf(" sig %d code %d addr %#lx trapno %d err %d at +%d ecx=%x esi=%x edi=%x", sig, si->si_code,
         (unsigned long)si->si_addr, (int)g[REG_TRAPNO], (int)g[REG_ERR], (int)(g[REG_EIP] - (unsigned)case_start),
         (unsigned)g[REG_ECX], (unsigned)g[REG_ESI], (unsigned)g[REG_EDI]);
  if (show_esp && (unsigned)g[REG_ESP] < 0x10000) printf(" esp=%x", (unsigned)g[REG_ESP]);
  faulted = 1;
  siglongjmp(back, 1);
}

/* a checksum of what the cases can reach: offsets -0x40..0x1ff and 0xff00..0x100ff of BASE */
static unsigned sum(void) {
  unsigned s = 0;
  for (int i = -0x40; i < 0x200; i++) s = s * 31 + BASE[i];
  for (int i = 0xff00; i < 0x10100; i++) s = s * 31 + BASE[i];
  return s;
}

unsigned saved_esp __attribute__((used));
/* Every case: %fs = the segment in %edx, %ecx/%esi/%edi/%eax preset by the caller; it may change
   %ds/%es/%ss itself (and puts them back); %ebx, %ebp kept. Ends at its own ret. */
#define CASE(name, body)                                                                   \
  extern char name[];                                                                      \
  asm(".text\n" #name ":\n  push %ebx\n  push %ebp\n  mov %edx, %fs\n" body "\n"           \
      "  mov $0x2b, %edx\n  mov %edx, %ds\n  mov %edx, %es\n  pop %ebp\n  pop %ebx\n  ret\n")

CASE(ld32, "  movl %fs:(%esi), %eax");
CASE(ld16, "  movw %fs:(%esi), %ax");
CASE(ld8, "  movb %fs:(%esi), %al");
CASE(ld64_mmx, "  movq %fs:(%esi), %mm0\n  emms");
CASE(ld128, "  movdqu %fs:(%esi), %xmm0");
CASE(fld64, "  fldl %fs:(%esi)\n  fstp %st(0)");
CASE(st32, "  movl $0x11223344, %fs:(%esi)");
CASE(st16, "  movw $0x5566, %fs:(%esi)");
CASE(st8, "  movb $0x77, %fs:(%esi)");
CASE(rmw32, "  addl $1, %fs:(%esi)");
CASE(rmw8, "  incb %fs:(%esi)");
CASE(xchg32, "  xchg %eax, %fs:(%esi)");
CASE(cmpxchg8b, "  cmpxchg8b %fs:(%esi)");
CASE(pushm, "  pushl %fs:(%esi)\n  pop %eax");
CASE(popm, "  push %eax\n  popl %fs:(%esi)");
CASE(lea, "  lea 0x100000(%esi), %eax\n  nopl %fs:(%esi)\n  prefetcht0 %fs:(%esi)");
CASE(disp, "  movl %fs:0xfc, %eax\n  movl %fs:0xfd, %eax");
CASE(based, "  mov %edx, %ds\n  mov 4(%esi,%ecx,2), %eax");
CASE(xlat_c, "  mov %edx, %ds\n  mov %esi, %ebx\n  xlat");
CASE(movs_b, "  mov %edx, %ds\n  mov %edx, %es\n  cld\n  rep movsb");
CASE(movs_l, "  mov %edx, %ds\n  mov %edx, %es\n  cld\n  rep movsl");
CASE(movs_down, "  mov %edx, %ds\n  mov %edx, %es\n  std\n  rep movsw\n  cld");
CASE(stos_l, "  mov %edx, %es\n  cld\n  rep stosl");
CASE(lods_w, "  mov %edx, %ds\n  cld\n  rep lodsw");
CASE(cmps_b, "  mov %edx, %ds\n  mov %edx, %es\n  cld\n  repe cmpsb");
CASE(scas_b, "  mov %edx, %es\n  cld\n  mov $0x99, %al\n  repne scasb");
CASE(movs_fs, "  cld\n  mov $0x2b, %eax\n  mov %eax, %es\n  lea buf+0x20000, %edi\n  rep movsb %fs:(%esi), %es:(%edi)");
/* %ss limited: %esp is %esi; push %ecx times (through a loop), then pop as many; back to the flat stack */
CASE(ss_push, "  mov %esp, saved_esp\n  mov %edx, %ss\n  mov %esi, %esp\n1: push %ecx\n  loop 1b\n"
              "  mov $0x2b, %edx\n  mov %edx, %ss\n  mov saved_esp, %esp");
CASE(ss_pop, "  mov %esp, saved_esp\n  mov %edx, %ss\n  mov %esi, %esp\n1: pop %eax\n  loop 1b\n"
             "  mov $0x2b, %edx\n  mov %edx, %ss\n  mov saved_esp, %esp");
CASE(ss_call, "  mov %esp, saved_esp\n  mov %edx, %ss\n  mov %esi, %esp\n  call 1f\n1: pop %eax\n"
              "  mov $0x2b, %edx\n  mov %edx, %ss\n  mov saved_esp, %esp");
CASE(ss_ebp, "  mov %esp, saved_esp\n  mov %edx, %ss\n  mov %esi, %ebp\n  mov 2(%ebp), %eax\n"
             "  mov $0x2b, %edx\n  mov %edx, %ss\n  mov saved_esp, %esp");
CASE(ss_enter, "  mov %esp, saved_esp\n  mov %edx, %ss\n  mov %esi, %esp\n  enter $8, $0\n  leave\n"
               "  mov $0x2b, %edx\n  mov %edx, %ss\n  mov saved_esp, %esp");
CASE(ss_pusha, "  mov %esp, saved_esp\n  mov %edx, %ss\n  mov %esi, %esp\n  pusha\n  popa\n"
               "  mov $0x2b, %edx\n  mov %edx, %ss\n  mov saved_esp, %esp");
/* stores and areas the x87 and SSE helpers access (stored registers set from %ecx first: their
   values after earlier cases differ natively), and bit strings a register offset moves into */
CASE(fstpt, "  fldz\n  fstpt %fs:(%esi)");
CASE(fbstp, "  fldz\n  fbstp %fs:(%esi)");
CASE(fistpl, "  fldz\n  fistpl %fs:(%esi)");
CASE(fisttpl, "  fldz\n  fisttpl %fs:(%esi)");
CASE(fnstcw, "  fnstcw %fs:(%esi)");
CASE(fnstsw, "  fnstsw %fs:(%esi)");
CASE(fnstenv, "  fnstenv %fs:(%esi)\n  fldenv %fs:(%esi)");
CASE(fnstenv16, "  data16 fnstenv %fs:(%esi)\n  data16 fldenv %fs:(%esi)");
CASE(fnsave, "  fnsave %fs:(%esi)\n  frstor %fs:(%esi)");
CASE(fnsave16, "  data16 fnsave %fs:(%esi)\n  data16 frstor %fs:(%esi)");
CASE(fxsave, "  fxsave %fs:(%esi)\n  fxrstor %fs:(%esi)");
CASE(stmxcsr, "  stmxcsr %fs:(%esi)");
CASE(movups_st, "  movd %ecx, %xmm0\n  movups %xmm0, %fs:(%esi)");
CASE(movss_st, "  movd %ecx, %xmm0\n  movss %xmm0, %fs:(%esi)");
CASE(movq_st, "  movd %ecx, %mm0\n  movq %mm0, %fs:(%esi)\n  emms");
/* maskmov's implicit DS:(E)DI, here %fs:(%edi); every byte stored, or none (a zero mask) */
CASE(maskmovq, "  mov %esi, %edi\n  movd %ecx, %mm0\n  pcmpeqb %mm1, %mm1\n  fs maskmovq %mm1, %mm0\n  emms");
CASE(maskmovdqu, "  mov %esi, %edi\n  movd %ecx, %xmm0\n  pcmpeqb %xmm1, %xmm1\n  fs maskmovdqu %xmm1, %xmm0");
CASE(maskmovq0, "  mov %esi, %edi\n  movd %ecx, %mm0\n  pxor %mm1, %mm1\n  fs maskmovq %mm1, %mm0\n  emms");
CASE(bt_r, "  bt %ecx, %fs:(%esi)\n  setc %al");
CASE(bts_r, "  bts %ecx, %fs:(%esi)\n  setc %al");
CASE(btw_r, "  btrw %cx, %fs:(%esi)\n  setc %al");
CASE(gs_ld, "  mov %gs, %ebx\n  mov %edx, %gs\n  movl %gs:(%esi), %eax\n  mov %ebx, %gs");
CASE(unused, "  mov %edx, %ds\n  mov %edx, %es\n  mov %ss:(%esi), %eax");
/* %fs as exec left it (not loaded by the case) */
extern char fs_exec[];
asm(".text\nfs_exec:\n  movl %fs:(%esi), %eax\n  ret\n");
CASE(ss_override, "  mov %edx, %ss\n  mov %ss:(%esi), %eax\n  mov $0x2b, %edx\n  mov %edx, %ss");

static void run(const char *name, char *fn, unsigned sel, unsigned esi, unsigned ecx) {
  static stack_t ss;
  printf("%-10s sel %#x esi=%#x ecx=%u:", name, sel, esi, ecx);
  faulted = 0;
  case_start = fn;
  show_esp = name[0] == 's' && name[1] == 's';
  unsigned before = sum();
  if (sigsetjmp(back, 1) == 0) {
    unsigned eax = 0x5a5a5a5a, edx = sel, edi = esi + 0x40;
    asm volatile("call *%[fn]"
                 : "+a"(eax), "+c"(ecx), "+d"(edx), "+S"(esi), "+D"(edi)
                 : [fn] "r"(fn)
                 : "memory", "cc");
    printf(" ok eax=%x ecx=%x esi=%x edi=%x", eax, ecx, esi, edi);
  }
  asm volatile("cld\n\tmov %0, %%fs" : : "r"(0));
  (void)ss;
  printf(" %s\n", sum() == before ? "unchanged" : "written");
}

/* Cases for the first block to meet a null or limited segment (dbtlab checks segments only once a
   process has needed it): each runs in a process of its own. */
static const struct fresh { const char *name; char *fn; unsigned sel, esi; } fresh[] = {
  { "fs_exec", fs_exec, 0, 0 },            /* the null %fs of exec, never loaded */
  { "gs_null", gs_ld, 0, 0 },              /* a null %gs loaded and used in one block */
  { "ds_null", based, 3, 0 },              /* a null %ds loaded and used in one block */
  { "fs_limit", ld32, SEL(UP), 0x100 },    /* a limited %fs loaded and used past its limit in one block */
  { "es_unused", unused, 0, (unsigned)buf }, /* null %ds/%es loaded, then only %ss used: no fault */
};

static void setup(void), limits(void), helper_accesses(void), null_selectors(void);

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IONBF, 0);
  asm volatile("mov %%gs, %0" : "=r"(tls_gs));
  if (argc > 1) {
    for (unsigned i = 0; i < sizeof fresh / sizeof fresh[0]; i++)
      if (strcmp(argv[1], fresh[i].name) == 0) {
        setup();
        run(fresh[i].name, fresh[i].fn, fresh[i].sel, fresh[i].esi, 0);
      }
    return 0;
  }
  for (unsigned i = 0; i < sizeof fresh / sizeof fresh[0]; i++) {
    pid_t pid = fork();
    if (pid == 0) {
      execl("/proc/self/exe", argv[0], fresh[i].name, (char *)NULL);
      _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    if (status != 0) printf("%s: status %#x\n", fresh[i].name, status);
  }
  setup();
  limits();
  helper_accesses();
  null_selectors();
  return 0;
}

static void setup(void) {
  for (unsigned i = 0; i < sizeof buf; i++) buf[i] = i * 13 + 5;
  ldt_entry(UP, BASE, 0xff, 1, MODIFY_LDT_CONTENTS_DATA, 0, 0);
  ldt_entry(DOWN32, BASE, 0x7f, 1, MODIFY_LDT_CONTENTS_STACK, 0, 0);
  ldt_entry(DOWN16, BASE, 0x7f, 0, MODIFY_LDT_CONTENTS_STACK, 0, 0);
  ldt_entry(RO, BASE, 0xff, 1, MODIFY_LDT_CONTENTS_DATA, 1, 0);
  ldt_entry(PAGES, BASE, 0, 1, MODIFY_LDT_CONTENTS_DATA, 0, 1);
  ldt_entry(STACK, BASE, 0xff, 1, MODIFY_LDT_CONTENTS_DATA, 0, 0);
  static char alt[65536];
  stack_t ss = { .ss_sp = alt, .ss_size = sizeof alt };
  sigaltstack(&ss, 0);
  struct sigaction sa = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO | SA_ONSTACK | SA_NODEFER };
  sigaction(SIGSEGV, &sa, NULL);
  sigaction(SIGBUS, &sa, NULL);
}

static void limits(void) {
  /* sizes at and across an expand-up limit */
  static const struct { const char *name; char *fn; } loads[] = {
    { "ld32", ld32 }, { "ld16", ld16 }, { "ld8", ld8 }, { "ld64_mmx", ld64_mmx }, { "ld128", ld128 }, { "fld64", fld64 },
    { "st32", st32 }, { "st16", st16 }, { "st8", st8 }, { "rmw32", rmw32 }, { "rmw8", rmw8 }, { "xchg32", xchg32 },
    { "cmpxchg8b", cmpxchg8b }, { "pushm", pushm }, { "popm", popm },
  };
  static const unsigned offs[] = { 0, 0xf0, 0xf8, 0xfc, 0xfd, 0xfe, 0xff, 0x100, 0xfffffffe, 0x80000000 };
  for (unsigned i = 0; i < sizeof loads / sizeof loads[0]; i++)
    for (unsigned j = 0; j < sizeof offs / sizeof offs[0]; j++) run(loads[i].name, loads[i].fn, SEL(UP), offs[j], 0);
  /* expand-down, 32- and 16-bit upper bounds */
  static const unsigned down[] = { 0, 0x7c, 0x7f, 0x80, 0x100, 0xfffc, 0xfffd, 0xffff, 0x10000, 0xfffffffc, 0xfffffffd };
  for (unsigned j = 0; j < sizeof down / sizeof down[0]; j++) {
    run("ld32", ld32, SEL(DOWN32), down[j], 0);
    run("ld32", ld32, SEL(DOWN16), down[j], 0);
    run("ld8", ld8, SEL(DOWN16), down[j], 0);
    run("st16", st16, SEL(DOWN32), down[j], 0);
  }
  /* read-only: reads pass, writes fault */
  for (unsigned j = 0; j < 4; j++) {
    unsigned o = j == 3 ? 0x100 : j * 0x40;
    run("ld32", ld32, SEL(RO), o, 0);
    run("st8", st8, SEL(RO), o, 0);
    run("rmw32", rmw32, SEL(RO), o, 0);
    run("xchg32", xchg32, SEL(RO), o, 0);
    run("popm", popm, SEL(RO), o, 0);
    run("pushm", pushm, SEL(RO), o, 0);
  }
  /* a page-granular limit: 0..0xfff */
  run("ld32", ld32, SEL(PAGES), 0xffc, 0);
  run("ld32", ld32, SEL(PAGES), 0xffd, 0);
  run("st8", st8, SEL(PAGES), 0x1000, 0);
  run("lea", lea, SEL(UP), 0x100, 0);
  run("disp", disp, SEL(UP), 0, 0);
  run("based", based, SEL(UP), 0xf0, 4);
  run("based", based, SEL(UP), 0xf0, 2);
  run("based", based, SEL(DOWN32), 0x70, 4);
  run("xlat", xlat_c, SEL(UP), 0xf0, 0);
  run("movs_b", movs_b, SEL(UP), 0xf8, 16);
  run("movs_b", movs_b, SEL(UP), 0x80, 16);
  run("movs_l", movs_l, SEL(UP), 0xb8, 16);
  run("movs_l", movs_l, SEL(UP), 0xb7, 16);
  run("movs_down", movs_down, SEL(DOWN32), 0x88, 8);
  run("movs_down", movs_down, SEL(UP), 0xfe, 8);
  run("movs_b", movs_b, SEL(RO), 0x10, 4);
  run("stos_l", stos_l, SEL(UP), 0x80, 8);
  run("stos_l", stos_l, SEL(UP), 0x80, 16);
  run("stos_l", stos_l, SEL(RO), 0x80, 1);
  run("stos_l", stos_l, SEL(DOWN16), 0xfff0, 4);
  run("stos_l", stos_l, SEL(UP), 0x80, 0);
  run("lods_w", lods_w, SEL(UP), 0xf8, 8);
  run("lods_w", lods_w, SEL(DOWN32), 0x78, 4);
  run("cmps_b", cmps_b, SEL(UP), 0x80, 200);
  run("cmps_b", cmps_b, SEL(UP), 0x40, 50);
  run("scas_b", scas_b, SEL(UP), 0x60, 200);
  run("movs_fs", movs_fs, SEL(UP), 0xf0, 32);
  run("movs_fs", movs_fs, SEL(RO), 0xf0, 8);
  /* a limited %ss */
  run("ss_push", ss_push, SEL(STACK), 0x10, 4);
  run("ss_push", ss_push, SEL(STACK), 0x10, 5);
  run("ss_push", ss_push, SEL(STACK), 0x102, 1);
  run("ss_push", ss_push, SEL(STACK), 0x103, 1);
  run("ss_pop", ss_pop, SEL(STACK), 0xf0, 4);
  run("ss_pop", ss_pop, SEL(STACK), 0xf0, 5);
  run("ss_pop", ss_pop, SEL(STACK), 0xfe, 1);
  run("ss_call", ss_call, SEL(STACK), 0x8, 0);
  run("ss_call", ss_call, SEL(STACK), 0x103, 0);
  run("ss_ebp", ss_ebp, SEL(STACK), 0xfa, 0);
  run("ss_ebp", ss_ebp, SEL(STACK), 0xfb, 0);
  run("ss_enter", ss_enter, SEL(STACK), 0x20, 0);
  run("ss_enter", ss_enter, SEL(STACK), 0x8, 0);
  run("ss_pusha", ss_pusha, SEL(STACK), 0x30, 0);
  run("ss_pusha", ss_pusha, SEL(STACK), 0x1c, 0);
  run("ss_pusha", ss_pusha, SEL(DOWN32), 0xa0, 0);
  run("ss_pusha", ss_pusha, SEL(DOWN32), 0x9c, 0);
  run("ss_override", ss_override, SEL(STACK), 0xfc, 0);
  run("ss_override", ss_override, SEL(STACK), 0xfd, 0);
  run("ss_ro", ss_push, SEL(RO), 0x10, 1);
}

/* Helper-made accesses: the whole area within the limit, one byte past it, a read-only segment */
static void helper_accesses(void) {
  static const struct { const char *name; char *fn; unsigned bytes, seg; } cases[] = {
    { "fstpt", fstpt, 10, UP }, { "fbstp", fbstp, 10, UP }, { "fistpl", fistpl, 4, UP }, { "fisttpl", fisttpl, 4, UP },
    { "fnstcw", fnstcw, 2, UP }, { "fnstsw", fnstsw, 2, UP }, { "fnstenv", fnstenv, 28, UP }, { "fnstenv16", fnstenv16, 14, UP },
    { "fnsave", fnsave, 108, UP }, { "fnsave16", fnsave16, 94, UP }, { "fxsave", fxsave, 512, PAGES }, { "stmxcsr", stmxcsr, 4, UP },
    { "movups_st", movups_st, 16, UP }, { "movss_st", movss_st, 4, UP }, { "movq_st", movq_st, 8, UP },
    { "maskmovq", maskmovq, 8, UP }, { "maskmovdqu", maskmovdqu, 16, UP }, { "maskmovq0", maskmovq0, 8, UP },
  };
  for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    unsigned end = cases[i].seg == PAGES ? 0x1000 : 0x100;
    /* fxsave's area is 16-byte aligned: past the limit by 16 */
    unsigned past = cases[i].fn == fxsave ? 16 : 1;
    run(cases[i].name, cases[i].fn, SEL(cases[i].seg), end - cases[i].bytes, 0);
    run(cases[i].name, cases[i].fn, SEL(cases[i].seg), end - cases[i].bytes + past, 0);
    run(cases[i].name, cases[i].fn, SEL(RO), 0x40, 0);
  }
  /* bit offsets in %ecx from a base at 0xf0 (or 0): the dword or word they reach */
  static const struct { unsigned esi, ecx; } bits[] = { { 0xf0, 0x7f }, { 0xf0, 0x80 }, { 0xf0, -1u }, { 0xf0, -0x781u }, { 0, -1u }, { 0x10, 0x8f } };
  for (unsigned j = 0; j < sizeof bits / sizeof bits[0]; j++) {
    run("bt_r", bt_r, SEL(UP), bits[j].esi, bits[j].ecx);
    run("bts_r", bts_r, SEL(UP), bits[j].esi, bits[j].ecx);
    run("btw_r", btw_r, SEL(UP), bits[j].esi, bits[j].ecx);
  }
  run("bt_r", bt_r, SEL(RO), 0x40, 3);
  run("bts_r", bts_r, SEL(RO), 0x40, 3);
  run("bts_r", bts_r, SEL(DOWN32), 0x100, -0x201u);
}

/* A null selector (0..3) loads into %ds/%es/%fs/%gs, and every access through it is #GP(0) */
static void null_selectors(void) {
  static const struct { const char *name; char *fn; unsigned ecx; } cases[] = {
    { "ld32", ld32, 0 }, { "ld8", ld8, 0 }, { "ld64_mmx", ld64_mmx, 0 }, { "ld128", ld128, 0 }, { "fld64", fld64, 0 },
    { "st32", st32, 0 }, { "st8", st8, 0 }, { "rmw32", rmw32, 0 }, { "xchg32", xchg32, 0 }, { "cmpxchg8b", cmpxchg8b, 0 },
    { "pushm", pushm, 0 }, { "popm", popm, 0 }, { "lea", lea, 0 }, { "disp", disp, 0 }, { "based", based, 4 },
    { "xlat", xlat_c, 0 }, { "movs_b", movs_b, 4 }, { "stos_l", stos_l, 4 }, { "stos_l", stos_l, 0 }, { "lods_w", lods_w, 4 },
    { "cmps_b", cmps_b, 4 }, { "scas_b", scas_b, 4 }, { "movs_fs", movs_fs, 4 }, { "gs_ld", gs_ld, 0 },
    { "ss_push", ss_push, 1 }, { "unused", unused, 0 },
  };
  for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++)
    for (unsigned sel = 0; sel < 4; sel++) run(cases[i].name, cases[i].fn, sel, cases[i].fn == unused ? (unsigned)buf : 0x10, cases[i].ecx);
}
