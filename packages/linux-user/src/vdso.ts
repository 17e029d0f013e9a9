/**
 * The kernel's vDSO area: the kernel maps [vvar] [vvar_vclock] (6 read-only pages) and [vdso]
 * (2 r-x pages) just below mmap_base. The same pages are reserved here; the vvar pages read as
 * zeros. An i386 process's [vdso] holds what it can reach without AT_SYSINFO_EHDR: it returns
 * from a handler installed without SA_RESTORER (glibc on i386 installs none) through the vDSO's
 * __kernel_sigreturn / __kernel_rt_sigreturn, the two trampolines written there. An x86-64
 * process's holds the 64-bit vDSO image (vdso64.ts), given to it as AT_SYSINFO_EHDR.
 */
import { GuestMemory, PROT_EXEC, PROT_READ } from '@dbtlab/mips-host';
import { TARGET_PAGE_SIZE } from './layout';
import { NR_RT_SIGRETURN, NR_SIGRETURN } from './signal-frame';
import { buildVdso64 } from './vdso64';

export const VVAR_PAGES = 6;
export const VDSO_CODE_PAGES = 2;
export const VDSO_RESERVED_PAGES = VVAR_PAGES + VDSO_CODE_PAGES;

export interface SigreturnTrampolines {
  /** __kernel_sigreturn: popl %eax; movl $119, %eax; int $0x80 */
  sigreturn: number;
  /** __kernel_rt_sigreturn: movl $173, %eax; int $0x80 */
  rtSigreturn: number;
}

/** The [vdso] pages of a process: where they are, and the i386 trampolines in them. */
export interface VdsoPages {
  /** The first [vdso] page (x86-64: the image, AT_SYSINFO_EHDR). */
  code: number;
  trampolines?: SigreturnTrampolines;
}

const movEaxInt80 = (nr: number): number[] => [0xb8, nr & 0xff, (nr >>> 8) & 0xff, 0, 0, 0xcd, 0x80];
const RT_OFFSET = 0x10;

let image64: Uint8Array | undefined;

/** Maps the vvar and vdso pages at `base` (VDSO_RESERVED_PAGES pages) and writes the ABI's code into [vdso]. */
export function installVdso(mem: GuestMemory, base: number, abi: 'i386' | 'x86_64'): VdsoPages {
  mem.map(base, VVAR_PAGES * TARGET_PAGE_SIZE, PROT_READ);
  const code = base + VVAR_PAGES * TARGET_PAGE_SIZE;
  mem.map(code, VDSO_CODE_PAGES * TARGET_PAGE_SIZE, PROT_READ | PROT_EXEC);
  if (abi === 'x86_64') {
    image64 ??= buildVdso64();
    mem.pokeBytes(code, image64);
    return { code };
  }
  mem.pokeBytes(code, Uint8Array.from([0x58, ...movEaxInt80(NR_SIGRETURN)]));
  mem.pokeBytes(code + RT_OFFSET, Uint8Array.from(movEaxInt80(NR_RT_SIGRETURN)));
  return { code, trampolines: { sigreturn: code, rtSigreturn: code + RT_OFFSET } };
}
