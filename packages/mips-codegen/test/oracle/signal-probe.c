/* Privileged, undefined, trapping and segment-loading instructions under a SA_SIGINFO handler: for each, the signal, si_code, si_addr and the context eip (relative to the instruction), or the int3 a sequence ends with when it ran without fault. Built and run natively and through both runtimes by signal-probe.test.ts. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "sig-catch.h"

#define CASE(name, insn) do { \
    extern char name##_at[]; got_sig = 0; \
    if (!sigsetjmp(env, 1)) { __asm__ volatile(".globl " #name "_at\n" #name "_at: " insn "\n" ::: "memory", "eax", "ecx", "edx"); } \
    long a = got_addr ? (long)(got_addr - (unsigned long)name##_at) : -999; \
    printf("%-10s sig %2d code %3d addr %s%ld eip %+ld\n", #name, got_sig, got_code, got_addr ? "insn" : "", got_addr ? a : 0L, (long)(got_eip - (unsigned long)name##_at)); \
  } while (0)

int main(void) {
  struct sigaction sa; memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = handler; sa.sa_flags = SA_SIGINFO | SA_NODEFER;
  for (int s = 1; s < 32; s++) sigaction(s, &sa, 0);
  CASE(cli, "cli");
  CASE(sti, "sti");
  CASE(hlt, "hlt");
  CASE(inb, "inb $0x80, %%al");
  CASE(outb, "outb %%al, $0x80");
  CASE(indx, "movw $0x3f8, %%dx; inl (%%dx), %%eax");
  CASE(outdx, "movw $0x3f8, %%dx; outw %%ax, (%%dx)");
  CASE(insb, "movw $0x3f8, %%dx; insb (%%dx), %%es:(%%edi)");
  CASE(outsb, "movw $0x3f8, %%dx; outsb %%ds:(%%esi), (%%dx)");
  CASE(lgdt, "lgdt (%%esp)");
  CASE(lidt, "lidt (%%esp)");
  CASE(lldt, "lldt %%ax");
  CASE(ltr, "ltr %%ax");
  CASE(lmsw, "lmsw %%ax");
  CASE(clts, "clts");
  CASE(invd, "invd");
  CASE(wbinvd, "wbinvd");
  CASE(invlpg, "invlpg (%%esp)");
  CASE(rdmsr, "rdmsr");
  CASE(wrmsr, "wrmsr");
  CASE(movcr, "movl %%cr0, %%eax");
  CASE(movtocr, "movl %%eax, %%cr3");
  CASE(movdr, "movl %%dr7, %%eax");
  CASE(movtodr, "movl %%eax, %%dr0");
  CASE(int3, "int3");
  CASE(int_3, "int $3");
  CASE(int_4, "int $4");
  CASE(int_1, "int $1");
  CASE(int_81, "int $0x81");
  CASE(int_ff, "int $0xff");
  CASE(into, "movl $0x7fffffff, %%eax; incl %%eax; into");
  CASE(bound, "pushl $3; pushl $1; movl $7, %%eax; boundl %%eax, (%%esp); addl $8, %%esp");
  CASE(ud2, "ud2");
  CASE(ud0, "ud0 (%%eax), %%eax");
  CASE(ud1, "ud1 (%%eax), %%eax");
  CASE(rsm, "rsm");
  CASE(lockbad, ".byte 0xf0, 0x90");
  CASE(movcs, "movw %%ax, %%cs");
  CASE(salc, "movl $0x1234, %%eax; stc; .byte 0xd6; jnc 1f; cmpl $0x12ff, %%eax; jne 1f; clc; .byte 0xd6; jc 1f; cmpl $0x1200, %%eax; jne 1f; int3; 1:");
  CASE(rdpmc, "xorl %%ecx, %%ecx; rdpmc");
  CASE(vmcall, "vmcall");
  CASE(sysenter, "sysenter");
  CASE(sysexit, ".byte 0x0f, 0x35");
  CASE(ds2b, "movw $0x2b, %%ax; movw %%ax, %%ds; movw %%ds, %%ax; cmpw $0x2b, %%ax; jne 1f; int3; 1:");
  CASE(ds0, "movw $0, %%ax; movw %%ax, %%es; movw %%es, %%ax; testw %%ax, %%ax; jne 1f; int3; 1: movw %%ds, %%ax; movw %%ax, %%es");
  CASE(ds23, "movw $0x23, %%ax; movw %%ax, %%fs; movw %%fs, %%ax; cmpw $0x23, %%ax; jne 1f; int3; 1:");
  CASE(ds28, "movw $0x28, %%ax; movw %%ax, %%es; movw %%es, %%ax; cmpw $0x28, %%ax; jne 1f; int3; 1: movw %%ds, %%ax; movw %%ax, %%es");
  CASE(ds10, "movw $0x10, %%ax; movw %%ax, %%ds");
  CASE(es18, "movw $0x18, %%ax; movw %%ax, %%es");
  CASE(fs2c, "movw $0x2c, %%ax; movw %%ax, %%fs");
  CASE(fs80, "movw $0x80, %%ax; movw %%ax, %%fs");
  CASE(gsffff, "movw $0xffff, %%ax; movw %%ax, %%gs");
  CASE(ss0, "movw $0, %%ax; movw %%ax, %%ss");
  CASE(ss2b, "movw $0x2b, %%ax; movw %%ax, %%ss; int3");
  CASE(ss28, "movw $0x28, %%ax; movw %%ax, %%ss");
  CASE(ss23, "movw $0x23, %%ax; movw %%ax, %%ss");
  CASE(popds, "pushl $0x2b; popl %%ds; int3");
  CASE(popes10, "pushl $0x10; popl %%es; addl $4, %%esp");
  CASE(popfs, "pushl $0x2b; popl %%fs; pushl $0x13; popl %%fs; addl $4, %%esp");
  CASE(popgsw, "pushw $0x80; popw %%gs; addl $2, %%esp");
  CASE(pushseg, "pushl %%ds; pushl %%es; pushl %%ss; pushl %%cs; popl %%eax; cmpw $0x23, %%ax; jne 1f; popl %%eax; cmpw $0x2b, %%ax; jne 1f; int3; 1: addl $8, %%esp");
  CASE(lds, "pushl $0x2b; pushl $0x1234; ldsl (%%esp), %%eax; addl $8, %%esp; cmpl $0x1234, %%eax; jne 1f; int3; 1:");
  CASE(les10, "pushl $0x10; pushl $0x1234; lesl (%%esp), %%eax; addl $8, %%esp");
  CASE(lfs, "pushl $0x2b; pushl $0x5678; lfsl (%%esp), %%ecx; addl $8, %%esp; movw %%fs, %%ax; cmpw $0x2b, %%ax; jne 1f; int3; 1:");
  CASE(lgs8, "pushl $0x8; pushl $0x5678; lgsl (%%esp), %%ecx; addl $8, %%esp");
  CASE(lssbad, "pushl $0; pushl $0x5678; lssl (%%esp), %%ecx; addl $8, %%esp");
  return 0;
}
