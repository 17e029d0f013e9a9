/*
 * FDS in fnstenv/fnsave images of an x86-64 process (sse64-diff.test.ts): the selector of the
 * last x87 memory operand's effective segment (%ds 0 here; %ss 0x2b for rsp/rbp-based operands;
 * %fs counts; cs/ds/es/ss overrides are ignored in 64-bit mode), kept by register forms.
 */
#include <stdio.h>
static double g = 1.5;
static unsigned char env[28], env16[14], save[108];
#define FDS(what, ins, ...) do { \
    __asm__ volatile("fninit; " ins "; fnstenv %0; fninit" : "=m"(env) : __VA_ARGS__); \
    __asm__ volatile("fninit; " ins "; data16 fnstenv %0; fninit" : "=m"(env16) : __VA_ARGS__); \
    __asm__ volatile("fninit; " ins "; fnsave %0; fninit" : "=m"(save) : __VA_ARGS__); \
    printf("%-24s fnstenv %04x data16 %04x fnsave %04x\n", what, *(unsigned short *)(env + 24), *(unsigned short *)(env16 + 12), *(unsigned short *)(save + 24)); \
  } while (0)
int main(void) {
  double local = 2.5;
  FDS("static", "fldl %1", "m"(g), "m"(g));
  FDS("local", "fldl %1", "m"(local), "m"(local));
  FDS("rsp-based", "fldl (%%rsp)", "m"(g));
  FDS("rbp-based", "push %%rbp; mov %%rsp, %%rbp; fldl (%%rbp); pop %%rbp", "m"(g));
  FDS("ss: prefix", "fldl %%ss:(%%rax)", "m"(g), "a"(&g));
  FDS("es: prefix", "fldl %%es:(%%rax)", "m"(g), "a"(&g));
  FDS("cs: prefix", "fldl %%cs:(%%rax)", "m"(g), "a"(&g));
  FDS("ds: prefix on rsp", "fldl %%ds:(%%rsp)", "m"(g));
  FDS("fs: prefix", "fldl %%fs:0", "m"(g));
  FDS("rsp then register form", "fldl (%%rsp); fldz; fadd %%st(1), %%st", "m"(g));
  FDS("static then fninit", "fldl (%%rsp); fninit", "m"(g));
  FDS("store", "fldz; fstpl %1", "m"(g), "m"(g));
  return 0;
}
