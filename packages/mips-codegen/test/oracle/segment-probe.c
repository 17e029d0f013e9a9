/* Segment-descriptor instructions of a 32-bit process, family by family: lar/lsl/verr/verw
   (16/32-bit, register/memory operands) over every selector of the GDT with each RPL, after
   set_thread_area defines and clears TLS entries, and modify_ldt LDT entries (read back; their bases through %fs/%gs); segment loads of those selectors; arpl;
   sgdt/sidt/smsw/sldt/str; maskmovq/maskmovdqu with segment overrides; far jmp/call/ret and iret to valid and invalid selectors, with
   the signal, si_code, si_addr and context eip (relative to the instruction) of each fault.
   argv[1]: "desc" (Linux is the oracle: the kernel VM), "far" (lcall/lret/iret: qemu-i386
   where the VM's TCG cannot run them) or "long" (a far jump to the 64-bit code segment).
   Built and compared by segment-probe.test.ts. */
#define _GNU_SOURCE
#include <asm/ldt.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "sig-catch.h"

static void report(const char *name, unsigned long at) {
  if (got_sig) printf("%s: sig %d code %d addr %#lx eip %+ld\n", name, got_sig, got_code, got_addr, (long)(got_eip - at));
}

/* Runs insn (operands: %0 a selector or value register, %1 a memory word holding it); on no fault prints what `ok` formats. */
#define CASE(label, name, insn, ok, ...) do { \
    extern char label##_at[]; got_sig = 0; \
    if (!sigsetjmp(env, 1)) { __asm__ volatile(insn : __VA_ARGS__); ok; } \
    report(name, (unsigned long)label##_at); \
  } while (0)
#define AT(label) ".globl " #label "_at\n" #label "_at: "

static unsigned mem32;
static unsigned short mem16;
static unsigned farptr[2];

static void access_family(unsigned sel) {
  unsigned r = 0xdeadbeef, l = 0xdeadbeef, rm = 0xdeadbeef, lm = 0xdeadbeef;
  unsigned short r16 = 0xbeef, l16 = 0xbeef;
  unsigned char zr, zl, zvr, zvw, zrm, zlm, zr16, zl16, zvrm, zvwm;
  mem16 = sel;
  __asm__ volatile("lar %2, %0; setz %1" : "+r"(r), "=q"(zr) : "r"(sel));
  __asm__ volatile("lsl %2, %0; setz %1" : "+r"(l), "=q"(zl) : "r"(sel));
  __asm__ volatile("larl %2, %0; setz %1" : "+r"(rm), "=q"(zrm) : "m"(mem16));
  __asm__ volatile("lsll %2, %0; setz %1" : "+r"(lm), "=q"(zlm) : "m"(mem16));
  __asm__ volatile("lar %w2, %w0; setz %1" : "+r"(r16), "=q"(zr16) : "r"(sel));
  __asm__ volatile("lsl %w2, %w0; setz %1" : "+r"(l16), "=q"(zl16) : "r"(sel));
  __asm__ volatile("verr %w1; setz %0" : "=q"(zvr) : "r"(sel));
  __asm__ volatile("verw %w1; setz %0" : "=q"(zvw) : "r"(sel));
  __asm__ volatile("verr %1; setz %0" : "=q"(zvrm) : "m"(mem16));
  __asm__ volatile("verw %1; setz %0" : "=q"(zvwm) : "m"(mem16));
  /* the other flags keep their values: CF, SF, OF set before, read after */
  unsigned fl;
  __asm__ volatile("pushl $0x8d5; popfl; lar %1, %%eax; pushfl; popl %0" : "=r"(fl) : "r"(sel) : "eax", "cc");
  printf("%04x lar %d %08x %d %08x %d %04x lsl %d %08x %d %08x %d %04x verr %d %d verw %d %d flags %03x\n", sel, zr, r, zrm, rm, zr16, r16,
         zl, l, zlm, lm, zl16, l16, zvr, zvrm, zvw, zvwm, fl & 0x8d5);
}

static void load_family(unsigned sel) {
  char n[32];
  sprintf(n, "mov %04x fs", sel);
  CASE(movfs, n, AT(movfs) "movw %w0, %%fs; movw %%fs, %w0", printf("%s: ok %04x\n", n, sel & 0xffff), "+r"(sel));
  __asm__ volatile("movw %w0, %%fs" : : "r"(0));
}

static void tls(const char *name, int entry, unsigned base, unsigned limit, int s32, int contents, int reo, int pages, int np, int useable) {
  struct user_desc u = { .entry_number = entry, .base_addr = base, .limit = limit, .seg_32bit = s32, .contents = contents,
                         .read_exec_only = reo, .limit_in_pages = pages, .seg_not_present = np, .useable = useable };
  long r = syscall(SYS_set_thread_area, &u);
  printf("set_thread_area %s = %ld entry %d\n", name, r, (int)u.entry_number);
  for (unsigned s = 0x68; s < 0x78; s += 3) access_family(s);
  load_family(0x6b);
  load_family(0x73);
}

/* modify_ldt: write one entry (func 1 or 0x11), then the entries as read back and the LDT selectors' access rights and loads */
static unsigned char ldt_data[2][4096] __attribute__((aligned(4096)));
static void ldt(const char *name, int func, int entry, unsigned base, unsigned limit, int s32, int contents, int reo, int pages, int np, int useable) {
  struct user_desc u = { .entry_number = entry, .base_addr = base, .limit = limit, .seg_32bit = s32, .contents = contents,
                         .read_exec_only = reo, .limit_in_pages = pages, .seg_not_present = np, .useable = useable };
  long r = syscall(SYS_modify_ldt, func, &u, sizeof u);
  unsigned char buf[40];
  memset(buf, 0xaa, sizeof buf);
  long n = syscall(SYS_modify_ldt, 0, buf, sizeof buf);
  printf("modify_ldt %#x %s = %ld, read %ld:", func, name, r, n);
  for (unsigned i = 0; i < sizeof buf; i++) printf("%s%02x", i % 8 ? "" : " ", buf[i]);
  printf("\n");
  for (unsigned s = 0x4; s < 0x30; s += 8) { access_family(s); access_family(s | 3); }
  load_family(0xf);
  load_family(0x17);
}

static void ldt_family(void) {
  unsigned char dflt[160];
  memset(dflt, 0xaa, sizeof dflt);
  printf("modify_ldt read empty = %ld, default = %ld %02x %02x, bad size = %ld, bad func = %ld\n", syscall(SYS_modify_ldt, 0, dflt, 16),
         syscall(SYS_modify_ldt, 2, dflt, sizeof dflt), dflt[127], dflt[128], syscall(SYS_modify_ldt, 1, dflt, 8), syscall(SYS_modify_ldt, 3, dflt, 16));
  ldt("data pages", 1, 1, (unsigned)ldt_data[0], 1, 1, 0, 0, 1, 0, 1);
  ldt("data", 0x11, 2, (unsigned)ldt_data[1], 0xfff, 1, 0, 0, 0, 0, 1);
  ldt("16-bit", 0x11, 3, (unsigned)ldt_data[1], 0xfff, 0, 0, 0, 0, 0, 0);
  ldt("LDT_empty", 0x11, 4, 0, 0, 0, 0, 1, 0, 1, 0);
  ldt("old-mode zero", 1, 3, 0, 0, 1, 0, 0, 0, 0, 0);
  ldt("contents 3 present", 0x11, 5, 0, 0xfffff, 1, 3, 0, 1, 0, 0);
  ldt("contents 3 not present", 0x11, 5, 0, 0xfffff, 1, 3, 0, 1, 1, 0);
  ldt("contents 3 old mode", 1, 5, 0, 0xfffff, 1, 3, 0, 1, 1, 0);
  ldt("entry 8192", 0x11, 8192, 0, 0xfffff, 1, 0, 0, 1, 0, 0);
  ldt("code", 0x11, 5, 0, 0xfffff, 1, 2, 0, 1, 0, 0);
  /* the LDT bases in address computation: %fs and %gs, lfs */
  ldt_data[0][1] = 0xaa;
  ldt_data[1][1] = 0x55;
  unsigned v, sel;
  __asm__ volatile("movl %1, %%fs; movzbl %%fs:1, %0; movw %w2, %%fs" : "=&r"(v) : "r"(0xf), "r"(0));
  printf("fs:1 through 0xf = %02x\n", v);
  __asm__ volatile("pushl %%gs; movl %1, %%gs; movzbl %%gs:1, %0; popl %%gs" : "=r"(v) : "r"(0x17));
  printf("gs:1 through 0x17 = %02x\n", v);
  struct { unsigned off; unsigned short seg; } __attribute__((packed)) so = { 0xabcdef12, 0x17 };
  __asm__ volatile("lfs %2, %0; movl %%fs, %1; movzbl %%fs:1, %%eax; movb %%al, ldt_data+2; movw %w3, %%fs" : "=&r"(v), "=&r"(sel) : "m"(so), "r"(0) : "eax", "memory");
  printf("lfs: %04x:%08x, fs:1 = %02x\n", sel, v, ldt_data[0][2]);
}

static void maskmov_family(void);
static void desc_part(void) {
  unsigned short cs, ds, ss, es;
  __asm__("movw %%cs, %0; movw %%ds, %1; movw %%ss, %2; movw %%es, %3" : "=m"(cs), "=m"(ds), "=m"(ss), "=m"(es));
  printf("cs %x ds %x ss %x es %x\n", cs, ds, ss, es);
  /* every GDT entry (16) and two beyond, with RPL 0 and 3, a few in the LDT, the last ones */
  for (unsigned i = 0; i < 18; i++) { access_family(i << 3); access_family(i << 3 | 3); }
  static const unsigned more[] = { 0x4, 0x7, 0x21, 0x22, 0x2c, 0x2f, 0x31, 0x7c, 0xfffc, 0xffff };
  for (unsigned i = 0; i < sizeof more / sizeof more[0]; i++) access_family(more[i]);
  for (unsigned s = 0; s < 0x88; s += 3) load_family(s);
  tls("data", 13, 0x1000, 0x12345, 1, 0, 0, 0, 0, 1);
  tls("read-only pages", 14, 0x12345678, 0xabcde, 1, 0, 1, 1, 0, 0);
  tls("expand-down", 13, 0, 0x10, 1, 1, 0, 0, 0, 0);
  tls("code", 14, 0, 0xfffff, 1, 2, 0, 1, 0, 0);
  tls("16-bit", 14, 0, 0xfffff, 0, 0, 0, 1, 0, 0);
  tls("not present", 14, 0, 0xfffff, 1, 0, 0, 1, 1, 0);
  tls("LDT_empty", 14, 0, 0, 0, 0, 1, 0, 1, 0);
  ldt_family();
  tls("LDT_zero", 13, 0, 0, 0, 0, 0, 0, 0, 0);
  tls("out of range", 15, 0, 0xfffff, 1, 0, 0, 1, 0, 0);
  tls("any free", -1, 0x2000, 0xfffff, 1, 0, 0, 1, 0, 0);

  unsigned char t[8];
  memset(t, 0xaa, 8);
  CASE(sgdt, "sgdt", AT(sgdt) "sgdt %0", printf("sgdt %02x%02x %02x%02x%02x%02x %02x%02x\n", t[1], t[0], t[5], t[4], t[3], t[2], t[6], t[7]), "=m"(t));
  memset(t, 0xaa, 8);
  CASE(sidt, "sidt", AT(sidt) "sidt %0", printf("sidt %02x%02x %02x%02x%02x%02x %02x%02x\n", t[1], t[0], t[5], t[4], t[3], t[2], t[6], t[7]), "=m"(t));
  memset(t, 0xaa, 8);
  CASE(sgdtw, "sgdtw", AT(sgdtw) "data16 sgdt %0", printf("sgdtw %02x%02x %02x%02x%02x%02x %02x%02x\n", t[1], t[0], t[5], t[4], t[3], t[2], t[6], t[7]), "=m"(t));
  unsigned v;
#define SYSREG(label, insn, opnd) v = 0xdeadbeef; mem32 = 0xdeadbeef; \
  CASE(label, #label, AT(label) insn, printf("%s %08x %08x\n", #label, v, mem32), opnd)
  SYSREG(smswl, "smsw %0", "+r"(v));
  SYSREG(smsww, "smsw %w0", "+r"(v));
  SYSREG(smswm, "smsw %0", "+m"(mem32));
  SYSREG(sldtl, "sldt %0", "+r"(v));
  SYSREG(sldtw, "sldt %w0", "+r"(v));
  SYSREG(sldtm, "sldt %0", "+m"(mem32));
  SYSREG(strl, "str %0", "+r"(v));
  SYSREG(strw, "str %w0", "+r"(v));
  SYSREG(strm, "str %0", "+m"(mem32));
  CASE(sgdtbad, "sgdt unmapped", AT(sgdtbad) "sgdt 0x10", (void)0, "=m"(t));
  CASE(smswbad, "smsw unmapped", AT(smswbad) "smsw 0x10", (void)0, "=m"(t));

  static const unsigned short arpl_vals[] = { 0x0000, 0x0001, 0x0002, 0x0003, 0x1230, 0xfffd, 0xffff, 0x8002 };
  for (int i = 0; i < 8; i++) for (int j = 0; j < 8; j++) {
    unsigned short a = arpl_vals[i], b = arpl_vals[j];
    unsigned fl;
    mem16 = a;
    __asm__ volatile("pushl $0x895; popfl; arpl %w2, %w0; pushfl; popl %1" : "+r"(a), "=r"(fl) : "r"(b) : "cc");
    __asm__ volatile("arpl %w1, %0" : "+m"(mem16) : "r"(b) : "cc");
    printf("arpl %04x %04x -> %04x %04x flags %03x\n", arpl_vals[i], b, a, mem16, fl & 0x8d5);
  }

  static const unsigned short sels[] = { 0x23, 0x20, 0x21, 0x22, 0x2b, 0x0, 0x3, 0x4, 0x1b, 0x10, 0x27, 0x43, 0x7b, 0x63, 0x6b, 0x80, 0xffff };
  for (unsigned i = 0; i < sizeof sels / sizeof sels[0]; i++) {
    char n[32];
    farptr[1] = sels[i];
    sprintf(n, "ljmp *m %04x", sels[i]);
    CASE(ljmpm, n, "movl $1f, %0\n" AT(ljmpm) "ljmp *%0; 1:", printf("%s: ok\n", n), "+m"(farptr[0]));
  }
  CASE(ljmpd, "ljmp direct 23", AT(ljmpd) "ljmp $0x23, $1f; 1:", printf("ljmp direct: ok\n"), );
  CASE(ljmpd2b, "ljmp direct 2b", AT(ljmpd2b) "ljmp $0x2b, $1f; 1:", printf("ljmp direct 2b: ok\n"), );
  farptr[0] = 0x00231234;
  CASE(ljmpw, "ljmpw *m 23:1234", AT(ljmpw) "ljmpw *%0", printf("ljmpw: ok\n"), "+m"(farptr[0]));
  maskmov_family();
}

/* maskmovq/maskmovdqu store to DS:(E)DI, or through an override prefix's segment (%fs based at mbuf + 16) */
static unsigned char mbuf[64] __attribute__((aligned(16)));
static void maskmov_family(void) {
  struct user_desc u = { .entry_number = 13, .base_addr = (unsigned)(mbuf + 16), .limit = 0xfffff, .seg_32bit = 1, .limit_in_pages = 1 };
  syscall(SYS_set_thread_area, &u);
  __asm__ volatile("movw %w0, %%fs" : : "r"(13 << 3 | 3));
  static const unsigned long long v = 0x8877665544332211ull, mask = 0x8000800080008080ull;
  static unsigned char x[16], m[16];
  for (int i = 0; i < 16; i++) { x[i] = 0xa0 + i; m[i] = i % 3 == 0 ? 0x80 : 0; }
  for (int k = 0; k < 6; k++) {
    memset(mbuf, 0, sizeof mbuf);
    if (k == 0) __asm__ volatile("movq %1, %%mm0; movq %2, %%mm1; fs maskmovq %%mm1, %%mm0; emms" : : "D"(4), "m"(v), "m"(mask) : "memory");
    if (k == 1) __asm__ volatile("movq %1, %%mm0; movq %2, %%mm1; maskmovq %%mm1, %%mm0; emms" : : "D"(mbuf + 4), "m"(v), "m"(mask) : "memory");
    if (k == 2) __asm__ volatile("movq %1, %%mm0; movq %2, %%mm1; es maskmovq %%mm1, %%mm0; emms" : : "D"(mbuf + 4), "m"(v), "m"(mask) : "memory");
    if (k == 3) __asm__ volatile("movdqu %1, %%xmm0; movdqu %2, %%xmm1; fs maskmovdqu %%xmm1, %%xmm0" : : "D"(4), "m"(x), "m"(m) : "memory");
    if (k == 4) __asm__ volatile("movdqu %1, %%xmm0; movdqu %2, %%xmm1; maskmovdqu %%xmm1, %%xmm0" : : "D"(mbuf + 4), "m"(x), "m"(m) : "memory");
    if (k == 5) __asm__ volatile("movdqu %1, %%xmm0; movdqu %2, %%xmm1; ds maskmovdqu %%xmm1, %%xmm0" : : "D"(mbuf + 4), "m"(x), "m"(m) : "memory");
    printf("maskmov %d:", k);
    for (int i = 0; i < 48; i++) printf(" %02x", mbuf[i]);
    printf("\n");
  }
  __asm__ volatile("movw %w0, %%fs" : : "r"(0));
}

static void far_part(void) {
  static const unsigned short sels[] = { 0x23, 0x20, 0x22, 0x2b, 0x0, 0x3, 0x4, 0x1b, 0x10, 0x27, 0x43, 0x63, 0x7b, 0x80, 0xffff };
  for (unsigned i = 0; i < sizeof sels / sizeof sels[0]; i++) {
    char n[32];
    unsigned s = sels[i], hi = 0, lo = 0, d = 0;
    farptr[1] = s;
    sprintf(n, "lcall *m %04x", s);
    CASE(lcallm, n, "movl $1f, %3; movl %%esp, %%ecx; movl $0xdeadbeef, -4(%%esp)\n" AT(lcallm) "lcall *%3; jmp 2f; 1: movl 4(%%esp), %0; movl %%ecx, %2; subl %%esp, %2; lret; 2:",
         printf("%s: ok cs slot %08x delta %d\n", n, hi, d), "=r"(hi), "=r"(lo), "=r"(d), "+m"(farptr[0]) : : "ecx", "memory");
    sprintf(n, "lret %04x", s);
    CASE(lret, n, "movl %%esp, %%ecx; pushl %1; pushl $1f\n" AT(lret) "lret; 1: movl %%ecx, %0; subl %%esp, %0; movl %%ecx, %%esp",
         printf("%s: ok delta %d\n", n, d), "=r"(d) : "r"(s) : "ecx", "memory");
    sprintf(n, "lret $12 %04x", s);
    CASE(lretn, n, "movl %%esp, %%ecx; subl $12, %%esp; pushl %1; pushl $1f\n" AT(lretn) "lret $12; 1: movl %%ecx, %0; subl %%esp, %0; movl %%ecx, %%esp",
         printf("%s: ok delta %d\n", n, d), "=r"(d) : "r"(s) : "ecx", "memory");
    sprintf(n, "iret %04x", s);
    CASE(iret, n, "movl %%esp, %%ecx; pushfl; pushl %1; pushl $1f\n" AT(iret) "iret; 1: movl %%ecx, %0; subl %%esp, %0; movl %%ecx, %%esp",
         printf("%s: ok delta %d\n", n, d), "=r"(d) : "r"(s) : "ecx", "memory");
  }
  unsigned d = 0, f = 0;
  CASE(lcalld, "lcall direct", AT(lcalld) "lcall $0x23, $1f; jmp 2f; 1: lret; 2:", printf("lcall direct: ok\n"), : : "memory");
  CASE(lcalld2b, "lcall direct 2b", AT(lcalld2b) "lcall $0x2b, $1f; jmp 2f; 1: lret; 2:", printf("lcall direct 2b: ok\n"), : : "memory");
  farptr[0] = 0x00231234;
  CASE(lcallw, "lcallw *m 23:1234", "movl %%esp, %%ecx\n" AT(lcallw) "lcallw *%0", (void)0, "+m"(farptr[0]) : : "ecx", "memory");
  __asm__ volatile("" ::: "memory");
  CASE(lretw, "lretw", "pushw $0x23; pushw $0x1234\n" AT(lretw) "lretw", (void)0, : : "memory");
  CASE(iretw, "iretw", "pushfw; pushw $0x23; pushw $0x1234\n" AT(iretw) "iretw", (void)0, : : "memory");
  /* iret's EFLAGS at CPL 3: arithmetic flags, DF, AC, ID change; IF and IOPL stay */
  CASE(iretf, "iret flags", "movl %%esp, %%ecx; pushl $0x243cd5; pushl $0x23; pushl $1f\n" AT(iretf) "iret; 1: pushfl; popl %0; cld; pushl $0x202; popfl; movl %%ecx, %%esp",
       printf("iret flags: ok %08x\n", f & ~0x10000u), "=r"(f) : : "ecx", "memory", "cc");
  CASE(iretf0, "iret flags 0", "movl %%esp, %%ecx; pushl $0; pushl $0x23; pushl $1f\n" AT(iretf0) "iret; 1: pushfl; popl %0; pushl $0x202; popfl; movl %%ecx, %%esp",
       printf("iret flags 0: ok %08x\n", f), "=r"(f) : : "ecx", "memory", "cc");
  CASE(lretnw, "lretw $4", "movl %%esp, %%ecx; subl $4, %%esp; pushw $0x23; pushw $0x5678\n" AT(lretnw) "lretw $4", (void)0, : : "ecx", "memory");
  (void)d;
}

int main(int argc, char **argv) {
  setvbuf(stdout, 0, _IONBF, 0);
  struct sigaction sa; memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = handler; sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  for (int s = 1; s < 32; s++) if (s != SIGKILL && s != SIGSTOP) sigaction(s, &sa, 0);
  if (argc > 1 && !strcmp(argv[1], "far")) far_part();
  else if (argc > 1 && !strcmp(argv[1], "long")) __asm__ volatile("ljmp $0x33, $1f; 1: ud2"); /* into 64-bit mode */
  else desc_part();
  return 0;
}
