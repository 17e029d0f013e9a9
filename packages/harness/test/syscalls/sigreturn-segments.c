/* What the return to user mode after sigreturn does with the %cs and %ss a handler wrote into its
 * i386 frame: the kernel loads them with RPL 3 and the CPU's iret judges them. A bad %cs or %ss
 * gives SIGSEGV (#GP) or SIGBUS (#NP, #SS) with the frame's registers; an LDT %ss takes the
 * espfix64 path of a 64-bit kernel, where every such fault is reported as #GP(0). Printed: the
 * signal, si_code, trapno, error code, and the selectors, eip and RF in the fault's frame. */
#define _GNU_SOURCE
#include <asm/ldt.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

static sigjmp_buf back;
static volatile unsigned short want_cs, want_ss, want_fs;
static volatile unsigned long resume_eip;

static void set_segments(int sig, siginfo_t *si, void *uc) {
  (void)sig; (void)si;
  greg_t *g = ((ucontext_t *)uc)->uc_mcontext.gregs;
  g[REG_CS] = want_cs;
  g[REG_SS] = want_ss;
  g[REG_FS] = want_fs;
  resume_eip = g[REG_EIP];
}

static void on_fault(int sig, siginfo_t *si, void *uc) {
  greg_t *g = ((ucontext_t *)uc)->uc_mcontext.gregs;
  printf("signal %d code %d trapno %d err %#x: cs %#x ss %#x fs %#x eip %s rf %d\n", sig, si->si_code, (int)g[REG_TRAPNO],
         (unsigned)g[REG_ERR], (unsigned)g[REG_CS] & 0xffff, (unsigned)g[REG_SS] & 0xffff, (unsigned)g[REG_FS] & 0xffff,
         (unsigned long)g[REG_EIP] == resume_eip ? "as restored" : "elsewhere", (int)(g[REG_EFL] >> 16) & 1);
  siglongjmp(back, 1);
}

/* LDT entry `n`: a flat 32-bit segment, code or data, present or not */
static void ldt_entry(int n, int code, int present) {
  struct user_desc d = { .entry_number = n, .base_addr = 0, .limit = 0xfffff, .seg_32bit = 1,
                         .contents = code ? 2 : 0, .limit_in_pages = 1, .seg_not_present = !present, .useable = 1 };
  syscall(SYS_modify_ldt, 1, &d, sizeof d);
}

static void try_fs(const char *what, unsigned short cs, unsigned short ss, unsigned short fs) {
  want_cs = cs;
  want_ss = ss;
  want_fs = fs;
  printf("%-34s cs %#06x ss %#06x fs %#06x: ", what, cs, ss, fs);
  fflush(stdout);
  if (!sigsetjmp(back, 1)) {
    raise(SIGUSR1);
    unsigned short now;
    __asm__ volatile("mov %%fs, %0; mov %1, %%fs" : "=&r"(now) : "r"(0));
    printf("no fault, fs %#x\n", now);
  }
  fflush(stdout);
}

static void try(const char *what, unsigned short cs, unsigned short ss) { try_fs(what, cs, ss, 0); }

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_flags = SA_SIGINFO;
  sa.sa_sigaction = set_segments;
  sigaction(SIGUSR1, &sa, 0);
  sa.sa_sigaction = on_fault;
  sigaction(SIGSEGV, &sa, 0);
  sigaction(SIGBUS, &sa, 0);
  ldt_entry(0, 1, 1); /* 0x07: code */
  ldt_entry(1, 1, 0); /* 0x0f: code, not present */
  ldt_entry(3, 0, 0); /* 0x1f: data, not present; entry 2 (0x17) stays empty */
  unsigned short cs, ss;
  __asm__("mov %%cs, %0; mov %%ss, %1" : "=r"(cs), "=r"(ss));
  try("as they were", cs, ss);
  try("RPL 0 (the kernel makes it 3)", cs & ~3, ss & ~3);
  try("LDT code", 0x07, ss);
  try("ss: null", cs, 0);
  try("ss: the code segment", cs, cs);
  try("ss: kernel data", cs, 0x18);
  try("ss: beyond the GDT", cs, 0x1003);
  try("ss: empty LDT entry", cs, 0x17);
  try("ss: LDT code", cs, 0x07);
  try("ss: not-present LDT data", cs, 0x1f);
  try("cs: null", 0, ss);
  try("cs: the data segment", ss, ss);
  try("cs: kernel code", 0x10, ss);
  try("cs: beyond the GDT", 0x1003, ss);
  try("cs: empty LDT entry", 0x17, ss);
  try("cs: not-present LDT code", 0x0f, ss);
  try("cs: LDT data", 0x1f, ss);
  try("both bad, ss in the GDT", 0x0f, cs);
  try("both bad, ss in the LDT", 0x0f, 0x17);
  /* %fs as the kernel loads it: RPL 3, a selector it cannot load becomes the null selector */
  try_fs("fs: the data segment, RPL 0", cs, ss, ss & ~3);
  try_fs("fs: LDT code", cs, ss, 0x07);
  try_fs("fs: kernel data", cs, ss, 0x18);
  try_fs("fs: empty LDT entry", cs, ss, 0x17);
  try_fs("fs: not-present LDT data", cs, ss, 0x1f);
  try_fs("fs: beyond the GDT", cs, ss, 0x1003);
  try_fs("fs: bad, and a bad ss", cs, 0x23, 0x17);
  return 0;
}
