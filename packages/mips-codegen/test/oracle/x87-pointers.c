/*
 * The x87 instruction and data pointers as fnstenv and fxsave/fxsave64 store them (x87-pointers.test.ts;
 * built -m64 as a PIE and -m32, run natively and through both runtimes): FIP is the last non-control
 * instruction's address and FDP its memory operand's, kept by the register forms that follow (FDS too);
 * fxsave64 stores both 64 bits wide, fxsave in 64-bit mode their low halves with %cs and FDS (%ss 0x2b
 * for a stack operand); fxsave stores them only while an unmasked exception is pending (this AMD CPU).
 * FCS is state too: fxrstor loads it (fxrstor64 zeroes it and FDS), fninit clears it, the next x87
 * instruction sets it. Each pointer prints as 0, "at" its instruction or operand, or its raw value.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static unsigned char img[512] __attribute__((aligned(16)));
static unsigned char envb[28];
static const double one5 = 1.5;
static const uint16_t unmaskZ = 0x37b;

#ifdef __x86_64__
#define FXSAVE64 "fxsave64"
#define FXRSTOR64 "fxrstor64"
#define WIDE 1
#else
#define FXSAVE64 "fxsave"
#define FXRSTOR64 "fxrstor"
#define WIDE 0
#endif

static const char *where(uint64_t v, const void *at, int wide) {
  static char buf[4][32];
  static int k;
  uint64_t a = (uint64_t)(uintptr_t)at;
  if (!wide) a &= 0xffffffff;
  char *b = buf[k++ & 3];
  if (v == 0) return "0";
  if (v == a) return "at";
  snprintf(b, 32, "%llx", (unsigned long long)v);
  return b;
}

/* an fxsave image's header: wide for fxsave64's 64-bit FIP and FDP */
static void fx(const char *name, int wide, const void *ip, const void *dp) {
  uint64_t fip = 0, fdp = 0;
  memcpy(&fip, img + 8, wide ? 8 : 4);
  memcpy(&fdp, img + 16, wide ? 8 : 4);
  printf("%-28s fop %03x fip %s fdp %s", name, img[6] | (img[7] & 7) << 8, where(fip, ip, wide), where(fdp, dp, wide));
  if (!wide) printf(" fcs %04x fds %04x", img[12] | img[13] << 8, img[20] | img[21] << 8);
  printf("\n");
}

static void env(const char *name, const void *ip, const void *dp) {
  uint32_t fip, fdp;
  memcpy(&fip, envb + 12, 4);
  memcpy(&fdp, envb + 20, 4);
  printf("%-28s fnstenv fop %03x fip %s fdp %s fcs %04x fds %04x\n", name, (envb[18] | envb[19] << 8) & 0x7ff, where(fip, ip, 0), where(fdp, dp, 0), envb[16] | envb[17] << 8, envb[24] | envb[25] << 8);
}

#define AT(label) ".globl " #label "\n" #label ": "
extern char i1[], i2[], i3[], i4[], i5[], i6[], i7[], i8[], i9[], i10[], i11[], i12[];

int main(void) {
  double zero = 0.0; /* a stack operand */
  __asm__ volatile("" : "+m"(zero));
  __asm__ volatile("fninit; fldl %1; fld1;" AT(i1) "faddp; fnstenv %0; fninit" : "=m"(envb) : "m"(one5));
  env("mem, faddp", i1, &one5);
  __asm__ volatile("fninit; fldl %1; fld1; faddp;" AT(i2) "fsqrt; fnstenv %0; fninit" : "=m"(envb) : "m"(one5));
  env("mem, faddp, fsqrt", i2, &one5);
  __asm__ volatile("fninit;" AT(i3) "fld1; fnstenv %0; fninit" : "=m"(envb));
  env("fld1 only", i3, 0);
  __asm__ volatile("fninit; fldl %1; fnclex; fldcw %2;" AT(i4) "fld1; fnstenv %0; fninit" : "=m"(envb) : "m"(one5), "m"(unmaskZ));
  env("mem, fnclex, fldcw, fld1", i4, &one5);
  __asm__ volatile("fninit; fldl %1; fldl %2;" AT(i5) "fstp %%st(0); fnstenv %0; fninit" : "=m"(envb) : "m"(one5), "m"(zero));
  env("stack mem, fstp st(0)", i5, &zero);
  /* an unmasked zero-divide pending from a register form after a memory operand */
  __asm__ volatile("fninit; fldcw %1; fldl %2; fldz;" AT(i6) "fdivr %%st(1), %%st; " FXSAVE64 " %0; fnclex; fninit" : "=m"(img) : "m"(unmaskZ), "m"(one5));
  fx(FXSAVE64 ", ES from fdivr st", WIDE, i6, &one5);
  __asm__ volatile("fninit; fldcw %1; fldl %2; fldz;" AT(i7) "fdivr %%st(1), %%st; fxsave %0; fnclex; fninit" : "=m"(img) : "m"(unmaskZ), "m"(one5));
  fx("fxsave, ES from fdivr st", 0, i7, &one5);
  /* pending from a stack operand */
  __asm__ volatile("fninit; fldcw %1; fld1;" AT(i8) "fdivl %2; " FXSAVE64 " %0; fnclex; fninit" : "=m"(img) : "m"(unmaskZ), "m"(zero));
  fx(FXSAVE64 ", ES from fdivl stack", WIDE, i8, &zero);
  __asm__ volatile("fninit; fldcw %1; fld1;" AT(i10) "fdivl %2; fxsave %0; fnclex; fninit" : "=m"(img) : "m"(unmaskZ), "m"(zero));
  fx("fxsave, ES from fdivl stack", 0, i10, &zero);
  /* no exception pending: the pointers are not stored */
  __asm__ volatile("fninit; fld1; fdivl %1; " FXSAVE64 " %0; fninit" : "=m"(img) : "m"(one5));
  fx(FXSAVE64 ", nothing pending", WIDE, 0, 0);
  /* fxrstor64 loads the pointers whatever ES: fnstenv shows them, fxsave64 with ES pending again */
  __asm__ volatile("fninit; fldcw %1; fldl %2; fldz;" AT(i9) "fdivr %%st(1), %%st; " FXSAVE64 " %0; fnclex; fninit" : "=m"(img) : "m"(unmaskZ), "m"(one5));
  __asm__ volatile(FXRSTOR64 " %1; fnstenv %0; fninit" : "=m"(envb) : "m"(img));
  env(FXRSTOR64 ", fnstenv", i9, &one5);
  img[2] |= 0x80; /* ES */
  __asm__ volatile(FXRSTOR64 " %0; " FXSAVE64 " %0; fnclex; fninit" : "+m"(img));
  fx(FXRSTOR64 " ES, " FXSAVE64, WIDE, i9, &one5);
  /* fxrstor's 32-bit format loads FCS and FDS too */
  __asm__ volatile("fninit; fldcw %1; fldl %2; fldz;" AT(i11) "fdivr %%st(1), %%st; fxsave %0; fnclex; fninit" : "=m"(img) : "m"(unmaskZ), "m"(one5));
  img[12] = 0x34; img[13] = 0x12; img[20] = 0x78; img[21] = 0x56; img[2] = 0; /* exceptions cleared */
  __asm__ volatile("fxrstor %1; fnstenv %0; fninit" : "=m"(envb) : "m"(img));
  env("fxrstor, fnstenv", i11, &one5);
  __asm__ volatile("fxrstor %1;" AT(i12) "fld1; fnstenv %0; fninit" : "=m"(envb) : "m"(img));
  env("fxrstor, fld1, fnstenv", i12, &one5);
  __asm__ volatile("fninit; fldl %1; fninit; fnstenv %0; fninit" : "=m"(envb) : "m"(one5));
  env("mem, fninit", 0, 0);
  return 0;
}
