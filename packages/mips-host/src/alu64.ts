/**
 * 64-bit operations on registers held as two Int32Array halves (L = bits 31..0, H = bits
 * 63..32; index 32 is LO, 33 is HI). The semantics in semantics.ts call these for what does
 * not fit one line of 32-bit JavaScript arithmetic. Every function reads all its sources
 * before writing its destination, so d may equal s or t.
 */
import { MachineTrap } from './machine-fault';

/** Register index of LO and HI in the L/H arrays. */
export const LO = 32;
export const HI = 33;

function toBig(L: Int32Array, H: Int32Array, r: number): bigint {
  return (BigInt(H[r]) << 32n) | BigInt(L[r] >>> 0);
}
function fromBig(L: Int32Array, H: Int32Array, r: number, v: bigint): void {
  L[r] = Number(BigInt.asIntN(32, v));
  H[r] = Number(BigInt.asIntN(32, v >> 32n));
}
/** Writes a 32-bit result sign-extended to 64 bits. */
function set32(L: Int32Array, H: Int32Array, r: number, v: number): void {
  L[r] = v;
  H[r] = v >> 31;
}

/** High 32 bits of the unsigned 64-bit product of two 32-bit values. */
function mulhu(a: number, b: number): number {
  const a0 = a & 0xffff, a1 = a >>> 16, b0 = b & 0xffff, b1 = b >>> 16;
  const p01 = a0 * b1, p10 = a1 * b0;
  const mid = ((a0 * b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}

export const ALU64 = {
  dsll(L: Int32Array, H: Int32Array, d: number, t: number, n: number): void {
    const lo = L[t], hi = H[t];
    if (n === 0) { L[d] = lo; H[d] = hi; }
    else if (n < 32) { H[d] = (hi << n) | (lo >>> (32 - n)); L[d] = lo << n; }
    else { H[d] = lo << (n - 32); L[d] = 0; }
  },
  dsrl(L: Int32Array, H: Int32Array, d: number, t: number, n: number): void {
    const lo = L[t], hi = H[t];
    if (n === 0) { L[d] = lo; H[d] = hi; }
    else if (n < 32) { L[d] = (lo >>> n) | (hi << (32 - n)); H[d] = hi >>> n; }
    else { L[d] = hi >>> (n - 32); H[d] = 0; }
  },
  dsra(L: Int32Array, H: Int32Array, d: number, t: number, n: number): void {
    const lo = L[t], hi = H[t];
    if (n === 0) { L[d] = lo; H[d] = hi; }
    else if (n < 32) { L[d] = (lo >>> n) | (hi << (32 - n)); H[d] = hi >> n; }
    else { L[d] = hi >> (n - 32); H[d] = hi >> 31; }
  },
  drotr(L: Int32Array, H: Int32Array, d: number, t: number, n: number): void {
    let lo = L[t], hi = H[t];
    if (n >= 32) { const x = lo; lo = hi; hi = x; n -= 32; }
    if (n === 0) { L[d] = lo; H[d] = hi; }
    else { L[d] = (lo >>> n) | (hi << (32 - n)); H[d] = (hi >>> n) | (lo << (32 - n)); }
  },

  mult(L: Int32Array, H: Int32Array, s: number, t: number): void {
    const a = L[s], b = L[t];
    // Signed high word from the unsigned one: subtract b if a < 0 and a if b < 0 (mod 2^32).
    const hi = (mulhu(a, b) - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
    set32(L, H, LO, Math.imul(a, b));
    set32(L, H, HI, hi);
  },
  multu(L: Int32Array, H: Int32Array, s: number, t: number): void {
    const a = L[s], b = L[t];
    set32(L, H, LO, Math.imul(a, b));
    set32(L, H, HI, mulhu(a, b));
  },
  dmult(L: Int32Array, H: Int32Array, s: number, t: number): void {
    const p = toBig(L, H, s) * toBig(L, H, t);
    fromBig(L, H, LO, p);
    fromBig(L, H, HI, p >> 64n);
  },
  dmultu(L: Int32Array, H: Int32Array, s: number, t: number): void {
    const p = BigInt.asUintN(64, toBig(L, H, s)) * BigInt.asUintN(64, toBig(L, H, t));
    fromBig(L, H, LO, p);
    fromBig(L, H, HI, p >> 64n);
  },
  /** Division by zero and INT_MIN / -1 are UNPREDICTABLE; like QEMU, they divide by 1. */
  div(L: Int32Array, H: Int32Array, s: number, t: number): void {
    const a = L[s];
    let b = L[t];
    if (b === 0 || (a === -0x80000000 && b === -1)) b = 1;
    set32(L, H, LO, (a / b) | 0);
    set32(L, H, HI, a % b | 0);
  },
  divu(L: Int32Array, H: Int32Array, s: number, t: number): void {
    const a = L[s] >>> 0;
    const b = L[t] >>> 0 || 1;
    set32(L, H, LO, Math.floor(a / b) | 0);
    set32(L, H, HI, a % b | 0);
  },
  ddiv(L: Int32Array, H: Int32Array, s: number, t: number): void {
    const a = toBig(L, H, s);
    let b = toBig(L, H, t);
    if (b === 0n || (a === -(1n << 63n) && b === -1n)) b = 1n;
    fromBig(L, H, LO, a / b);
    fromBig(L, H, HI, a % b);
  },
  ddivu(L: Int32Array, H: Int32Array, s: number, t: number): void {
    const a = BigInt.asUintN(64, toBig(L, H, s));
    let b = BigInt.asUintN(64, toBig(L, H, t));
    if (b === 0n) b = 1n;
    fromBig(L, H, LO, a / b);
    fromBig(L, H, HI, a % b);
  },

  /** rd = zero-extended bits [pos, pos+size) of rs (dext family; ext when width is 32). */
  extract(L: Int32Array, H: Int32Array, d: number, s: number, pos: number, size: number, width: number): void {
    let lo = L[s], hi = H[s];
    if (pos >= 32) { lo = hi; hi = 0; pos -= 32; }
    if (pos > 0) { lo = (lo >>> pos) | (hi << (32 - pos)); hi = hi >>> pos; }
    if (size < 32) { lo &= (1 << size) - 1; hi = 0; }
    else if (size === 32) hi = 0;
    else if (size < 64) hi &= (1 << (size - 32)) - 1;
    if (width === 32) set32(L, H, d, lo);
    else { L[d] = lo; H[d] = hi; }
  },
  /** Bits [pos, pos+size) of rt = the low bits of rs (dins family; ins sign-extends bit 31). */
  insert(L: Int32Array, H: Int32Array, d: number, s: number, pos: number, size: number, width: number): void {
    // mask = size ones, then mask and source both shifted left by pos (as 64-bit values)
    let mlo = size >= 32 ? -1 : (1 << size) - 1;
    let mhi = size >= 64 ? -1 : size > 32 ? (1 << (size - 32)) - 1 : 0;
    let slo = L[s], shi = H[s];
    if (pos >= 32) {
      mhi = mlo << (pos - 32); mlo = 0;
      shi = slo << (pos - 32); slo = 0;
    } else if (pos > 0) {
      mhi = (mhi << pos) | (mlo >>> (32 - pos)); mlo <<= pos;
      shi = (shi << pos) | (slo >>> (32 - pos)); slo <<= pos;
    }
    const lo = (L[d] & ~mlo) | (slo & mlo);
    if (width === 32) set32(L, H, d, lo);
    else { H[d] = (H[d] & ~mhi) | (shi & mhi); L[d] = lo; }
  },

  /** 32-bit add/sub/addi that trap on signed overflow. */
  add32Trap(L: Int32Array, H: Int32Array, d: number, a: number, b: number): void {
    const r = a + b;
    if (r !== (r | 0)) throw new MachineTrap('integer-overflow', 'integer overflow');
    set32(L, H, d, r);
  },
  /** 64-bit dadd/dsub/daddi (b already negated for dsub): trap on signed overflow. */
  add64Trap(L: Int32Array, H: Int32Array, d: number, a: bigint, b: bigint): void {
    const r = a + b;
    if (r !== BigInt.asIntN(64, r)) throw new MachineTrap('integer-overflow', 'integer overflow');
    fromBig(L, H, d, r);
  },
  reg64: toBig,

  trap(kind: 'trap', message: string): never {
    throw new MachineTrap(kind, message);
  },
};
export type Alu64 = typeof ALU64;
