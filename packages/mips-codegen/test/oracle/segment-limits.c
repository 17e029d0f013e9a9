/* Data segment limits and types, as modify_ldt makes them for a 32-bit process: an expand-up segment
   with a byte limit, expand-down ones (32-bit and 16-bit upper bound), a read-only one and a limited
   stack segment. Each case loads the segment into %fs (or %ds/%es/%ss), makes one access and prints
   what happened: nothing, or the signal with si_code, si_addr, trapno, err and the faulting
   instruction's offset in the case with the string registers at the fault (faults are precise), and
   the buffer's checksum (a faulting store writes nothing). Accesses within the limit, at it, across
   it with a multi-byte operand, string instructions stopping mid-way, push/pop and %ebp-based
   accesses through a limited %ss. Build: gcc -m32 -static -O1; natively and under dbtlab the output
   must be identical. */
#define _GNU_SOURCE
#include <asm/ldt.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
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

static void handler(int sig, siginfo_t *si, void *p) {
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
CASE(ss_override, "  mov %edx, %ss\n  mov %ss:(%esi), %eax\n  mov $0x2b, %edx\n  mov %edx, %ss");

static void run(const char *name, char *fn, int seg, unsigned esi, unsigned ecx) {
  static stack_t ss;
  printf("%-10s seg %d esi=%#x ecx=%u:", name, seg, esi, ecx);
  faulted = 0;
  case_start = fn;
  show_esp = name[0] == 's' && name[1] == 's';
  unsigned before = sum();
  if (sigsetjmp(back, 1) == 0) {
    unsigned eax = 0x5a5a5a5a, edx = SEL(seg), edi = esi + 0x40;
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

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
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

  /* sizes at and across an expand-up limit */
  static const struct { const char *name; char *fn; } loads[] = {
    { "ld32", ld32 }, { "ld16", ld16 }, { "ld8", ld8 }, { "ld64_mmx", ld64_mmx }, { "ld128", ld128 }, { "fld64", fld64 },
    { "st32", st32 }, { "st16", st16 }, { "st8", st8 }, { "rmw32", rmw32 }, { "rmw8", rmw8 }, { "xchg32", xchg32 },
    { "cmpxchg8b", cmpxchg8b }, { "pushm", pushm }, { "popm", popm },
  };
  static const unsigned offs[] = { 0, 0xf0, 0xf8, 0xfc, 0xfd, 0xfe, 0xff, 0x100, 0xfffffffe, 0x80000000 };
  for (unsigned i = 0; i < sizeof loads / sizeof loads[0]; i++)
    for (unsigned j = 0; j < sizeof offs / sizeof offs[0]; j++) run(loads[i].name, loads[i].fn, UP, offs[j], 0);
  /* expand-down, 32- and 16-bit upper bounds */
  static const unsigned down[] = { 0, 0x7c, 0x7f, 0x80, 0x100, 0xfffc, 0xfffd, 0xffff, 0x10000, 0xfffffffc, 0xfffffffd };
  for (unsigned j = 0; j < sizeof down / sizeof down[0]; j++) {
    run("ld32", ld32, DOWN32, down[j], 0);
    run("ld32", ld32, DOWN16, down[j], 0);
    run("ld8", ld8, DOWN16, down[j], 0);
    run("st16", st16, DOWN32, down[j], 0);
  }
  /* read-only: reads pass, writes fault */
  for (unsigned j = 0; j < 4; j++) {
    unsigned o = j == 3 ? 0x100 : j * 0x40;
    run("ld32", ld32, RO, o, 0);
    run("st8", st8, RO, o, 0);
    run("rmw32", rmw32, RO, o, 0);
    run("xchg32", xchg32, RO, o, 0);
    run("popm", popm, RO, o, 0);
    run("pushm", pushm, RO, o, 0);
  }
  /* a page-granular limit: 0..0xfff */
  run("ld32", ld32, PAGES, 0xffc, 0);
  run("ld32", ld32, PAGES, 0xffd, 0);
  run("st8", st8, PAGES, 0x1000, 0);
  run("lea", lea, UP, 0x100, 0);
  run("disp", disp, UP, 0, 0);
  run("based", based, UP, 0xf0, 4);
  run("based", based, UP, 0xf0, 2);
  run("based", based, DOWN32, 0x70, 4);
  run("xlat", xlat_c, UP, 0xf0, 0);
  run("movs_b", movs_b, UP, 0xf8, 16);
  run("movs_b", movs_b, UP, 0x80, 16);
  run("movs_l", movs_l, UP, 0xb8, 16);
  run("movs_l", movs_l, UP, 0xb7, 16);
  run("movs_down", movs_down, DOWN32, 0x88, 8);
  run("movs_down", movs_down, UP, 0xfe, 8);
  run("movs_b", movs_b, RO, 0x10, 4);
  run("stos_l", stos_l, UP, 0x80, 8);
  run("stos_l", stos_l, UP, 0x80, 16);
  run("stos_l", stos_l, RO, 0x80, 1);
  run("stos_l", stos_l, DOWN16, 0xfff0, 4);
  run("stos_l", stos_l, UP, 0x80, 0);
  run("lods_w", lods_w, UP, 0xf8, 8);
  run("lods_w", lods_w, DOWN32, 0x78, 4);
  run("cmps_b", cmps_b, UP, 0x80, 200);
  run("cmps_b", cmps_b, UP, 0x40, 50);
  run("scas_b", scas_b, UP, 0x60, 200);
  run("movs_fs", movs_fs, UP, 0xf0, 32);
  run("movs_fs", movs_fs, RO, 0xf0, 8);
  /* a limited %ss */
  run("ss_push", ss_push, STACK, 0x10, 4);
  run("ss_push", ss_push, STACK, 0x10, 5);
  run("ss_push", ss_push, STACK, 0x102, 1);
  run("ss_push", ss_push, STACK, 0x103, 1);
  run("ss_pop", ss_pop, STACK, 0xf0, 4);
  run("ss_pop", ss_pop, STACK, 0xf0, 5);
  run("ss_pop", ss_pop, STACK, 0xfe, 1);
  run("ss_call", ss_call, STACK, 0x8, 0);
  run("ss_call", ss_call, STACK, 0x103, 0);
  run("ss_ebp", ss_ebp, STACK, 0xfa, 0);
  run("ss_ebp", ss_ebp, STACK, 0xfb, 0);
  run("ss_enter", ss_enter, STACK, 0x20, 0);
  run("ss_enter", ss_enter, STACK, 0x8, 0);
  run("ss_pusha", ss_pusha, STACK, 0x30, 0);
  run("ss_pusha", ss_pusha, STACK, 0x1c, 0);
  run("ss_pusha", ss_pusha, DOWN32, 0xa0, 0);
  run("ss_pusha", ss_pusha, DOWN32, 0x9c, 0);
  run("ss_override", ss_override, STACK, 0xfc, 0);
  run("ss_override", ss_override, STACK, 0xfd, 0);
  run("ss_ro", ss_push, RO, 0x10, 1);
  return 0;
}
