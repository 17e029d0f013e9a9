/**
 * The 64-bit vDSO image a 64-bit process finds at AT_SYSINFO_EHDR (vdso-image.ts): soname
 * linux-vdso.so.1, exporting __vdso_clock_gettime, __vdso_gettimeofday, __vdso_time,
 * __vdso_getcpu and __vdso_clock_getres with version LINUX_2.6. Each function is
 * `mov $nr, %eax; syscall; ret`: the real system call, so both schemes see it and counts stay
 * honest (Linux's read the vvar page instead). Their CFI is in .eh_frame, as in the kernel's
 * vdso64.so, so that an unwinder (libgcc's _Unwind_Backtrace from a signal handler) steps out of
 * them: no push, so the CFA is %rsp + 8 throughout, the return address just below it.
 */
import { CFA } from './eh-frame';
import { EM_X86_64 } from './elf';
import { buildVdsoImage } from './vdso-image';

const VERSION = 'LINUX_2.6';

/** DWARF register numbers of x86-64 used here. */
const DW = { rsp: 7, rip: 16 } as const;

/** The functions and their system-call numbers (x86-64). */
const FUNCTIONS: ReadonlyArray<[string, number]> = [
  ['__vdso_clock_gettime', 228],
  ['__vdso_gettimeofday', 96],
  ['__vdso_time', 201],
  ['__vdso_getcpu', 309],
  ['__vdso_clock_getres', 229],
];

/** The vDSO image (fits the two [vdso] pages). */
export function buildVdso64(): Uint8Array {
  return buildVdsoImage({
    elfClass: 64,
    machine: EM_X86_64,
    soname: 'linux-vdso.so.1',
    versions: [VERSION],
    functions: FUNCTIONS.map(([name, nr]) => ({
      name,
      version: VERSION,
      code: Uint8Array.of(0xb8, nr & 0xff, nr >> 8, 0, 0, 0x0f, 0x05, 0xc3),
      unwind: { instructions: [] },
    })),
    cie: { dataAlign: -8, raColumn: DW.rip, initial: [CFA.defCfa, DW.rsp, 8, CFA.offset | DW.rip, 1] },
  }).bytes;
}
