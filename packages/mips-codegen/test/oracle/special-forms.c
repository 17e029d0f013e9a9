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

static sigjmp_buf env;
static volatile int got_sig, got_code;
static volatile unsigned long got_rip;

static void handler(int sig, siginfo_t *si, void *uc) {
  got_sig = sig; got_code = si->si_code;
  got_rip = ((ucontext_t *)uc)->uc_mcontext.gregs[REG_RIP];
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

static const uint64_t VALS[] = { 0, 1, 0xffffffff, 0x100000000, 0x123456789abcdef0, 0xfedcba9876543210, 0x8000000000000000, 0xffffffffffffffff };
#define NV (sizeof VALS / sizeof VALS[0])

int main(void) {
  struct sigaction sa; memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = handler; sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  for (int s = 1; s < 32; s++) if (s != SIGKILL && s != SIGSTOP) sigaction(s, &sa, 0);
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

  /* shldw/shrdw by every count: 17-31 give the source rotated by count - 16 on this CPU (the SDM leaves it undefined); flags where defined */
  for (unsigned i = 0; i < NV; i++)
    for (unsigned c = 0; c < 32; c++) {
      uint64_t d = VALS[i], s = VALS[(i + 3) % NV] ^ 0x3d34, d2 = d;
      unsigned long fl, fl2;
      __asm__ volatile("shldw %%cl, %w4, %w0; pushfq; popq %1; shrdw %%cl, %w4, %w2; pushfq; popq %3" : "+&r"(d), "=&r"(fl), "+&r"(d2), "=&r"(fl2) : "r"(s), "c"(c) : "cc");
      unsigned long m = c == 0 ? 0x8d5 : c == 1 ? 0x8c5 : c <= 16 ? 0xc5 : 0;
      printf("shld/shrdw %016lx %04lx %2u: %016lx %03lx %016lx %03lx\n", VALS[i], (unsigned long)(s & 0xffff), c, d, fl & m, d2, fl2 & m);
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
