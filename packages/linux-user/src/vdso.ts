/**
 * The kernel's vDSO area: the kernel maps [vvar] [vvar_vclock] (6 read-only pages) and [vdso]
 * (2 r-x pages) just below mmap_base. The same pages are reserved here; the vvar pages read as
 * zeros. [vdso] holds the ABI's vDSO image: i386's (vdso32.ts), whose __kernel_vsyscall is
 * AT_SYSINFO and whose __kernel_sigreturn / __kernel_rt_sigreturn are where a handler installed
 * without SA_RESTORER (glibc on i386 installs none) returns; x86-64's (vdso64.ts).
 */
import { GuestMemory, PROT_EXEC, PROT_READ } from '@dbtlab/mips-host';
import { TARGET_PAGE_SIZE } from './layout';
import { buildVdso32, VSYSCALL_LANDING } from './vdso32';
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

/** The [vdso] pages of a process: where they are, and the i386 entry points in them. */
export interface VdsoPages {
  /** The first [vdso] page: the image (AT_SYSINFO_EHDR). */
  code: number;
  /** i386: __kernel_vsyscall (AT_SYSINFO). */
  vsyscall?: number;
  /** i386: int80_landing_pad, after __kernel_vsyscall's int $0x80, where a fast system call returns. */
  landing?: number;
  trampolines?: SigreturnTrampolines;
}

let image32: ReturnType<typeof buildVdso32> | undefined;
let image64: Uint8Array | undefined;

/** [vdso]'s size: it moves (mremap) only whole. */
export const VDSO_SIZE = VDSO_CODE_PAGES * TARGET_PAGE_SIZE;

/** The [vdso] pages moved by `delta` bytes (mremap of the whole [vdso]). */
export function movedVdso(v: VdsoPages, delta: number): VdsoPages {
  const at = (addr: number): number => (addr + delta) >>> 0;
  const { code, vsyscall, landing, trampolines } = v;
  return {
    code: at(code),
    vsyscall: vsyscall === undefined ? undefined : at(vsyscall),
    landing: landing === undefined ? undefined : at(landing),
    trampolines: trampolines && { sigreturn: at(trampolines.sigreturn), rtSigreturn: at(trampolines.rtSigreturn) },
  };
}

/** Maps the vvar and vdso pages at `base` (VDSO_RESERVED_PAGES pages) and writes the ABI's image into [vdso]. */
export function installVdso(mem: GuestMemory, base: number, abi: 'i386' | 'x86_64'): VdsoPages {
  mem.map(base, VVAR_PAGES * TARGET_PAGE_SIZE, PROT_READ);
  const code = base + VVAR_PAGES * TARGET_PAGE_SIZE;
  mem.map(code, VDSO_CODE_PAGES * TARGET_PAGE_SIZE, PROT_READ | PROT_EXEC);
  if (abi === 'x86_64') {
    image64 ??= buildVdso64();
    mem.pokeBytes(code, image64);
    return { code };
  }
  image32 ??= buildVdso32();
  mem.pokeBytes(code, image32.bytes);
  const at = (name: string): number => code + image32!.offsets.get(name)!;
  const vsyscall = at('__kernel_vsyscall');
  return { code, vsyscall, landing: vsyscall + VSYSCALL_LANDING, trampolines: { sigreturn: at('__kernel_sigreturn'), rtSigreturn: at('__kernel_rt_sigreturn') } };
}
