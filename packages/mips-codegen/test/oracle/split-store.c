/* Stores that cross from a writable page into an unmapped or read-only one: x86 writes nothing when
   any byte faults. Every integer store form (mov, push, call, stos, movs, xchg, add, cmpxchg, cmpxchg8b,
   x87 fstl/fstpt/fistpll/fbstp, and on x86-64 the 64-bit ones) at every offset that leaves 1..width-1 bytes in the first page, and at
   the offsets that fit (the store completes). A SIGSEGV handler on an alternate stack longjmps back;
   the program prints the signal's si_code and si_addr (relative to the second page) and the first
   page's last 16 bytes. Built -m32 and -m64 by split-store.test.ts. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "hex-bytes.h"

#include "segv-catch.h"

static unsigned char *area;
#define PAGE 4096
typedef void form_fn(unsigned char *p);

/* each form stores to p; the stack-pointer forms switch to p as their stack for one instruction */
#define F(name, body) static void name(unsigned char *p) { __asm__ volatile(body : : "r"(p) : "memory", "cc", "eax", "ecx", "edx", "esi", "edi"); }
#ifdef __x86_64__
#define SP "rsp"
#define XCHG_SP(r) "xchg %%rsp, " r "\n\t"
#define DI "%%rdi"
#else
#define SP "esp"
#define XCHG_SP(r) "xchg %%esp, " r "\n\t"
#define DI "%%edi"
#endif
F(mov16, "movw $0x1234, (%0)")
F(mov32, "movl $0x12345678, (%0)")
F(movreg32, "mov $0x9abcdef0, %%eax\n\tmov %%eax, (%0)")
F(add32, "addl $0x11111111, (%0)")
F(xchg32, "mov $0x7f7f7f7f, %%eax\n\txchg %%eax, (%0)")
F(cmpxchg32, "mov (%0), %%eax\n\tmov $0x5a5a5a5a, %%ecx\n\tlock cmpxchg %%ecx, (%0)")
F(cmpxchg16, "mov (%0), %%ax\n\tmov $0x5a5a, %%cx\n\tcmpxchg %%cx, (%0)")
F(stos16, "mov %0, " DI "\n\tmov $0x4321, %%eax\n\tstosw")
F(stos32, "mov %0, " DI "\n\tmov $0x87654321, %%eax\n\tstosl")
static const unsigned source = 0x13572468;
static void movs32(unsigned char *p) { __asm__ volatile("movsl" : : "D"(p), "S"(&source) : "memory"); }
F(rep_stos16, "mov %0, " DI "\n\tsub $4, " DI "\n\tmov $0x4141, %%eax\n\tmov $3, %%ecx\n\trep stosw")
/* x87 stores (helpers): fninit first, as a handler's longjmp leaves the x87 state as the fault found it */
static const double dv = 1.25;
static const long double lv = 3.5L;
static void fstl(unsigned char *p) { __asm__ volatile("fninit\n\tfldl %1\n\tfstpl (%0)" : : "r"(p), "m"(dv) : "memory"); }
static void fstpt(unsigned char *p) { __asm__ volatile("fninit\n\tfldt %1\n\tfstpt (%0)" : : "r"(p), "m"(lv) : "memory"); }
static void fistpll(unsigned char *p) { __asm__ volatile("fninit\n\tfldl %1\n\tfistpll (%0)" : : "r"(p), "m"(dv) : "memory"); }
static void fbstp(unsigned char *p) { __asm__ volatile("fninit\n\tfldl %1\n\tfbstp (%0)" : : "r"(p), "m"(dv) : "memory"); }
#ifdef __x86_64__
#undef F
#define F(name, body) static void name(unsigned char *p) { __asm__ volatile(body : : "r"(p) : "memory", "cc", "rax", "rbx", "rcx", "rdx", "rsi", "rdi"); }
F(mov64, "movq $-0x789abcdf, (%0)")
F(movreg64, "mov $0x0123456789abcdef, %%rax\n\tmov %%rax, (%0)")
F(stos64, "mov %0, " DI "\n\tmov $0x0123456789abcdef, %%rax\n\tstosq")
F(xchg64, "mov $0x7f7f7f7f7f7f7f7f, %%rax\n\txchg %%rax, (%0)")
F(push64, "lea 8(%0), %%rax\n\t" XCHG_SP("%%rax") "push $0x6b6b6b6b\n\t" XCHG_SP("%%rax"))
F(call64, "lea 8(%0), %%rax\n\tlea 1f(%%rip), %%rcx\n\t" XCHG_SP("%%rax") "call *%%rcx\n1:\t" XCHG_SP("%%rax"))
F(cmpxchg8b, "mov (%0), %%eax\n\tmov 4(%0), %%edx\n\tmov $0x55555555, %%ebx\n\tmov $0x66666666, %%ecx\n\tcmpxchg8b (%0)")
#else
#undef F
#define F(name, body) static void name(unsigned char *p) { __asm__ volatile(body : : "r"(p) : "memory", "cc", "eax", "ecx", "edx", "esi", "edi"); }
F(push32, "lea 4(%0), %%eax\n\t" XCHG_SP("%%eax") "push $0x6b6b6b6b\n\t" XCHG_SP("%%eax"))
F(push16, "lea 2(%0), %%eax\n\t" XCHG_SP("%%eax") "pushw $0x6c6c\n\t" XCHG_SP("%%eax"))
F(call32, "lea 4(%0), %%eax\n\tmov $1f, %%ecx\n\t" XCHG_SP("%%eax") "call *%%ecx\n1:\t" XCHG_SP("%%eax"))
/* ebx is the PIC register: saved by hand */
static void cmpxchg8b(unsigned char *p) {
  __asm__ volatile("push %%ebx\n\tmov (%0), %%eax\n\tmov 4(%0), %%edx\n\tmov $0x55555555, %%ebx\n\tmov $0x66666666, %%ecx\n\tcmpxchg8b (%0)\n\tpop %%ebx" : : "S"(p) : "memory", "cc", "eax", "ecx", "edx");
}
#endif

struct form { const char *name; int width; form_fn *fn; };
static const struct form forms[] = {
  { "mov16", 2, mov16 }, { "mov32", 4, mov32 }, { "movreg32", 4, movreg32 }, { "add32", 4, add32 },
  { "xchg32", 4, xchg32 }, { "cmpxchg32", 4, cmpxchg32 }, { "cmpxchg16", 2, cmpxchg16 }, { "stos16", 2, stos16 },
  { "stos32", 4, stos32 }, { "movs32", 4, movs32 }, { "rep_stos16", 2, rep_stos16 }, { "cmpxchg8b", 8, cmpxchg8b },
  { "fstl", 8, fstl }, { "fstpt", 10, fstpt }, { "fistpll", 8, fistpll }, { "fbstp", 10, fbstp },
#ifdef __x86_64__
  { "mov64", 8, mov64 }, { "movreg64", 8, movreg64 }, { "stos64", 8, stos64 }, { "xchg64", 8, xchg64 },
  { "push64", 8, push64 }, { "call64", 8, call64 },
#else
  { "push32", 4, push32 }, { "push16", 2, push16 }, { "call32", 4, call32 },
#endif
};

int main(void) {
  catch_segv();
  area = mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  unsigned char *second = area + PAGE;
  for (int next = 0; next < 2; next++) {
    if (next == 0) mprotect(second, PAGE, PROT_READ);
    else munmap(second, PAGE);
    for (unsigned f = 0; f < sizeof forms / sizeof forms[0]; f++) {
      const struct form *fm = &forms[f];
      /* the store's first byte at PAGE - k: k = width fits, fewer crosses */
      for (int k = fm->width; k >= 1; k--) {
        for (int i = 0; i < 64; i++) area[PAGE - 64 + i] = (unsigned char)(0xa0 + i);
        code = 0; addr = 0;
        unsigned char *p = second - k;
        if (!sigsetjmp(back, 1)) fm->fn(p);
        char hex[40 * 3 + 1];
        printf("%s %s k=%d: code %ld addr %+ld:%s\n", next ? "unmapped" : "read-only", fm->name, k, code, code ? (long)(addr - (unsigned long)second) : 0L, hex_bytes(hex, area + PAGE - 40, 40));
      }
    }
  }
  return 0;
}
