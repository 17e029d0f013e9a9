/* Instructions that write several stack slots (pusha/pushaw, enter with a nesting level and an
   allocation) with their slots against a page boundary, the page above or below read-only or
   unmapped, every split k of the slots between the two pages. Natively pusha is eight pushes from
   the top, each all-or-nothing (a fault keeps the slots already written), and enter stores its slots
   and then probes a write at its final stack pointer (a fault there keeps the slots). Each line: the
   signal's si_code, si_addr relative to the boundary, and the 48 bytes on the written side. pusha
   stores constants and the area is at a fixed address, so every byte is the same natively and under
   dbtlab. Built -m32 and -m64 by stack-multi-store.test.ts. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define PAGE 4096
#define AREA ((unsigned char *)0x50000000)
#include "hex-bytes.h"
#include "segv-catch.h"

/* the stack pointer the form starts with, and the real one while it runs */
unsigned long newsp, oldsp;
typedef void form_fn(void);
#ifdef __x86_64__
#define SWITCH "mov %%rsp, oldsp(%%rip)\n\tmov newsp(%%rip), %%rsp\n\t"
#define BACK "mov oldsp(%%rip), %%rsp\n\t"
#define F(name, body) static void name(void) { __asm__ volatile("push %%rbp\n\t" SWITCH "mov $0x50000800, %%ebp\n\t" body BACK "pop %%rbp" : : : "memory", "cc", "rax", "rcx", "rdx", "rsi", "rdi"); }
#else
#define SWITCH "mov %%esp, oldsp\n\tmov newsp, %%esp\n\t"
#define BACK "mov oldsp, %%esp\n\t"
#define F(name, body) static void name(void) { __asm__ volatile("push %%ebp\n\tpush %%ebx\n\t" SWITCH "mov $0x50000800, %%ebp\n\t" body BACK "pop %%ebx\n\tpop %%ebp" : : : "memory", "cc", "eax", "ecx", "edx", "esi", "edi"); }
#define REGS "mov $0x11111111, %%eax\n\tmov $0x22222222, %%ecx\n\tmov $0x33333333, %%edx\n\tmov $0x44444444, %%ebx\n\tmov $0x55555555, %%esi\n\tmov $0x66666666, %%edi\n\t"
F(pusha32, REGS "pusha\n\t")
F(pusha16, REGS "pushaw\n\t")
#endif
F(enter_0, "enter $16, $0\n\t")
F(enter_1, "enter $16, $1\n\t")
F(enter_2, "enter $0, $2\n\t")
F(enter_5, "enter $4, $5\n\t")
F(enterw_3, "enterw $8, $3\n\t")

struct form { const char *name; int width; form_fn *fn; };
#define W (int)sizeof(long)
static const struct form forms[] = {
#ifndef __x86_64__
  { "pusha32", 32, pusha32 }, { "pusha16", 16, pusha16 },
#endif
  { "enter_0", W, enter_0 }, { "enter_1", 2 * W, enter_1 }, { "enter_2", 3 * W, enter_2 }, { "enter_5", 6 * W, enter_5 }, { "enterw_3", 8, enterw_3 },
};

int main(void) {
  catch_segv();
  /* three pages: the frame pointer's page (read by enter's nesting), then the two the stores cross */
  unsigned char *area = mmap(AREA, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  for (int i = 0; i < PAGE; i++) area[i] = (unsigned char)i;
  unsigned char *lo = area + PAGE, *hi = area + 2 * PAGE;
  /* the bad page: the upper one (read-only, unmapped), then the lower one (read-only, unmapped) */
  for (int bad = 0; bad < 4; bad++) {
    unsigned char *badp = bad < 2 ? hi : lo;
    if (bad == 2) mmap(hi, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (bad & 1) munmap(badp, PAGE);
    else mprotect(badp, PAGE, PROT_READ);
    for (unsigned f = 0; f < sizeof forms / sizeof forms[0]; f++) {
      const struct form *fm = &forms[f];
      /* the stores' lowest byte at hi - k: k = width fits below, 0 fits above, between crosses */
      for (int k = fm->width; k >= 0; k--) {
        if (bad < 2) for (int i = 0; i < 48; i++) hi[-48 + i] = (unsigned char)(0xa0 + i);
        else for (int i = 0; i < 48; i++) hi[i] = (unsigned char)(0xa0 + i);
        code = 0; addr = 0;
        newsp = (unsigned long)(hi - k + fm->width);
        if (!sigsetjmp(back, 1)) fm->fn();
        printf("%s %s %s k=%d: code %ld addr %+ld:", bad & 1 ? "unmapped" : "read-only", bad < 2 ? "upper" : "lower", fm->name, k, code,
               code ? (long)(addr - (unsigned long)hi) : 0L);
        char hex[48 * 3 + 1];
        printf("%s\n", hex_bytes(hex, bad < 2 ? hi - 48 : hi, 48));
      }
    }
    if (bad == 1) mmap(hi, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  }
  return 0;
}
