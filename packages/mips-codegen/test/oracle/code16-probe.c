/* Code segments other than the flat 32-bit one, as modify_ldt makes them for a 32-bit process: a 16-bit
   code segment (D clear: 16-bit operand and address size by default, 66/67 for 32-bit ones) and a 32-bit
   one with a base, reached by far call/jmp/ret between them and the flat segment. Each case runs from
   the flat segment with fixed registers and prints every general register after it (and the 16-bit
   segment's data area); faults and traps inside the segments print the signal, si_code, si_addr and
   the context's cs:eip, the handler stepping over the instruction (sigreturn back into the segment).
   A code segment's limit: fetching past it is #GP at the instruction.
   Build: gcc -m32 -static -O1. Natively and under dbtlab the output must be identical. */
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
#define CODE16 1 /* 16-bit code: base c16_start */
#define CODE32 2 /* 32-bit code: base c32_start */
#define DATA16 3 /* 16-bit writable data: base data16 */
#define CODE32L 4 /* 32-bit code: base cl_start, the limit each case sets */

/* 16-bit code: offsets from c16_start; each entry returns with a 32-bit far return (lcall from flat code) */
asm(".pushsection .text.code16, \"ax\"\n"
    ".code16\n"
    "c16_start:\n"
    /* basic: 16-bit register forms, 66 for 32-bit ones */
    "c16_basic:\n"
    "  mov $0x1234, %ax\n  mov $0x89abcdef, %ebx\n  add %ax, %bx\n  inc %cx\n  shl $4, %edx\n  sub %cx, %dx\n  lea 0x10(%bx,%si), %si\n"
    "  data32 lret\n"
    /* the stack: 16-bit push/pop of registers, immediates, segments and flags on the 32-bit %ss */
    "c16_stack:\n"
    "  mov %esp, %edi\n  push %bx\n  pushl %ecx\n  push $0x77\n  push %ds\n  pushf\n  sub %esp, %edi\n"
    "  popf\n  pop %si\n  pop %dx\n  popl %ecx\n  pop %ax\n"
    "  data32 lret\n"
    /* near and far control flow inside the segment */
    "c16_flow:\n"
    "  mov $1, %ax\n  jmp 1f\n  inc %ax\n"
    "1: test %bx, %bx\n  jz 2f\n  add $2, %ax\n"
    "2: call c16_near\n"
    "  lcall $" "0xf" ", $(c16_far - c16_start)\n"
    "  ljmp $" "0xf" ", $(3f - c16_start)\n"
    "  hlt\n"
    "3: lcall *%cs:(c16_farptr - c16_start)\n"
    "  mov $(4f - c16_start), %si\n  jmp *%si\n  hlt\n"
    "4: mov $(c16_near - c16_start), %di\n  call *%di\n"
    "  mov $3, %cx\n5: add $0x100, %ax\n  loop 5b\n"
    "  data32 call c16_near32\n"
    "  data32 lret\n"
    "c16_near:\n  add $0x10, %ax\n  ret\n"
    "c16_near32:\n  add $0x1000, %ax\n  data32 ret\n"
    "c16_far:\n  add $0x20, %ax\n  lret\n"
    "c16_farptr:\n  .short c16_far - c16_start, 0xf\n"
    /* 16-bit addressing through a 16-bit data segment: moves, ALU, string ops with si/di/cx, xlat */
    "c16_mem:\n"
    "  push %ds\n  push %es\n  mov $" "0x1f" ", %ax\n  mov %ax, %ds\n  mov %ax, %es\n"
    "  mov $4, %bx\n  mov $8, %si\n  movw $0x5a5a, (%bx,%si)\n  addw $0x101, 2(%bx,%si)\n"
    "  mov 0x20, %eax\n  addr32 movl %eax, 0x24\n  movb (%bx), %cl\n"
    "  mov $0, %si\n  mov $0x40, %di\n  mov $5, %cx\n  cld\n  rep movsb\n"
    "  mov $0x10, %di\n  mov $0x3c, %al\n  mov $8, %cx\n  repne scasb\n"
    "  mov $0x20, %bx\n  mov $2, %al\n  xlat\n"
    "  mov $0xffff, %bx\n  mov 1(%bx), %dx\n"
    "  pop %es\n  pop %ds\n"
    "  data32 lret\n"
    /* far call from 16-bit code to the based 32-bit segment and a 16-bit far return from it */
    "c16_to32:\n"
    "  mov $5, %ax\n  lcall $" "0x17" ", $(c32_entry - c32_start)\n  add $0x300, %ax\n"
    "  data32 lret\n"
    /* a fault and a trap in 16-bit code: the handler steps over them and sigreturns here */
    "c16_fault:\n"
    "  mov $7, %ax\n  hlt\n  inc %ax\n  ud2\n  inc %ax\n  int3\n  inc %ax\n"
    "  data32 lret\n"
    "c16_end:\n"
    ".code32\n"
    /* 32-bit code with a base: offsets from c32_start */
    "c32_start:\n"
    "c32_entry:\n  add $0x40, %eax\n  call 1f\n  lretw\n"
    "1: add $0x80000, %eax\n  ret\n"
    /* from flat code, a far call here returns with a 32-bit lret */
    "c32_fromflat:\n"
    "  mov $0x11, %eax\n  call 1b\n  lea 0x10(%ebx), %edx\n  lret\n"
    "c32_end:\n"
    /* mov (offsets 0-4), add (5-7), lret (8): a limit cuts it before, across or after each */
    "cl_start:\n  mov $1, %eax\n  add $2, %eax\n  lret\n"
    ".popsection\n");

extern char c16_start[], c16_end[], c32_start[], c32_end[], cl_start[];
extern char c16_basic[], c16_stack[], c16_flow[], c16_mem[], c16_to32[], c16_fault[], c32_fromflat[];

static unsigned char data16[0x10000];

static void ldt_entry(int entry, void *base, unsigned limit, int s32, int contents) {
  struct user_desc u = { .entry_number = entry, .base_addr = (unsigned)base, .limit = limit, .seg_32bit = s32,
                         .contents = contents, .useable = 1 };
  if (syscall(SYS_modify_ldt, 1, &u, sizeof u) != 0) perror("modify_ldt");
}

static volatile int sigs;
static sigjmp_buf flat_env;
static volatile unsigned flat_esp;

/* in the 16-bit segment: steps over the faulting instruction (its length from the opcode) and returns
   into it; in flat code (16-bit near branches): back to the case, with the stack pointer at the fault */
static void handler(int sig, siginfo_t *si, void *p) {
  ucontext_t *uc = p;
  greg_t *g = uc->uc_mcontext.gregs;
  printf("  signal %d code %d addr %#lx at %04x:%04x trapno %d", sig, si->si_code, (unsigned long)si->si_addr,
         (unsigned)g[REG_CS] & 0xffff, (unsigned)g[REG_EIP], (int)g[REG_TRAPNO]);
  if ((g[REG_CS] & 0xffff) != SEL(CODE16)) {
    flat_esp = g[REG_ESP];
    printf("\n");
    siglongjmp(flat_env, 1);
  }
  unsigned char op = *(unsigned char *)(c16_start + g[REG_EIP]);
  if (sig != SIGTRAP) g[REG_EIP] += op == 0x0f ? 2 : 1;
  printf(" -> %04x\n", (unsigned)g[REG_EIP]);
  sigs++;
}

struct regs { unsigned eax, ebx, ecx, edx, esi, edi, ebp, flags; };
struct regs res;
unsigned farptr[2];

/* lcall to sel:off with fixed registers; the callee's registers and flags after it */
static struct regs far_call(unsigned sel, unsigned off) {
  farptr[0] = off;
  farptr[1] = sel;
  asm volatile("push %%ebp\n\t"
               "mov $0x11110000, %%eax\n\tmov $0x22220000, %%ebx\n\tmov $0x3333fffe, %%ecx\n\tmov $0x44440003, %%edx\n\t"
               "mov $0x55550002, %%esi\n\tmov $0x66660001, %%edi\n\tmov $0x77770000, %%ebp\n\t"
               "lcall *farptr\n\t"
               "mov %%eax, res\n\tmov %%ebx, res+4\n\tmov %%ecx, res+8\n\tmov %%edx, res+12\n\t"
               "mov %%esi, res+16\n\tmov %%edi, res+20\n\tmov %%ebp, res+24\n\tpushf\n\tpopl res+28\n\t"
               "pop %%ebp"
               :
               :
               : "eax", "ebx", "ecx", "edx", "esi", "edi", "memory", "cc");
  return res;
}

static void report(const char *name, unsigned sel, char *entry) {
  struct regs r = far_call(sel, entry - (sel == SEL(CODE32) ? c32_start : c16_start));
  printf("%-8s eax=%08x ebx=%08x ecx=%08x edx=%08x esi=%08x edi=%08x ebp=%08x flags=%08x\n", name, r.eax, r.ebx, r.ecx,
         r.edx, r.esi, r.edi, r.ebp, r.flags & 0x8d5);
}

/* A 32-bit code segment whose limit cuts its code: an instruction not wholly within it is #GP when it
   runs (back to the flat segment from the handler); the limit lowered again after a higher one */
static void code_limit(unsigned limit) {
  ldt_entry(CODE32L, cl_start, limit, 1, MODIFY_LDT_CONTENTS_CODE);
  printf("limit %u:", limit);
  if (sigsetjmp(flat_env, 1) == 0) printf(" eax=%08x\n", far_call(SEL(CODE32L), 0).eax);
}

/* 16-bit near branches in flat 32-bit code: IP is the target's low 16 bits (a page no program maps), and
   call/ret push and pop 2 bytes */
static void flat16(const char *name, void (*body)(void)) {
  static unsigned esp;
  asm volatile("mov %%esp, %0" : "=m"(esp));
  printf("%s:", name);
  if (sigsetjmp(flat_env, 1) == 0) body();
  printf("  esp moved %d\n", (int)(flat_esp - esp));
}
static void callw(void) { asm volatile(".byte 0x66, 0xe8, 0x00, 0x10" ::: "memory"); }
static void retw(void) { asm volatile("pushw $0x1234\n\tretw" ::: "memory"); }
static void jmpw(void) { asm volatile("mov $0x87654321, %%eax\n\tjmpw *%%ax" ::: "eax", "memory"); }
static void callw_mem(void) { static unsigned short t = 0x4321; asm volatile("callw *%0" : : "m"(t) : "memory"); }

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  ldt_entry(CODE16, c16_start, c16_end - c16_start - 1, 0, MODIFY_LDT_CONTENTS_CODE);
  ldt_entry(CODE32, c32_start, c32_end - c32_start - 1, 1, MODIFY_LDT_CONTENTS_CODE);
  ldt_entry(DATA16, data16, sizeof data16 - 1, 0, MODIFY_LDT_CONTENTS_DATA);
  for (int i = 0; i < 0x100; i++) data16[i] = i * 7 + 3;
  data16[0xffff] = 0x99;
  struct sigaction sa = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO };
  sigaction(SIGSEGV, &sa, NULL);
  sigaction(SIGILL, &sa, NULL);
  sigaction(SIGTRAP, &sa, NULL);

  report("basic", SEL(CODE16), c16_basic);
  report("stack", SEL(CODE16), c16_stack);
  report("flow", SEL(CODE16), c16_flow);
  report("mem", SEL(CODE16), c16_mem);
  printf("data16:");
  for (int i = 0; i < 0x50; i++) printf(" %02x", data16[i]);
  printf("\n");
  report("to32", SEL(CODE16), c16_to32);
  report("fromflat", SEL(CODE32), c32_fromflat);
  report("fault", SEL(CODE16), c16_fault);
  static const unsigned limits[] = { 2, 4, 6, 7, 8, 4, 0 };
  for (unsigned i = 0; i < sizeof limits / sizeof limits[0]; i++) code_limit(limits[i]);
  printf("signals %d\n", sigs);
  flat16("callw", callw);
  flat16("retw", retw);
  flat16("jmpw", jmpw);
  flat16("callw *m", callw_mem);
  return 0;
}
