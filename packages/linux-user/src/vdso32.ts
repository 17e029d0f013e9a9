/**
 * The i386 vDSO image an i386 process finds at AT_SYSINFO_EHDR (vdso-image.ts), as Linux's
 * vdso32.so: soname linux-gate.so.1; __kernel_vsyscall (the entry point, AT_SYSINFO: glibc makes
 * every system call through it), __kernel_sigreturn and __kernel_rt_sigreturn with version
 * LINUX_2.5; __vdso_gettimeofday, __vdso_time, __vdso_clock_gettime, __vdso_clock_gettime64,
 * __vdso_clock_getres and __vdso_getcpu with LINUX_2.6.
 *
 * __kernel_vsyscall is `int $0x80; ret` (Linux's enters by sysenter, falling back to int $0x80);
 * the sigreturn trampolines are the bytes unwinders recognise (popl %eax; movl $119, %eax;
 * int $0x80 and movl $173, %eax; int $0x80). Each __vdso_ function is the real system call
 * with its cdecl arguments loaded into %ebx, %ecx, %edx (%ebx kept), so both schemes see it and
 * counts stay honest (Linux's read the vvar page instead).
 */
import { EM_386 } from './elf';
import { NR_RT_SIGRETURN, NR_SIGRETURN } from './signal-frame';
import { buildVdsoImage, type VdsoImage } from './vdso-image';

const V25 = 'LINUX_2.5';
const V26 = 'LINUX_2.6';

const movEax = (nr: number): number[] => [0xb8, nr & 0xff, (nr >>> 8) & 0xff, 0, 0];
const INT80 = [0xcd, 0x80];
const RET = 0xc3;

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
      { name: '__kernel_vsyscall', version: V25, code: Uint8Array.from([...INT80, RET]) },
      { name: '__kernel_sigreturn', version: V25, code: Uint8Array.from([0x58, ...movEax(NR_SIGRETURN), ...INT80]) },
      { name: '__kernel_rt_sigreturn', version: V25, code: Uint8Array.from([...movEax(NR_RT_SIGRETURN), ...INT80]) },
      ...TIME_FUNCTIONS.map(([name, nr, args]) => ({ name, version: V26, code: syscallStub(nr, args) })),
    ],
  });
}
