/**
 * The kernel's vDSO area, reduced to what a program can reach without AT_SYSINFO_EHDR: the
 * kernel maps [vvar] [vvar_vclock] (6 read-only pages) and [vdso] (2 r-x pages) just below
 * mmap_base, and returns from a handler installed without SA_RESTORER (glibc on i386 installs
 * none) through the vDSO's __kernel_sigreturn / __kernel_rt_sigreturn. The same pages are
 * reserved here and the two trampolines written into [vdso]; the rest reads as zeros.
 */
import { GuestMemory, PROT_EXEC, PROT_READ } from '@dbtlab/mips-host';
import { TARGET_PAGE_SIZE } from './layout';
import { NR_RT_SIGRETURN, NR_SIGRETURN } from './signal-frame';

export const VVAR_PAGES = 6;
export const VDSO_CODE_PAGES = 2;
export const VDSO_RESERVED_PAGES = VVAR_PAGES + VDSO_CODE_PAGES;

export interface SigreturnTrampolines {
  /** __kernel_sigreturn: popl %eax; movl $119, %eax; int $0x80 */
  sigreturn: number;
  /** __kernel_rt_sigreturn: movl $173, %eax; int $0x80 */
  rtSigreturn: number;
}

const movEaxInt80 = (nr: number): number[] => [0xb8, nr & 0xff, (nr >>> 8) & 0xff, 0, 0, 0xcd, 0x80];
const RT_OFFSET = 0x10;

/** Maps the vvar and vdso pages at `base` (VDSO_RESERVED_PAGES pages) and writes the trampolines. */
export function installVdso(mem: GuestMemory, base: number): SigreturnTrampolines {
  mem.map(base, VVAR_PAGES * TARGET_PAGE_SIZE, PROT_READ);
  const code = base + VVAR_PAGES * TARGET_PAGE_SIZE;
  mem.map(code, VDSO_CODE_PAGES * TARGET_PAGE_SIZE, PROT_READ | PROT_EXEC);
  mem.pokeBytes(code, Uint8Array.from([0x58, ...movEaxInt80(NR_SIGRETURN)]));
  mem.pokeBytes(code + RT_OFFSET, Uint8Array.from(movEaxInt80(NR_RT_SIGRETURN)));
  return { sigreturn: code, rtSigreturn: code + RT_OFFSET };
}
