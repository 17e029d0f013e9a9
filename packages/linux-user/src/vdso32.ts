/**
 * The i386 vDSO image an i386 process finds at AT_SYSINFO_EHDR (vdso-image.ts), as Linux's
 * vdso32.so: soname linux-gate.so.1; __kernel_vsyscall (the entry point, AT_SYSINFO: glibc makes
 * every system call through it), __kernel_sigreturn and __kernel_rt_sigreturn with version
 * LINUX_2.5; __vdso_gettimeofday, __vdso_time, __vdso_clock_gettime, __vdso_clock_gettime64,
 * __vdso_clock_getres and __vdso_getcpu with LINUX_2.6.
 *
 * __kernel_vsyscall is the kernel's (vdso32/system_call.S) as patched on this AMD CPU
 * (X86_FEATURE_SYSCALL32): push %ecx; push %edx; push %ebp; movl %ecx, %ebp; syscall; then the
 * `int $0x80` fallback and the int80 landing pad, where every fast system call returns (see
 * LinuxProcess.compatSyscallEntry): popl %ebp; popl %edx; popl %ecx; ret. Its CFI and the
 * trampolines' (signal frames: the CFA and registers read from the sigcontext) are in .eh_frame.
 * The sigreturn trampolines are the bytes unwinders recognise (popl %eax; movl $119, %eax;
 * int $0x80 and movl $173, %eax; int $0x80). Each __vdso_ function is the real system call
 * with its cdecl arguments loaded into %ebx, %ecx, %edx (%ebx kept), so both schemes see it and
 * counts stay honest (Linux's read the vvar page instead). */
import { CFA, OP, sleb, uleb } from './eh-frame';
import { EM_386 } from './elf';
import { NR_RT_SIGRETURN, NR_SIGRETURN } from './signal-frame';
import { buildVdsoImage, type VdsoImage } from './vdso-image';

const V25 = 'LINUX_2.5';
const V26 = 'LINUX_2.6';

const movEax = (nr: number): number[] => [0xb8, nr & 0xff, (nr >>> 8) & 0xff, 0, 0];
const INT80 = [0xcd, 0x80];
const RET = 0xc3;
const SYSCALL = [0x0f, 0x05];

/** DWARF register numbers of i386. */
const DW = { eax: 0, ecx: 1, edx: 2, ebx: 3, esp: 4, ebp: 5, esi: 6, edi: 7, eip: 8 } as const;

/** push %ecx; push %edx; push %ebp; movl %ecx, %ebp; syscall; int $0x80; then the landing pad. */
const VSYSCALL = [0x51, 0x52, 0x55, 0x89, 0xcd, ...SYSCALL, ...INT80];
/** int80_landing_pad's offset in __kernel_vsyscall: popl %ebp; popl %edx; popl %ecx; ret. */
export const VSYSCALL_LANDING = VSYSCALL.length;

/** The CFA after each push (esp + 8, 12, 16, the saved register at the CFA's bottom), then unwound by each pop. */
const VSYSCALL_CFI = [
  ...[DW.ecx, DW.edx, DW.ebp].flatMap((reg, i) => [CFA.advanceLoc | 1, CFA.defCfaOffset, 8 + 4 * i, CFA.offset | reg, 2 + i]),
  CFA.advanceLoc | (VSYSCALL_LANDING + 1 - 3),
  ...[DW.ebp, DW.edx, DW.ecx].flatMap((reg, i) => [...(i ? [CFA.advanceLoc | 1] : []), CFA.restore | reg, CFA.defCfaOffset, 12 - 4 * i]),
];

/** sigcontext's fields (asm/sigcontext.h, i386) that an unwinder restores, by their offsets. */
const SIGCONTEXT: ReadonlyArray<[number, number]> = [[DW.eax, 44], [DW.ecx, 40], [DW.edx, 36], [DW.ebx, 32], [DW.ebp, 24], [DW.esi, 20], [DW.edi, 16], [DW.eip, 56]];
const SC_ESP = 28;

/** The CFA (the interrupted esp) and the registers, read from the sigcontext at esp + `sc`. */
function sigcontextRules(sc: number): number[] {
  const breg = (off: number): number[] => [OP.breg | DW.esp, ...sleb(off)];
  const cfa = [...breg(sc + SC_ESP), OP.deref];
  return [
    CFA.defCfaExpression, ...uleb(cfa.length), ...cfa,
    ...SIGCONTEXT.flatMap(([reg, off]) => {
      const e = breg(sc + off);
      return [CFA.expression, ...uleb(reg), ...uleb(e.length), ...e];
    }),
  ];
}

/**
 * The handler's `ret` popped the return address: esp is at sigframe.sig, the sigcontext 4 bytes
 * above it (__kernel_sigreturn's popl %eax moves it 4 closer); rt_sigframe: sig, pinfo, puc, the
 * 128-byte siginfo, then the ucontext, whose uc_mcontext is 20 bytes in (esp + 160).
 */
const SIGRETURN_CFI = [...sigcontextRules(4), CFA.advanceLoc | 2, ...sigcontextRules(0)];
const RT_SIGRETURN_CFI = sigcontextRules(160);
/** A signal trampoline's FDE starts a byte early: an unwinder looks up the return address - 1. */
const TRAMPOLINE = { signalFrame: true, lead: 1 };

/** push %ebx; the arguments from the stack (mov 8(%esp), %ebx; 12 -> %ecx; 16 -> %edx); mov $nr, %eax; int $0x80; pop %ebx; ret */
function syscallStub(nr: number, args: number): Uint8Array {
  const regs = [0x5c, 0x4c, 0x54]; // ModRM of %ebx, %ecx, %edx with an SIB of %esp
  const loads = regs.slice(0, args).flatMap((modrm, i) => [0x8b, modrm, 0x24, 8 + 4 * i]);
  return Uint8Array.from([0x53, ...loads, ...movEax(nr), ...INT80, 0x5b, RET]);
}

/** The __vdso_ functions: system-call number (i386) and argument count. */
const TIME_FUNCTIONS: ReadonlyArray<[string, number, number]> = [
  ['__vdso_gettimeofday', 78, 2],
  ['__vdso_time', 13, 1],
  ['__vdso_clock_gettime', 265, 2],
  ['__vdso_clock_gettime64', 403, 2],
  ['__vdso_clock_getres', 266, 2],
  ['__vdso_getcpu', 318, 3],
];

/** The image, and where __kernel_vsyscall and the two sigreturn trampolines are in it. */
export function buildVdso32(): VdsoImage {
  return buildVdsoImage({
    elfClass: 32,
    machine: EM_386,
    soname: 'linux-gate.so.1',
    versions: [V25, V26],
    functions: [
      { name: '__kernel_vsyscall', version: V25, code: Uint8Array.from([...VSYSCALL, 0x5d, 0x5a, 0x59, RET]), unwind: { instructions: VSYSCALL_CFI } },
      { name: '__kernel_sigreturn', version: V25, code: Uint8Array.from([0x58, ...movEax(NR_SIGRETURN), ...INT80]), unwind: { instructions: SIGRETURN_CFI, ...TRAMPOLINE } },
      { name: '__kernel_rt_sigreturn', version: V25, code: Uint8Array.from([...movEax(NR_RT_SIGRETURN), ...INT80]), unwind: { instructions: RT_SIGRETURN_CFI, ...TRAMPOLINE } },
      ...TIME_FUNCTIONS.map(([name, nr, args]) => ({ name, version: V26, code: syscallStub(nr, args) })),
    ],
    // the CFA is esp + 4 at a function's entry, the return address just below it
    cie: { dataAlign: -4, raColumn: DW.eip, initial: [CFA.defCfa, DW.esp, 4, CFA.offset | DW.eip, 1] },
  });
}
