/**
 * The simulated host's address space. Every region is named by the upper 32 bits of its
 * address, so the machine can tell regions apart with one shift and addresses stay exact
 * JavaScript numbers (all below 2^53).
 *
 *   GUEST_BASE      an i386 guest's 4 GiB window: host = GUEST_BASE + zext32(guest address)
 *   GUEST64_BASE    an x86-64 guest's 47-bit user address space: host = GUEST64_BASE + address
 *                   (0 <= address < 2^47, as Linux's TASK_SIZE; above the other regions, so
 *                   their page numbers stay small integers)
 *   CODE_CACHE_BASE translated code (words written with machine.writeCode)
 *   ENV_BASE        the guest CPU state block (`env`, layout in @dbtlab/x86-frontend cpu-state)
 *   HOST_STACK_BASE a host stack for translated code and helpers
 *   HELPER_BASE     the helper range: a jalr here runs a registered TypeScript function
 */
export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;

export const GUEST_BASE = 0x1_0000_0000;
export const GUEST_SIZE = 0x1_0000_0000;
export const GUEST64_BASE = 2 ** 47;
export const GUEST64_SIZE = 2 ** 47;
export const CODE_CACHE_BASE = 0x2_0000_0000;
export const CODE_CACHE_SIZE = 64 * 1024 * 1024;
export const CODE_CACHE_END = CODE_CACHE_BASE + CODE_CACHE_SIZE;
export const ENV_BASE = 0x3_0000_0000;
export const ENV_SIZE = 64 * 1024;
export const HOST_STACK_BASE = 0x4_0000_0000;
export const HOST_STACK_SIZE = 256 * 1024;
export const HOST_STACK_TOP = HOST_STACK_BASE + HOST_STACK_SIZE;
export const HELPER_BASE = 0x5_0000_0000;
/** Return address that `MipsMachine.run` plants in $ra: reaching it ends the run. */
export const RUN_RETURN_ADDR = HELPER_BASE;

/** Where a guest's addresses lie in the host (i386: GUEST_BASE's 4 GiB, x86-64: GUEST64_BASE's 2^47 bytes). */
export function guestWindow(bits: 32 | 64): { base: number; size: number } {
  return bits === 64 ? { base: GUEST64_BASE, size: GUEST64_SIZE } : { base: GUEST_BASE, size: GUEST_SIZE };
}

/** Host address of an i386 guest address (zero-extended 32-bit). */
export function guestToHost(guestAddr: number): number {
  return GUEST_BASE + (guestAddr >>> 0);
}

/**
 * Code-word tags (the `regions` argument of writeCode): the low 4 bits are the REGION, the
 * bits above are marks the machine sums exactly as it counts instructions:
 *   TAG_TB_START            this word is a TB's first: executions = TB executions
 *   n << TAG_INSN_SHIFT     n guest instructions begin at this word: executions x n = guest insns
 */
export const TAG_REGION_MASK = 0xf;
export const TAG_TB_START = 1 << 4;
export const TAG_INSN_SHIFT = 5;
