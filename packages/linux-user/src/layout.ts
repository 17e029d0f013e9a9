/**
 * The guest address space as Linux lays it out with address-space randomization off
 * (`setarch -R`), which is what this machine's native runs give and therefore what the tests
 * compare against. An i386 process on an x86-64 kernel:
 *
 *   0xffffe000  TASK_SIZE (IA32_PAGE_OFFSET): stack top; execfn, envp/argv strings below it
 *   ...         stack: 128 KiB below the strings, growing down to RLIMIT_STACK (stack-growth.ts)
 *   0xf7ffe000  mmap_base = TASK_SIZE - 128 MiB (the minimum gap; RLIMIT_STACK and the guard gap
 *               when larger: stack-growth.ts mmapBaseFor); mmap allocates downwards
 *   0xf7ff6000  8 pages the kernel gives to [vvar] [vvar_vclock] [vdso] (vdso.ts)
 *   0x56555000  ELF_ET_DYN_BASE: where a static-PIE's brk starts
 *   0x08048000  the usual ET_EXEC base; brk starts at the page after its bss
 *
 * An x86-64 process (LAYOUT_X86_64):
 *
 *   0x7ffffffff000  TASK_SIZE (TASK_SIZE_MAX, 2^47 - 4 KiB): stack top
 *   0x7ffff7fff000  mmap_base = TASK_SIZE - 128 MiB; ld.so, then the vDSO pages, below it
 *   0x555555554aaa  ELF_ET_DYN_BASE (2/3 of TASK_SIZE): a PIE's load bias is its page, a
 *                   static-PIE's brk the next page
 *   0x00400000      the usual ET_EXEC base; brk starts at the page after its bss
 */
export const TARGET_PAGE_SIZE = 4096;
export const TASK_SIZE = 0xffffe000;
export const STACK_TOP = TASK_SIZE;
/** _STK_LIM: the RLIMIT_STACK Linux starts init with. */
export const STACK_RLIMIT = 8 * 1024 * 1024;
export const MMAP_BASE = TASK_SIZE - 128 * 1024 * 1024;
export const ELF_ET_DYN_BASE = 0x56555000;
/** The constants above for one ABI. */
export interface AddressLayout {
  /** TASK_SIZE: the end of user space and the stack's top. */
  taskSize: number;
  /** mmap_base: where top-down mmap starts under an RLIMIT_STACK below 127 MiB (AddressSpace.mmapBase: the process's). */
  mmapBase: number;
  /** A PIE's load address (the page of ELF_ET_DYN_BASE). */
  etDynBase: number;
  /** Where a static-PIE's brk starts. */
  staticPieBrk: number;
}
export const LAYOUT_I386: AddressLayout = { taskSize: TASK_SIZE, mmapBase: MMAP_BASE, etDynBase: ELF_ET_DYN_BASE, staticPieBrk: ELF_ET_DYN_BASE };
const TASK_SIZE_64 = 0x7fff_ffff_f000;
export const LAYOUT_X86_64: AddressLayout = { taskSize: TASK_SIZE_64, mmapBase: TASK_SIZE_64 - 128 * 1024 * 1024, etDynBase: 0x5555_5555_4000, staticPieBrk: 0x5555_5555_5000 };
/** The layout of a guest whose addresses are `bits` wide (GuestMemory.bits: 32 for i386, 64 for x86-64). */
export const layoutOf = (bits: 32 | 64): AddressLayout => (bits === 64 ? LAYOUT_X86_64 : LAYOUT_I386);
/** Lowest address mmap hands out (vm.mmap_min_addr). */
export const MMAP_MIN_ADDR = 0x10000;

export const pageAlignDown = (a: number): number => Math.floor(a / TARGET_PAGE_SIZE) * TARGET_PAGE_SIZE;
export const pageAlignUp = (a: number): number => Math.ceil(a / TARGET_PAGE_SIZE) * TARGET_PAGE_SIZE;
