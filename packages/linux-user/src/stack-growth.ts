/**
 * Stacks that grow down, as Linux grows them (mm/mmap.c expand_downwards, reached from the page
 * fault handler and from the kernel's own copies to user memory): an access to an unmapped
 * address whose nearest area above was mapped VM_GROWSDOWN (the initial [stack], a MAP_GROWSDOWN
 * mapping) extends that area down to the address's page when
 *   - the page is not below mmap_min_addr;
 *   - the nearest area below ends at least stack_guard_gap (256 pages) under the page, unless it
 *     grows down too or is PROT_NONE (vma_is_accessible);
 *   - the grown area, from the page to its end, is within RLIMIT_STACK and the address space within
 *     RLIMIT_AS (acct_stack_growth; the limits of the moment, not those at exec).
 * Otherwise the access faults as any access to no mapping (SIGSEGV, SEGV_MAPERR). Only the area
 * grows: its pages are allocated at their first touch, as every page is.
 *
 * The same limit and gap place mmap_base at exec (arch/x86/mm/mmap.c, no randomization).
 */
import type { GuestMemory } from '@dbtlab/mips-host';
import { MMAP_MIN_ADDR, pageAlignDown, pageAlignUp, TARGET_PAGE_SIZE } from './layout';

/** stack_guard_gap: 256 pages. */
export const STACK_GUARD_GAP = 256 * TARGET_PAGE_SIZE;
/** setup_arg_pages' stack_expand: the room an exec leaves below the argument strings. */
export const STACK_EXPAND = 128 * 1024;
const MMAP_GAP_MIN = 128 * 1024 * 1024;

/** The soft limits growth is held to, in bytes (Infinity when unlimited). */
export interface StackLimits {
  stack: number;
  as: number;
}

/** Grows the growing-down area above guest address `addr` to cover it; false when Linux would refuse (the access then faults). */
export function expandDownwards(mem: GuestMemory, addr: number, limits: StackLimits): boolean {
  const page = pageAlignDown(addr);
  if (page < MMAP_MIN_ADDR) return false;
  const areas = mem.areas();
  const i = areas.findIndex((a) => a.end > page);
  const above = areas[i];
  if (above === undefined || above.start <= page || !above.growsDown) return false;
  const below = areas[i - 1];
  if (below !== undefined && !below.growsDown && below.prot !== 0 && page - below.end < STACK_GUARD_GAP) return false;
  const grow = above.start - page;
  if (above.end - page > limits.stack || mem.mappedBytes() + grow > limits.as) return false;
  mem.map(page, grow, above.prot, true);
  return true;
}

/** mmap_base for a stack of RLIMIT_STACK `stackLimit` bytes: below it and its guard gap, at least 128 MiB and at most 5/6 of TASK_SIZE below the top. */
export function mmapBaseFor(taskSize: number, stackLimit: number): number {
  const gap = Math.min(Math.max(stackLimit + STACK_GUARD_GAP, MMAP_GAP_MIN), Math.floor(taskSize / 6) * 5);
  return pageAlignUp(taskSize - gap);
}

/**
 * The initial stack's lowest address (setup_arg_pages): `stack_expand` below the strings' lowest
 * page, or RLIMIT_STACK below the top when that leaves less (never above the strings).
 */
export function initialStackBase(top: number, stringsBottom: number, stackLimit: number): number {
  const bottom = pageAlignDown(stringsBottom);
  const limit = Math.floor(Math.min(stackLimit, top) / TARGET_PAGE_SIZE) * TARGET_PAGE_SIZE;
  return Math.min(bottom, top - bottom + STACK_EXPAND > limit ? top - limit : bottom - STACK_EXPAND);
}

/** How many bytes of argument and environment strings an exec takes (bprm_stack_limits): a quarter of RLIMIT_STACK, within [128 KiB, 6 MiB], less the pointers to them. */
export function argStringsLimit(stackLimit: number, argc: number, envc: number): number {
  const limit = Math.max(Math.min(6 * 1024 * 1024, Math.floor(stackLimit / 4)), 128 * 1024);
  return limit - (Math.max(argc, 1) + envc) * 8;
}
