/* A 16-bit stack segment (modify_ldt's data segment with B clear, 64 KiB) in %ss: every implicit stack
   access uses SP, which wraps between 0 and 0xffff, and updates only SP (ESP's upper half stays, set
   here to 0xabcd): push/pop of registers, immediates and memory, call/ret (and ret $n wrapping), enter
   and leave, pushf/popf, pusha/popa, lcall/lret. Each case runs in flat 32-bit code with %ss switched
   to the 16-bit segment and back; it prints ESP and EBP after it, the registers it set and the last 32
   bytes of the stack segment. Build: gcc -m32 -static -O1. Natively and under dbtlab the output must be
   identical. */
#define _GNU_SOURCE
#include <asm/ldt.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define SEL(n) (((n) << 3) | 7)
#define STACK16 1

static unsigned char stack16[0x10000] __attribute__((aligned(4096)));
unsigned saved_esp, saved_ss, sel16 = SEL(STACK16), out[8];

/* runs BODY with %ss = the 16-bit segment and %esp = ESP0, %ebp = EBP0; out[] = esp, ebp, eax, ebx,
   ecx, edx, esi, edi after it */
#define CASE(name, esp0, ebp0, body)                                                                           \
  static void name(void) {                                                                                     \
    asm volatile("push %%ebp\n\tmov %%esp, saved_esp\n\tmov %%ss, saved_ss\n\t"                                \
                 "mov $0x1111, %%eax\n\tmov $0x2222, %%ebx\n\tmov $0x3333, %%ecx\n\tmov $0x4444, %%edx\n\t"     \
                 "mov $0x5555, %%esi\n\tmov $0x6666, %%edi\n\tmov $" #ebp0 ", %%ebp\n\tadd $0, %%eax\n\t"      \
                 "mov sel16, %%ss\n\tmov $" #esp0 ", %%esp\n\t" body "\n\t"                                        \
                 "mov %%esp, out\n\tmov %%ebp, out+4\n\tmov %%eax, out+8\n\tmov %%ebx, out+12\n\t"             \
                 "mov %%ecx, out+16\n\tmov %%edx, out+20\n\tmov %%esi, out+24\n\tmov %%edi, out+28\n\t"        \
                 "mov saved_ss, %%ss\n\tmov saved_esp, %%esp\n\tpop %%ebp"                                     \
                 :                                                                                             \
                 :                                                                                             \
                 : "eax", "ebx", "ecx", "edx", "esi", "edi", "memory", "cc");                                  \
  }

CASE(push_pop, 0xabcd0000, 0, "pushl $0x11223344\n\tpushw $0x5566\n\tpush %%eax\n\tpushw %%bx\n\tpopl %%ecx\n\tpopw %%dx\n\tpopw %%si\n\tpop %%edi")
CASE(push_wrap_only, 0xabcd0000, 0, "pushl $0x778899aa\n\tpushw $0x1234")
CASE(pop_wrap, 0xabcdfffc, 0, "pop %%eax\n\tpopw %%bx")
CASE(push_mem, 0xabcd0002, 0, "pushw saved_ss\n\tpopl %%ecx\n\tpushl saved_ss\n\tpopw out+28\n\tmovw out+28, %%si")
CASE(call_ret, 0xabcd0000, 0, "call 1f\n\tjmp 2f\n1: mov %%esp, %%esi\n\tret\n2: call 3f\n3: pop %%edx\n\tsub $3b, %%edx")
CASE(ret_imm, 0xabcdfff8, 0, "push $1f\n\tret $0x10\n1: mov %%esp, %%esi")
CASE(enter_leave, 0xabcd0004, 0x9999aaaa, "enter $8, $0\n\tmov %%esp, %%esi\n\tmov %%ebp, %%edi\n\tleave")
CASE(enter_nest, 0xabcd0008, 0x99990010, "enter $4, $2\n\tmov %%esp, %%esi\n\tmov %%ebp, %%edi\n\tleave")
CASE(enterw, 0xabcd0002, 0x9999bbbb, "enterw $6, $1\n\tmov %%esp, %%esi\n\tmov %%ebp, %%edi\n\tleavew")
CASE(leave_wrap, 0xabcd4000, 0x8888fffc, "leave")
CASE(pushf_popf, 0xabcd0000, 0, "pushfl\n\tpushfw\n\tpopw %%ax\n\tpopfl\n\tmov %%esp, %%esi")
CASE(pusha_popa, 0xabcd0000, 0x7777, "pushal\n\tmov %%esp, %%esi\n\tmov $0, %%eax\n\tpopal")
CASE(pushaw_popaw, 0xabcd0008, 0x7777, "pushaw\n\tmov %%esp, %%esi\n\tmov $0, %%eax\n\tpopaw")
CASE(lcall_lret, 0xabcd0004, 0, "lcall $0x23, $1f\n\tjmp 2f\n1: mov %%esp, %%esi\n\tlret\n2:")
CASE(lret_imm, 0xabcdfff4, 0, "mov %%cs, %%eax\n\tpush %%eax\n\tpush $1f\n\tlret $0x10\n1:")

static void ldt_entry(int entry, void *base, unsigned limit, int s32, int contents) {
  struct user_desc u = { .entry_number = entry, .base_addr = (unsigned)base, .limit = limit, .seg_32bit = s32,
                         .contents = contents, .useable = 1 };
  if (syscall(SYS_modify_ldt, 1, &u, sizeof u) != 0) perror("modify_ldt");
}

static void run(const char *name, void (*f)(void)) {
  memset(stack16, 0xee, sizeof stack16);
  memset(stack16, 0xdd, 32);
  f();
  printf("%-12s esp=%08x ebp=%08x eax=%08x ebx=%08x ecx=%08x edx=%08x esi=%08x edi=%08x\n  top:", name, out[0], out[1],
         out[2], out[3], out[4], out[5], out[6], out[7]);
  for (int i = 0xffe0; i < 0x10000; i++) printf(" %02x", stack16[i]);
  printf("\n  bottom:");
  for (int i = 0; i < 16; i++) printf(" %02x", stack16[i]);
  printf("\n");
}

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  ldt_entry(STACK16, stack16, 0xffff, 0, MODIFY_LDT_CONTENTS_DATA);
  run("push/pop", push_pop);
  run("push wrap", push_wrap_only);
  run("pop wrap", pop_wrap);
  run("push/pop m", push_mem);
  run("call/ret", call_ret);
  run("ret $n", ret_imm);
  run("enter/leave", enter_leave);
  run("enter $4,$2", enter_nest);
  run("enterw", enterw);
  run("leave wrap", leave_wrap);
  run("pushf/popf", pushf_popf);
  run("pusha/popa", pusha_popa);
  run("pushaw/popaw", pushaw_popaw);
  run("lcall/lret", lcall_lret);
  run("lret $n", lret_imm);
  return 0;
}
