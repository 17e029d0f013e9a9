/* Near branches against the code segment's limit, and the instruction pointer in 16-bit code segments.
   A near jmp/call/jcc/loop/ret (direct, indirect through a register or memory, 66-prefixed) whose target
   lies past %cs's limit is #GP at the branch itself (eip = the branch; call has not pushed, ret has not
   popped); a target within the limit whose instruction runs past it is #GP at the target; a branch not
   taken does not fault; a far transfer (lcall, ljmp, lret) to an offset past the new segment's limit is
   #GP at the transfer, in the old %cs. 16-bit code (D clear): IP wraps at 0xffff for rel8/rel16 branches, loop and the
   return address call pushes; sequential execution and 66-prefixed rel32 branches are not wrapped (a
   limit above 0xffff reaches offsets past 64 KiB). Each case is a far call from flat code; a fault
   prints the signal, si_code, si_addr, cs:eip, trapno, how far the stack pointer moved and ecx.
   Build: gcc -m32 -static -O1. Natively and under dbtlab the output must be identical. */
#define _GNU_SOURCE
#include <asm/ldt.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#define SEL(n) (((n) << 3) | 7)
#define CB 1 /* 32-bit code: base cb_start, the limit each case sets */
#define CB16 2 /* 16-bit code over buffer a (64 KiB), limit 0xffff or less */
#define CBIG 3 /* 16-bit code over buffer b (128 KiB), the limit each case sets */

/* Each entry branches to cb_far; entries whose branch is not taken (or a within-limit run) return with
   lret. The loop forms sit last: rel8 must reach cb_far. */
asm(".pushsection .text.cbranch, \"ax\"\n"
    "cb_start:\n"
    "cb_jmp:   mov $1, %eax\n  jmp cb_far\n"
    "cb_jmp32: mov $2, %eax\n  .byte 0xe9\n  .long cb_far - (. + 4)\n"
    "cb_call:  mov $3, %eax\n  call cb_far\n  lret\n"
    "cb_jz:    xor %eax, %eax\n  jz cb_far\n  lret\n"
    "cb_jnz:   xor %eax, %eax\n  jnz cb_far\n  mov $4, %eax\n  lret\n"
    "cb_jmpr:  mov $(cb_far - cb_start), %eax\n  jmp *%eax\n"
    "cb_callr: mov $(cb_far - cb_start), %eax\n  call *%eax\n  lret\n"
    "cb_jmpm:  mov $5, %eax\n  jmp *cb_ptr\n"
    "cb_callm: mov $6, %eax\n  call *cb_ptr\n  lret\n"
    "cb_ret:   push $(cb_far - cb_start)\n  mov $7, %eax\n  ret\n"
    "cb_reti:  push $(cb_far - cb_start)\n  mov $8, %eax\n  ret $8\n"
    "cb_jmpw:  mov $9, %eax\n  .byte 0x66, 0xe9\n  .word cb_far - (. + 2)\n"
    "cb_callw: mov $10, %eax\n  .byte 0x66, 0xe8\n  .word cb_far - (. + 2)\n  lret\n"
    "cb_retw:  pushw $(cb_far - cb_start)\n  mov $11, %eax\n  retw\n"
    "cb_loop:  mov $3, %ecx\n  loop cb_far\n  lret\n"
    "cb_loopz: mov $3, %ecx\n  xor %eax, %eax\n  loopnz cb_far\n  mov $12, %eax\n  lret\n"
    "cb_jecxz: xor %ecx, %ecx\n  jecxz cb_far\n  lret\n"
    "cb_far:   add $0x99000000, %eax\n  lret\n"
    "cb_end:\n"
    ".popsection\n");

extern char cb_start[], cb_far[], cb_end[];
extern char cb_jmp[], cb_jmp32[], cb_call[], cb_jz[], cb_jnz[], cb_jmpr[], cb_callr[], cb_jmpm[], cb_callm[], cb_ret[],
    cb_reti[], cb_jmpw[], cb_callw[], cb_retw[], cb_loop[], cb_loopz[], cb_jecxz[];
unsigned cb_ptr;

static void ldt_entry(int entry, void *base, unsigned limit, int s32, int contents) {
  struct user_desc u = { .entry_number = entry, .base_addr = (unsigned)base, .limit = limit, .seg_32bit = s32,
                         .contents = contents, .useable = 1 };
  if (syscall(SYS_modify_ldt, 1, &u, sizeof u) != 0) perror("modify_ldt");
}

static sigjmp_buf back;
static volatile unsigned fault_esp;

static void handler(int sig, siginfo_t *si, void *p) {
  greg_t *g = ((ucontext_t *)p)->uc_mcontext.gregs;
  fault_esp = g[REG_ESP];
  printf(" signal %d code %d addr %#lx at %04x:%04x trapno %d ecx=%08x", sig, si->si_code, (unsigned long)si->si_addr,
         (unsigned)g[REG_CS] & 0xffff, (unsigned)g[REG_EIP], (int)g[REG_TRAPNO], (unsigned)g[REG_ECX]);
  siglongjmp(back, 1);
}

unsigned farptr[2];
unsigned res_eax, res_ebx;
volatile unsigned entry_esp;

/* lcall sel:off with eax, ebx, ecx set; prints eax/ebx after it, or the fault and the stack pointer's move
   since the lcall (-8 at entry) */
static void far_case(const char *name, unsigned sel, unsigned off) {
  printf("%-8s", name);
  farptr[0] = off;
  farptr[1] = sel;
  if (sigsetjmp(back, 1) == 0) {
    asm volatile("push %%ebp\n\tmov %%esp, entry_esp\n\t"
                 "mov $0x11110000, %%eax\n\tmov $0x22220000, %%ebx\n\tmov $0x33330005, %%ecx\n\t"
                 "lcall *farptr\n\t"
                 "mov %%eax, res_eax\n\tmov %%ebx, res_ebx\n\tpop %%ebp"
                 :
                 :
                 : "eax", "ebx", "ecx", "edx", "esi", "edi", "memory", "cc");
    printf(" eax=%08x ebx=%08x\n", res_eax, res_ebx);
  } else
    printf(" esp moved %d\n", (int)(fault_esp - entry_esp));
}

/* ljmp and lret to sel:off past its segment's limit (they fault: nothing comes back) */
static void far_past(unsigned sel, unsigned off) {
  farptr[0] = off;
  farptr[1] = sel;
  printf("ljmp    ");
  if (sigsetjmp(back, 1) == 0)
    asm volatile("push %%ebp\n\tmov %%esp, entry_esp\n\tmov $0x33330005, %%ecx\n\tljmp *farptr" ::: "ecx", "memory");
  printf(" esp moved %d\n", (int)(fault_esp - entry_esp));
  printf("lret    ");
  if (sigsetjmp(back, 1) == 0)
    asm volatile("push %%ebp\n\tmov %%esp, entry_esp\n\tmov $0x33330005, %%ecx\n\tpushl farptr+4\n\tpushl farptr\n\tlret" ::: "ecx",
                 "memory");
  printf(" esp moved %d\n", (int)(fault_esp - entry_esp));
}

static unsigned char *a16, *b16;

/* bytes at offset off of a 16-bit code buffer */
static void put(unsigned char *buf, unsigned off, const char *bytes, unsigned n) { memcpy(buf + off, bytes, n); }

int main(void) {
  setvbuf(stdout, NULL, _IONBF, 0);
  struct sigaction sa = { .sa_sigaction = handler, .sa_flags = SA_SIGINFO | SA_NODEFER };
  sigaction(SIGSEGV, &sa, NULL);
  sigaction(SIGBUS, &sa, NULL);

  /* near branches in a 32-bit segment: cb_far past the limit, at it (its add runs past it), within */
  struct { const char *name; char *entry; } cases[] = {
    { "jmp", cb_jmp }, { "jmp32", cb_jmp32 }, { "call", cb_call }, { "jz", cb_jz }, { "jnz", cb_jnz },
    { "jmp *r", cb_jmpr }, { "call *r", cb_callr }, { "jmp *m", cb_jmpm }, { "call *m", cb_callm }, { "ret", cb_ret },
    { "ret $8", cb_reti }, { "jmpw", cb_jmpw }, { "callw", cb_callw }, { "retw", cb_retw }, { "loop", cb_loop },
    { "loopnz", cb_loopz }, { "jecxz", cb_jecxz },
  };
  cb_ptr = cb_far - cb_start;
  const unsigned far = cb_far - cb_start, end = cb_end - cb_start - 1;
  const unsigned limits[] = { far - 1, far, end, far - 1 };
  for (unsigned l = 0; l < sizeof limits / sizeof limits[0]; l++) {
    ldt_entry(CB, cb_start, limits[l], 1, MODIFY_LDT_CONTENTS_CODE);
    printf("limit %#x (target %#x):\n", limits[l], far);
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) far_case(cases[i].name, SEL(CB), cases[i].entry - cb_start);
  }

  /* 16-bit code over 64 KiB: rel16/rel8/loop/call wrapping IP at 0xffff, a 66-prefixed rel32 past 0xffff */
  a16 = mmap(NULL, 0x10000, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  b16 = mmap(NULL, 0x20000, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  memset(a16, 0xf4, 0x10000); /* hlt */
  memset(b16, 0xf4, 0x20000);
  put(a16, 0x0000, "\xe9\xed\xff", 3);                 /* jmp 0xfff0 (wraps down) */
  put(a16, 0xfff0, "\xb8\x55\x00\xe9\x0a\x01", 6);     /* mov $0x55,%ax; jmp 0x0100 (wraps up) */
  put(a16, 0x0100, "\x66\xcb", 2);                     /* lretl */
  put(a16, 0xfffa, "\xeb\x10", 2);                     /* jmp 0x000c (rel8, wraps) */
  put(a16, 0x000c, "\xb0\x44\x66\xcb", 4);             /* mov $0x44,%al; lretl */
  put(a16, 0xfffd, "\xe8\x00\x03", 3);                 /* call 0x0300: pushes IP 0x0000 */
  put(a16, 0x0300, "\x5b\x66\xcb", 3);                 /* pop %bx; lretl */
  put(a16, 0x0010, "\xb9\x02\x00\xe2\xcb", 5);         /* mov $2,%cx; loop 0xffe0 (wraps) */
  put(a16, 0xffe0, "\xb0\x22\x66\xcb", 4);             /* mov $0x22,%al; lretl */
  put(a16, 0x0400, "\x66\xe9\x0a\xfc\x00\x00", 6);     /* jmpl 0x10010: past 0xffff */
  put(a16, 0x0500, "\x66\xe8\x0a\xfb\x00\x00", 6);     /* calll 0x10010 */
  put(a16, 0x0600, "\x66\x68\x10\x00\x01\x00\x66\xc3", 8); /* pushl $0x10010; retl */
  put(a16, 0x0700, "\xe9\xfd\xf8", 3);                 /* jmp 0x0000 (rel16): within */
  struct { const char *name; unsigned off; } w[] = {
    { "jmp wrap", 0 }, { "jmp8", 0xfffa }, { "call", 0xfffd }, { "loop", 0x10 }, { "jmpl", 0x400 },
    { "calll", 0x500 }, { "retl", 0x600 }, { "jmp 0", 0x700 },
  };
  const unsigned wl[] = { 0xffff, 0xfff0, 0x0fff };
  for (unsigned l = 0; l < sizeof wl / sizeof wl[0]; l++) {
    ldt_entry(CB16, a16, wl[l], 0, MODIFY_LDT_CONTENTS_CODE);
    printf("16-bit limit %#x:\n", wl[l]);
    for (unsigned i = 0; i < sizeof w / sizeof w[0]; i++) far_case(w[i].name, SEL(CB16), w[i].off);
    if (wl[l] < 0xfffa) far_past(SEL(CB16), 0xfffa);
  }

  /* 16-bit code over 128 KiB: sequential execution past 0xffff, and 66-prefixed branches there */
  put(b16, 0xfffe, "\x90\x90", 2);                     /* nop; nop; then 0x10000 */
  put(b16, 0x10000, "\xb0\x11\x66\xcb", 4);            /* mov $0x11,%al; lretl */
  put(b16, 0x0000, "\xb0\x33\x66\xcb", 4);             /* (what a wrap would reach) */
  put(b16, 0x0400, "\x66\xe9\xfa\xfb\x00\x00", 6);     /* jmpl 0x10000 */
  put(b16, 0x0500, "\xe9\xfd\xfa", 3);                 /* jmp 0x0000 (rel16) */
  put(b16, 0x10010, "\xe9\xed\xff", 3);                /* jmp rel16 from past 0xffff: 0x10013 - 0x13 = 0x0000 */
  struct { const char *name; unsigned off; } s[] = {
    { "seq", 0xfffe }, { "jmpl", 0x400 }, { "jmp", 0x500 }, { "jmp16>", 0x10010 },
  };
  const unsigned bl[] = { 0x1ffff, 0xffff, 0x10001 };
  for (unsigned l = 0; l < sizeof bl / sizeof bl[0]; l++) {
    ldt_entry(CBIG, b16, bl[l], 0, MODIFY_LDT_CONTENTS_CODE);
    printf("16-bit big limit %#x:\n", bl[l]);
    for (unsigned i = 0; i < sizeof s / sizeof s[0]; i++) far_case(s[i].name, SEL(CBIG), s[i].off);
  }
  return 0;
}
