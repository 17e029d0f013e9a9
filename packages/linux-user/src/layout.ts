/**
 * The guest address space as Linux lays it out for an i386 process on an x86-64 kernel with
 * address-space randomization off (`setarch -R`), which is what this machine's native runs
 * give and therefore what the tests compare against:
 *
 *   0xffffe000  TASK_SIZE (IA32_PAGE_OFFSET): stack top; execfn, envp/argv strings below it
 *   ...         stack, RLIMIT_STACK (8 MiB) mapped
 *   0xf7ffe000  mmap_base = TASK_SIZE - 128 MiB (the minimum gap); mmap allocates downwards
 *   0xf7ff6000  8 pages the kernel gives to [vvar] [vvar_vclock] [vdso] (vdso.ts)
 *   0x56555000  ELF_ET_DYN_BASE: where a static-PIE's brk starts
 *   0x08048000  the usual ET_EXEC base; brk starts at the page after its bss
 */
export const TARGET_PAGE_SIZE = 4096;
export const TASK_SIZE = 0xffffe000;
export const STACK_TOP = TASK_SIZE;
export const STACK_RLIMIT = 8 * 1024 * 1024;
export const MMAP_BASE = TASK_SIZE - 128 * 1024 * 1024;
export const ELF_ET_DYN_BASE = 0x56555000;
/** Lowest address mmap hands out (vm.mmap_min_addr). */
export const MMAP_MIN_ADDR = 0x10000;

export const pageAlignDown = (a: number): number => Math.floor(a / TARGET_PAGE_SIZE) * TARGET_PAGE_SIZE;
export const pageAlignUp = (a: number): number => Math.ceil(a / TARGET_PAGE_SIZE) * TARGET_PAGE_SIZE;
