/* Special-instruction forms in x86-64 mode under a SA_SIGINFO handler: what the CPU and the kernel give
   (signal, si_code, the fault's rip relative to the form) or the registers, flags and memory it leaves.
   monitor/mwait, RTM, PKU, 3DNow!, 0f 0d prefetch hints, clflush, movnti, cmpxchg8b/cmpxchg16b (every
   outcome and alignment), fxsave/fxsave64/fxrstor64 (FIP/FDP/FOP, XMM8-15), xlat, int n, privileged forms. Built -m64 and run natively and through both
   runtimes by special-forms.test.ts. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile int got_sig, got_code;
static volatile unsigned long got_rip, got_err;

static void handler(int sig, siginfo_t *si, void *uc) {
  got_sig = sig; got_code = si->si_code;
  got_rip = ((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP];
  got_err = ((ucontext_t *)uc)->uc_mcontext.gregs[REG_ERR];
  siglongjmp(env, 1);
}

static void report(const char *name, const char *at) {
  if (got_sig) printf("%-14s sig %2d code %3d rip %+ld\n", name, got_sig, got_code, (long)(got_rip - (unsigned long)at));
  else printf("%-14s ok\n", name);
}

/* a form that only faults or not: rax points at a readable buffer, rcx/rdx are zero */
#define CASE(name, insn, ptr) do { \
    extern char name##_at[]; got_sig = 0; \
    if (!sigsetjmp(env, 1)) { __asm__ volatile("movq %0, %%rax; xorl %%ecx, %%ecx; xorl %%edx, %%edx\n.globl " #name "_at\n" #name "_at: " insn "\n" :: "r"((const void *)(ptr)) : "memory", "rax", "rcx", "rdx"); } \
    report(#name, name##_at); \
  } while (0)

static unsigned char buf[256] __attribute__((aligned(64)));
static unsigned char img[512] __attribute__((aligned(16)));

/* an fxsave image: the header (FOP, FIP, FDP and selectors included), ST0, XMM8 and XMM15, and which bytes past XMM15 were written */
static void dumpImage(const char *name) {
  printf("%s:", name);
  for (int i = 0; i < 48; i++) printf("%s%02x", i % 4 ? "" : " ", img[i]);
  int written = 0;
  for (int i = 416; i < 512; i++) written += img[i] != 0xaa;
  printf(" | %02x%02x %02x%02x | past %d\n", img[288], img[295], img[400], img[415], written);
}

/* far transfers and segment loads with selector sel (%1, also in %rbx): the fault with its error code, or
   the stack pointer's change and what the transfer left in far_seen */
static struct { unsigned off; unsigned short sel; } __attribute__((packed)) far32;
static volatile unsigned long far_seen;
#define FAR(name, sel, insn) do { \
    extern char name##_at[]; got_sig = 0; far_seen = 0; unsigned long d; \
    if (!sigsetjmp(env, 1)) { __asm__ volatile("movq %%rsp, %%r12\n.globl " #name "_at\n" #name "_at: " insn "\n2: subq %%rsp, %%r12; movq %%r12, %0" : "=r"(d) : "b"((unsigned long)(sel)) : "memory", "rax", "rcx", "r12", "cc"); } \
    if (got_sig) printf("%-8s %02x sig %d code %d err %lx rip %+ld\n", #name, sel, got_sig, got_code, got_err, (long)(got_rip - (unsigned long)name##_at)); \
    else printf("%-8s %02x ok rsp %+ld seen %lx\n", #name, sel, (long)d, far_seen); \
  } while (0)

static const uint64_t VALS[] = { 0, 1, 0xffffffff, 0x100000000, 0x123456789abcdef0, 0xfedcba9876543210, 0x8000000000000000, 0xffffffffffffffff };
#define NV (sizeof VALS / sizeof VALS[0])

/* What Linux itself gives a 64-bit process (argv[1] "kernel": the kernel VM is the oracle, this host
   kernel has neither UMIP nor ia32 emulation): sgdt/sidt/sldt/str/smsw as its UMIP emulation answers
   them, every operand size (a 32-bit register keeps its upper half: the kernel copies 4 bytes), and
   int $0x80's i386 system calls. */
static int kernel_part(void) {
  unsigned char b[12];
  unsigned long r;
#define UMIP(name, insn) do { \
    memset(b, 0xaa, sizeof b); r = 0x1111111111111111; \
    __asm__ volatile(insn : "+a"(r) : "D"(b) : "memory"); \
    printf("%-6s %016lx", name, r); for (unsigned i = 0; i < sizeof b; i++) printf("%s%02x", i ? "" : " ", b[i]); printf("\n"); \
  } while (0)
  UMIP("sgdt", "sgdt (%%rdi)"); UMIP("sidt", "sidt (%%rdi)"); UMIP("sgdtw", "data16 sgdt (%%rdi)");
  UMIP("sldtq", ".byte 0x48, 0x0f, 0x00, 0xc0"); UMIP("sldtl", "sldt %%eax"); UMIP("sldtw", "sldt %%ax"); UMIP("sldtm", "sldt (%%rdi)");
  UMIP("strq", ".byte 0x48, 0x0f, 0x00, 0xc8"); UMIP("strl", "str %%eax"); UMIP("strw", "str %%ax"); UMIP("strm", "str (%%rdi)");
  UMIP("smswq", "smsw %%rax"); UMIP("smswl", "smsw %%eax"); UMIP("smsww", "smsw %%ax"); UMIP("smswm", "smsw (%%rdi)");
  /* int $0x80 from 64-bit code: the i386 table, arguments in the low halves of ebx..ebp, the result
     sign-extended when an error, the other registers (r8-r11 included) kept */
  static const char msg[] = "int80 write\n";
  static struct { long nr, b, c, d, si, di, bp; } const I80[] = { /* c 1: msg */
    { 20, 0, 0, 0, 0, 0, 0 },                                       /* getpid */
    { 4, 0x100000001, 1, 12, 0, 0, 0 },                             /* write(1, msg, 12): fd's upper half dropped */
    { 4, 99, 1, 12, 0, 0, 0 },                                      /* write to a closed fd: -EBADF */
    { 0x100000004, 1, 1, 12, 0, 0, 0 },                             /* eax's upper half dropped */
    { 999, 0, 0, 0, 0, 0, 0 },                                      /* no such call: -ENOSYS */
    { 45, 0, 0, 0, 0, 0, 0 },                                       /* brk(0): the break, below 4 GiB */
    { 5, 0, 0, 0, 0, 0, 0 },                                        /* open(NULL): -EFAULT */
    { 27, 0, 0, 0, 0, 0, 0 },                                       /* alarm(0) */
  };
  for (unsigned i = 0; i < sizeof I80 / sizeof I80[0]; i++) {
    fflush(stdout);
    register long r8 __asm__("r8") = 0x0808080808080808, r9 __asm__("r9") = 0x0909, r10 __asm__("r10") = -10, r11 __asm__("r11") = 0x1111;
    long ax = I80[i].nr, bx = I80[i].b, cx = I80[i].c == 1 ? (long)msg : I80[i].c, dx = I80[i].d, si = I80[i].si, di = I80[i].di;
    __asm__ volatile("pushq %%rbp; movq %[bp], %%rbp; int $0x80; popq %%rbp" : "+a"(ax), "+b"(bx), "+c"(cx), "+d"(dx), "+S"(si), "+D"(di), "+r"(r8), "+r"(r9), "+r"(r10), "+r"(r11)
                     : [bp] "m"(I80[i].bp) : "memory", "cc");
    if (I80[i].nr == 20) ax = ax == getpid();
    if (I80[i].nr == 45) ax = ax > 0 && ax < 0x100000000;
    printf("int80 %lx: %lx | %lx %lx %lx %lx %lx | %lx %lx %lx %lx\n", I80[i].nr, ax, bx, cx == (long)msg ? 1 : cx, dx, si, di, r8, r9, r10, r11);
  }
  return 0;
}

int main(int argc, char **argv) {
  struct sigaction sa; memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = handler; sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  for (int s = 1; s < 32; s++) if (s != SIGKILL && s != SIGSTOP) sigaction(s, &sa, 0);
  if (argc > 1 && !strcmp(argv[1], "kernel")) return kernel_part();
  unsigned char *ro = mmap(0, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  CASE(monitor, ".byte 0x0f,0x01,0xc8", buf);
  CASE(salc, ".byte 0xd6", buf);
  CASE(mwait, ".byte 0x0f,0x01,0xc9", buf);
  CASE(xbegin, "xbegin 1f; 1:", buf);
  CASE(xend, "xend", buf);
  CASE(xabort, "xabort $1", buf);
  CASE(xtest, "xtest", buf);
  CASE(rdpkru, ".byte 0x0f,0x01,0xee", buf);
  CASE(wrpkru, ".byte 0x0f,0x01,0xef", buf);
  CASE(femms, "femms", buf);
  CASE(pf0, ".byte 0x0f,0x0d,0x00", buf);
  CASE(pf1, ".byte 0x0f,0x0d,0x08", buf);
  CASE(pf2, ".byte 0x0f,0x0d,0x10", buf);
  CASE(pf3, ".byte 0x0f,0x0d,0x18", buf);
  CASE(pf4, ".byte 0x0f,0x0d,0x60,0x10", buf);
  CASE(pf5, ".byte 0x0f,0x0d,0xa8,0x00,0x01,0x00,0x00", buf);
  CASE(pf6, ".byte 0x0f,0x0d,0x34,0x08", buf);
  CASE(pf7, ".byte 0x0f,0x0d,0x38", buf);
  CASE(pfnull, ".byte 0x0f,0x0d,0x00", 0);
  CASE(pfwnull, ".byte 0x0f,0x0d,0x08", 0);
  CASE(pfreg, ".byte 0x0f,0x0d,0xc0", buf);
  CASE(pfwreg, ".byte 0x0f,0x0d,0xc9", buf);
  CASE(clflush, "clflush (%%rax)", buf);
  CASE(clflushro, "clflush 8(%%rax)", ro);
  CASE(clflushnull, "clflush (%%rax)", 0);
  CASE(clflushhigh, "movabsq $0x7fff00000000, %%rax; clflush (%%rax)", buf);
  CASE(hlt, "hlt", buf);
  CASE(cli, "cli", buf);
  CASE(inb, "inb $0x80, %%al", buf);
  CASE(outdx, "movw $0x3f8, %%dx; outw %%ax, (%%dx)", buf);
  CASE(insb, "movw $0x3f8, %%dx; movq %%rax, %%rdi; insb (%%dx), %%es:(%%rdi)", buf);
  CASE(rdmsr, "rdmsr", buf);
  CASE(int_81, "int $0x81", buf);
  CASE(int_1, "int $1", buf);
  CASE(int_4, "int $4", buf);
  CASE(int_3, "int $3", buf);
  CASE(icebp, ".byte 0xf1", buf);
  CASE(ud0, "ud0 (%%rax), %%eax", buf);
  CASE(ud1, "ud1 (%%rax), %%eax", buf);
  CASE(sysenter, "sysenter", buf);
  CASE(sysexit, ".byte 0x0f,0x35", buf);
  CASE(lockcx16reg, ".byte 0xf0,0x48,0x0f,0xc7,0xc8", buf);
  CASE(cx16ro, "cmpxchg16b (%%rax)", ro);
  CASE(cx8ro, "cmpxchg8b 8(%%rax)", ro);
  CASE(movntiro, "movnti %%ecx, (%%rax)", ro);

  /* far jmp/call through m16:32 (this AMD CPU reads m16:32 even under REX.W, where Intel, whose
     model dbtlab announces, reads m16:64: left out), lret/lretq [$n], iretq (it pops rsp and %ss too)
     to the 64-bit code segment, data and null selectors, an RPL or DPL mismatch, TLS and LDT slots.
     A far transfer to the 32-bit code segment 0x23 is left out: this kernel has no ia32 emulation
     (it faults here) and dbtlab runs one mode per process (exit 125). */
  static const unsigned short FAR_SELS[] = { 0x33, 0x30, 0x2b, 0x3b, 0x13, 0, 0x63, 0x43, 0x7b, 0x84 };
  for (unsigned i = 0; i < sizeof FAR_SELS / sizeof FAR_SELS[0]; i++) {
    unsigned sel = FAR_SELS[i];
    FAR(ljmpl, sel, "leaq 2f(%%rip), %%rax; movl %%eax, far32(%%rip); movw %%bx, far32+4(%%rip); ljmpl *far32(%%rip)");
    FAR(lcalll, sel, "leaq 3f(%%rip), %%rax; movl %%eax, far32(%%rip); movw %%bx, far32+4(%%rip); lcalll *far32(%%rip); jmp 2f; 3: movq (%%rsp), %%rax; movq %%rax, far_seen(%%rip); lretl");
    FAR(lretq, sel, "pushq %%rbx; leaq 2f(%%rip), %%rax; pushq %%rax; lretq");
    FAR(lretq16, sel, "pushq $7; pushq $7; pushq %%rbx; leaq 2f(%%rip), %%rax; pushq %%rax; lretq $16");
    FAR(lretl, sel, "subq $8, %%rsp; movl %%ebx, 4(%%rsp); leaq 2f(%%rip), %%rax; movl %%eax, (%%rsp); lretl");
    FAR(iretqcs, sel, "movq %%rsp, %%rax; pushq $0x2b; pushq %%rax; pushfq; pushq %%rbx; leaq 2f(%%rip), %%rax; pushq %%rax; iretq");
    FAR(iretqss, sel, "movq %%rsp, %%rax; pushq %%rbx; pushq %%rax; pushfq; pushq $0x33; leaq 2f(%%rip), %%rax; pushq %%rax; iretq; 2: xorl %%eax, %%eax; movw %%ss, %%ax; movq %%rax, far_seen(%%rip); movw $0x2b, %%ax; movw %%ax, %%ss");
    FAR(lgs, sel, "movl $0x11223344, far32(%%rip); movw %%bx, far32+4(%%rip); movq $-1, %%rcx; lgs far32(%%rip), %%ecx; movw %%gs, %%ax; shlq $32, %%rcx; orq %%rax, %%rcx; movq %%rcx, far_seen(%%rip); xorl %%eax, %%eax; movw %%ax, %%gs");
    FAR(lssw, sel, "movw $0x5566, far32(%%rip); movw %%bx, far32+2(%%rip); movq $-1, %%rcx; lssw far32(%%rip), %%cx; movw %%ss, %%ax; shlq $32, %%rcx; orq %%rax, %%rcx; movq %%rcx, far_seen(%%rip); movw $0x2b, %%ax; movw %%ax, %%ss");
  }
  /* iretq's RFLAGS (status flags, DF, AC; IF stays set) and a new stack pointer */
  FAR(iretqfl, 0x33, "movq %%rsp, %%rax; subq $64, %%rax; pushq $0x2b; pushq %%rax; pushq $0x40ed7; pushq %%rbx; leaq 2f(%%rip), %%rax; pushq %%rax; iretq; 2: pushfq; popq %%rax; movq %%rax, far_seen(%%rip); cld; pushq $0x202; popfq; addq $64, %%rsp");
  /* lar/lsl/verr/verw on 64-bit selectors: register and memory operands of every size; a failure leaves all
     64 bits. lar's bits 19:16 are left out (the SDM's 00FxFF00H: this CPU gives the limit's, QEMU 0). Left
     out: 0x23 (absent from this kernel's GDT without ia32 emulation) and 0x7b (its limit is the CPU number). */
  for (unsigned s = 0; s < 0x80; s++) {
    if ((s | 3) == 0x23 || (s | 3) == 0x7b) continue;
    unsigned long r64 = 0xaaaaaaaabbbbbbbb, r32 = r64, l64 = r64, r16 = r64, m64 = r64;
    unsigned short m = s;
    unsigned char zr, zl, zvr, zvw;
    __asm__ volatile("lar %2, %0; setz %1" : "+r"(r64), "=q"(zr) : "r"((unsigned long)s));
    __asm__ volatile("lar %k1, %k0" : "+r"(r32) : "r"((unsigned long)s));
    __asm__ volatile("lar %w1, %w0" : "+r"(r16) : "r"((unsigned long)s));
    __asm__ volatile("lar %1, %0" : "+r"(m64) : "m"(m));
    __asm__ volatile("lsl %2, %0; setz %1" : "+r"(l64), "=q"(zl) : "m"(m));
    __asm__ volatile("verr %w1; setz %0" : "=q"(zvr) : "r"(s));
    __asm__ volatile("verw %1; setz %0" : "=q"(zvw) : "m"(m));
    if (zr || zl || zvr || zvw || s % 8 == 3)
      printf("sel %02x lar %d %016lx %016lx %016lx %016lx lsl %d %016lx verr %d verw %d\n", s, zr, zr ? r64 & ~0xf0000ul : r64, zr ? r32 & ~0xf0000ul : r32,
             r16, zr ? m64 & ~0xf0000ul : m64, zl, l64, zvr, zvw);
  }

  /* fxsave/fxsave64 without and with an unmasked x87 exception pending; fxrstor64 of an image */
  static const double one5 = 1.5, zero = 0.0;
  static const uint16_t unmaskZ = 0x37b;
  __asm__ volatile("movabsq $0x1122334455667788, %%rax; movq %%rax, %%xmm8; movq %%rax, %%xmm15" ::: "rax", "xmm8", "xmm15");
  memset(img, 0xaa, 512); __asm__ volatile("fninit; fldl %1; fxsave %0" : "=m"(img) : "m"(one5)); dumpImage("fxsave");
  memset(img, 0xaa, 512); __asm__ volatile("fninit; fldl %1; fsqrt; fxsave64 %0" : "=m"(img) : "m"(one5)); dumpImage("fxsave64");
  memset(img, 0xaa, 512); __asm__ volatile("fninit; fldcw %2; fldl %1; fdivl %3; fxsave64 %0; fnclex; fninit" : "=m"(img) : "m"(one5), "m"(unmaskZ), "m"(zero)); dumpImage("fxsave64 ES");
  memset(img, 0xaa, 512); __asm__ volatile("fninit; fldcw %2; fldl %1; fdivl %3; fxsave %0; fnclex; fninit" : "=m"(img) : "m"(one5), "m"(unmaskZ), "m"(zero)); dumpImage("fxsave ES");
  memset(img, 0xaa, 512); __asm__ volatile("fninit; fldl %1; fxsave64 %0" : "=m"(img) : "m"(one5));
  img[32] ^= 0x55; img[296] = 0x77; img[400] = 0x66;
  __asm__ volatile("fxrstor64 %0; fninit; fldl %1; fxsave64 %0; fxrstor64 %0; fxsave %0" : "+m"(img) : "m"(one5) : "xmm8", "xmm15");
  dumpImage("fxrstor64");
  for (int off = 0; off < 16; off += 4) {
    extern char fxal_at[];
    got_sig = 0;
    if (!sigsetjmp(env, 1)) __asm__ volatile("movq %0, %%rsi\n.globl fxal_at\nfxal_at: fxsave64 (%%rsi)" :: "r"(buf + off) : "memory", "rsi");
    char name[16]; snprintf(name, sizeof name, "fxsave64+%d", off);
    report(name, fxal_at);
  }

  /* shldw/shrdw by every count: 17-31 give the source rotated by count - 16 on this CPU (the SDM leaves it undefined) and its CF/OF; every flag (AF set at every nonzero count) */
  for (unsigned i = 0; i < NV; i++)
    for (unsigned c = 0; c < 32; c++) {
      uint64_t d = VALS[i], s = VALS[(i + 3) % NV] ^ 0x3d34, d2 = d;
      unsigned long fl, fl2;
      __asm__ volatile("shldw %%cl, %w4, %w0; pushfq; popq %1; shrdw %%cl, %w4, %w2; pushfq; popq %3" : "+&r"(d), "=&r"(fl), "+&r"(d2), "=&r"(fl2) : "r"(s), "c"(c) : "cc");
      unsigned long m = 0x8d5;
      printf("shld/shrdw %016lx %04lx %2u: %016lx %03lx %016lx %03lx\n", VALS[i], (unsigned long)(s & 0xffff), c, d, fl & m, d2, fl2 & m);
    }

  /* maskmovq/maskmovdqu next to a read-only page: this CPU checks the whole 8/16 bytes whatever the
     mask (a zero mask faults too) and stores nothing when it faults */
  {
    unsigned char *two = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    mprotect(two + 4096, 4096, PROT_READ);
    static const int offs[] = { -16, -12, -4, 0 };
    static const unsigned masks[] = { 0, 1, 0x0f00, 0xffff };
    for (int q = 0; q < 2; q++)
      for (int o = 0; o < 4; o++)
        for (int k = 0; k < 4; k++) {
          extern char mmq_at[], mmdq_at[];
          unsigned char mb[16];
          for (int i = 0; i < 16; i++) mb[i] = (masks[k] >> i) & 1 ? 0x80 : 0x7f;
          memset(two + 4096 - 16, 0x55, 16);
          got_sig = 0;
          if (!sigsetjmp(env, 1)) {
            if (q) __asm__ volatile("movdqu (%0), %%xmm1; pcmpeqb %%xmm0, %%xmm0; movq %1, %%rdi\n.globl mmdq_at\nmmdq_at: maskmovdqu %%xmm1, %%xmm0" :: "r"(mb), "r"(two + 4096 + offs[o]) : "rdi", "xmm0", "xmm1", "memory");
            else __asm__ volatile("movq (%0), %%mm1; pcmpeqb %%mm0, %%mm0; movq %1, %%rdi\n.globl mmq_at\nmmq_at: maskmovq %%mm1, %%mm0" :: "r"(mb), "r"(two + 4096 + offs[o]) : "rdi", "mm0", "mm1", "memory");
          }
          __asm__ volatile("emms");
          char name[24]; snprintf(name, sizeof name, "%s%+d/%04x", q ? "maskmovdqu" : "maskmovq", offs[o], masks[k]);
          report(name, q ? mmdq_at : mmq_at);
          for (int i = 0; i < 16; i++) printf("%02x", two[4096 - 16 + i]);
          printf("\n");
        }
  }

  /* movnti: 32- and 64-bit stores */
  for (unsigned i = 0; i < NV; i++) {
    uint64_t m[2] = { 0x5555555555555555, 0x5555555555555555 };
    __asm__ volatile("movnti %k1, (%0); movnti %1, 8(%0)" :: "r"(m), "r"(VALS[i]) : "memory");
    printf("movnti %016lx -> %016lx %016lx\n", VALS[i], m[0], m[1]);
  }
  /* xlat with rbx above 4 bytes of table, AL from each value */
  for (unsigned i = 0; i < 256; i += 37) buf[i] = (unsigned char)(i * 7 + 3);
  for (unsigned i = 0; i < NV; i++) {
    uint64_t rax = VALS[i] & ~0xffull ? VALS[i] & ~0xe0ull : VALS[i], out;
    __asm__ volatile("xlat" : "=a"(out) : "a"(rax), "b"(buf) : "memory");
    printf("xlat %016lx -> %016lx\n", rax, out);
  }
  /* cmpxchg8b / cmpxchg16b: equal and unequal halves, upper halves of rax/rdx, the flags, every alignment */
  for (unsigned i = 0; i < NV; i++)
    for (unsigned j = 0; j < NV; j++) {
      uint64_t mem[2] = { VALS[i] ^ (j & 1 ? 0 : 0xffffffff00000000), VALS[j] };
      uint64_t rax = VALS[i], rdx = (uint32_t)VALS[j] | (VALS[i] << 32), rbx = VALS[(i + 3) % NV], rcx = VALS[(j + 5) % NV];
      unsigned long fl;
      uint64_t *m8 = (uint64_t *)mem;
      uint32_t cmp[2] = { (uint32_t)mem[0], (uint32_t)(mem[0] >> 32) };
      if (j & 2) { rax = cmp[0] | (rax & ~0xffffffffull); rdx = cmp[1] | (rdx & ~0xffffffffull); }
      __asm__ volatile("stc; cmpxchg8b (%5); pushfq; popq %4" : "+a"(rax), "+d"(rdx), "+b"(rbx), "+c"(rcx), "=r"(fl) : "r"(m8) : "memory", "cc");
      printf("cx8 %u.%u rax %016lx rdx %016lx rbx %016lx rcx %016lx fl %03lx m %016lx\n", i, j, rax, rdx, rbx, rcx, fl & 0x8d5, mem[0]);
    }
  static uint64_t m16[4] __attribute__((aligned(16)));
  for (unsigned i = 0; i < NV; i++)
    for (unsigned j = 0; j < NV; j++) {
      m16[0] = VALS[i]; m16[1] = VALS[j];
      uint64_t rax = j & 1 ? VALS[i] : VALS[j], rdx = j & 2 ? VALS[j] : VALS[i] ^ 1, rbx = VALS[(i + 3) % NV], rcx = VALS[(j + 5) % NV];
      unsigned long fl;
      __asm__ volatile("cmpxchg16b (%5); pushfq; popq %4" : "+a"(rax), "+d"(rdx), "+b"(rbx), "+c"(rcx), "=r"(fl) : "r"(m16) : "memory", "cc");
      printf("cx16 %u.%u rax %016lx rdx %016lx rbx %016lx rcx %016lx fl %03lx m %016lx %016lx\n", i, j, rax, rdx, rbx, rcx, fl & 0x8d5, m16[0], m16[1]);
    }
  for (unsigned off = 0; off < 16; off++) {
    extern char cx16al_at[];
    got_sig = 0;
    if (!sigsetjmp(env, 1))
      __asm__ volatile("movq %0, %%rsi\n.globl cx16al_at\ncx16al_at: lock cmpxchg16b (%%rsi)" :: "r"((char *)m16 + off) : "memory", "rax", "rdx", "rsi", "cc");
    char name[16]; snprintf(name, sizeof name, "cx16+%u", off);
    report(name, cx16al_at);
  }
  /* fnstenv/fnsave in 64-bit mode: FCS is the 64-bit %cs (0x33), FDS the operand's segment selector
     (%ss 0x2b for this stack operand; a %ds operand would give 0, not modelled) */
  {
    double one = 1.5;
    unsigned char env32[28], save[108];
    unsigned short env16[7];
    __asm__ volatile("fninit; fldl %2; fnstenv %0; fnsave %1" : "=m"(env32), "=m"(save) : "m"(one));
    __asm__ volatile("fninit; fldl %1; data16 fnstenv %0; fninit" : "=m"(env16) : "m"(one));
    printf("fnstenv:");
    for (int i = 12; i < 28; i++) if (i < 20 || i >= 24) printf("%s%02x", i % 4 ? "" : " ", env32[i]); /* FDP: a stack address */
    printf(" | fnsave:");
    for (int i = 12; i < 28; i++) if (i < 20 || i >= 24) printf("%s%02x", i % 4 ? "" : " ", save[i]);
    printf(" | data16:");
    for (int i = 3; i < 7; i++) if (i != 5) printf(" %04x", env16[i]);
    printf("\n");
  }
  return 0;
}
