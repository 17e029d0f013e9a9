/**
 * A system call's six argument registers as its handler reads them. i386: the 32-bit
 * registers, unsigned (Uint32Array). x86-64: each 64-bit register as its exact signed value
 * (Float64Array; exact below 2^53 in magnitude; beyond that the sign, the low 32 bits and a
 * magnitude of at least 2^53 - 2^32 are kept, so such a pointer is still outside the address
 * space and such a size still too large).
 *
 * So in both ABIs `a[i]` is a guest pointer whole (x86-64: negative or >= 2^47 is outside the
 * address space, EFAULT), `a[i] | 0` an int, `a[i] >>> 0` an unsigned int (the kernel's
 * int-typed arguments take the register's low half); `ulong`/`long` read a size_t or
 * unsigned long and a long/off_t, 32 bits on i386 and 64 on x86-64.
 */
export type SyscallArgs = Uint32Array | Float64Array;

const TWO32 = 0x1_0000_0000;
/** The high half kept: [-2^21, 2^21), so hi * 2^32 + lo stays an exact double. */
const HI_MIN = -0x20_0000;
const HI_MAX = 0x1f_ffff;

/** A 64-bit register's value as x86-64 arguments hold it (see above). */
export function argOf64(v: bigint): number {
  const lo = Number(v & 0xffffffffn);
  const hi = Number(BigInt.asIntN(64, v) >> 32n);
  return Math.min(Math.max(hi, HI_MIN), HI_MAX) * TWO32 + lo;
}

/** size_t / unsigned long: i386's 32 bits; x86-64's 64 (>= 2^63 as its nearest double). */
export const ulong = (a: SyscallArgs, i: number): number => (a[i] < 0 ? a[i] + 2 ** 64 : a[i]);

/** long / ssize_t / off_t in one register: i386's 32 bits signed; x86-64's 64. */
export const long = (a: SyscallArgs, i: number): number => (a instanceof Uint32Array ? a[i] | 0 : a[i]);

/** The high 32 bits of x86-64 argument i, as i386 passes a 64-bit value's second register (unsigned). */
export const high32 = (a: SyscallArgs, i: number): number => Math.floor(a[i] / TWO32) >>> 0;

/** Arguments built by one handler for another, in the ABI of the call (x86-64 values kept whole). */
export const argsLike = (a: SyscallArgs, values: readonly number[]): SyscallArgs => (a instanceof Uint32Array ? Uint32Array.from(values) : Float64Array.from(values));

/** A pointer or unsigned long field at `off` of a structure in `v`: 4 bytes (i386) or 8 (x86-64), whole. */
export const wordAt = (v: DataView, off: number, size: number): number => (size === 8 ? Number(v.getBigUint64(off, true)) : v.getUint32(off, true));
