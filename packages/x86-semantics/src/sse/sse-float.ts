/**
 * SSE floating point on single and double elements, exactly as the SIMD unit computes it:
 * MXCSR rounding control, DAZ (denormal sources read as zero), FTZ (tiny results flushed to
 * zero when underflow is masked), the six exception flags, SSE's NaN rules (the first source
 * operand's NaN wins, quieted; invalid operations give the negative default NaN), and the
 * integer indefinite for conversions out of range. Arithmetic goes through the x87
 * soft-float with the element's precision and exponent range, so every result is rounded
 * once, at its final bit.
 *
 *   const m = new SseFp(mxcsr); const r = m.arith(F64, 'add', aBits, bBits); m.flags;
 */
import {
  CMP,
  FPE,
  fx80Add,
  fx80Compare,
  fx80Div,
  fx80FromF32Bits,
  fx80FromF64Bits,
  fx80FromInt,
  fx80Mul,
  fx80RoundToInt,
  fx80Sqrt,
  fx80ToF32Bits,
  fx80ToF64Bits,
  fx80ToInt,
  newFpStatus,
  type FpStatus,
  type Fx80,
} from '../fpu/softfloat';

/** MXCSR bits. */
export const MXCSR = { FLAGS: 0x3f, DE: 0x02, UE: 0x10, PE: 0x20, DAZ: 0x40, MASK_SHIFT: 7, RC_SHIFT: 13, FTZ: 0x8000, DEFAULT: 0x1f80 } as const;

export interface FloatFormat {
  bits: 32 | 64;
  expBits: number;
  fracBits: number;
  prec: number;
  emin: number;
}
export const F32: FloatFormat = { bits: 32, expBits: 8, fracBits: 23, prec: 24, emin: -126 };
export const F64: FloatFormat = { bits: 64, expBits: 11, fracBits: 52, prec: 53, emin: -1022 };

const expField = (f: FloatFormat, v: bigint): number => Number((v >> BigInt(f.fracBits)) & BigInt((1 << f.expBits) - 1));
const fracField = (f: FloatFormat, v: bigint): bigint => v & ((1n << BigInt(f.fracBits)) - 1n);
const signBit = (f: FloatFormat): bigint => 1n << BigInt(f.bits - 1);
export const isNaN = (f: FloatFormat, v: bigint): boolean => expField(f, v) === (1 << f.expBits) - 1 && fracField(f, v) !== 0n;
const isSNaN = (f: FloatFormat, v: bigint): boolean => isNaN(f, v) && !((v >> BigInt(f.fracBits - 1)) & 1n);
const isDenormal = (f: FloatFormat, v: bigint): boolean => expField(f, v) === 0 && fracField(f, v) !== 0n;
const quietNaN = (f: FloatFormat, v: bigint): bigint => v | (1n << BigInt(f.fracBits - 1));

export type ArithOp = 'add' | 'sub' | 'mul' | 'div' | 'min' | 'max';

/** One instruction's floating-point context: MXCSR's controls in, exception flags out. */
export class SseFp {
  flags = 0;
  constructor(public mxcsr: number) {}

  /** The next instruction's context (one object reused by the SSE helper). */
  reset(mxcsr: number): this {
    this.mxcsr = mxcsr;
    this.flags = 0;
    return this;
  }

  private status(f: FloatFormat, rc = (this.mxcsr >> MXCSR.RC_SHIFT) & 3): FpStatus {
    const st = newFpStatus(rc, f.prec);
    st.emin = f.emin;
    return st;
  }

  /** A source element after DAZ; DE for a denormal the operation reads. */
  private source(f: FloatFormat, v: bigint): bigint {
    if (!isDenormal(f, v)) return v;
    if (this.mxcsr & MXCSR.DAZ) return v & signBit(f);
    this.flags |= FPE.DE;
    return v;
  }

  private toFx(f: FloatFormat, st: FpStatus, v: bigint): Fx80 {
    return f.bits === 64 ? fx80FromF64Bits(st, v) : fx80FromF32Bits(st, Number(v));
  }

  /** Rounds an x87 value (already rounded to f's precision and range) to f's bits; FTZ; collects flags. */
  private pack(f: FloatFormat, st: FpStatus, x: Fx80): bigint {
    let r = f.bits === 64 ? fx80ToF64Bits(st, x) : BigInt(fx80ToF32Bits(st, x) >>> 0);
    let flags = st.flags & ~FPE.DE;
    const umMasked = (this.mxcsr >> MXCSR.MASK_SHIFT) & FPE.UE;
    // masked, underflow is tiny and inexact; unmasked, tiny alone traps (measured: an exact subnormal product)
    if (!umMasked && st.tiny) flags |= FPE.UE;
    if (this.mxcsr & MXCSR.FTZ && umMasked && (isDenormal(f, r) || flags & FPE.UE)) {
      r &= signBit(f);
      flags |= FPE.UE | FPE.PE;
    }
    this.flags |= flags;
    return r;
  }

  /** NaN operands: IE for an SNaN (or any NaN when `signalQuiet`); the first NaN operand, quieted. */
  private nanResult(f: FloatFormat, a: bigint, b?: bigint): bigint | undefined {
    const an = isNaN(f, a);
    const bn = b !== undefined && isNaN(f, b);
    if (!an && !bn) return undefined;
    if (isSNaN(f, a) || (b !== undefined && isSNaN(f, b))) this.flags |= FPE.IE;
    return quietNaN(f, an ? a : b!);
  }

  arith(f: FloatFormat, op: ArithOp, a: bigint, b: bigint): bigint {
    if (op === 'min' || op === 'max') return this.minMax(f, op, a, b);
    const nan = this.nanResult(f, a, b);
    if (nan !== undefined) return nan;
    const before = this.flags;
    a = this.source(f, a);
    b = this.source(f, b);
    const st = this.status(f);
    const x = this.toFx(f, st, a);
    const y = this.toFx(f, st, b);
    const r = op === 'add' ? fx80Add(st, x, y, false) : op === 'sub' ? fx80Add(st, x, y, true) : op === 'mul' ? fx80Mul(st, x, y) : fx80Div(st, x, y);
    return this.packDropDenormal(f, st, r, before);
  }

  /** pack, and an invalid operation or a division by zero reports no denormal operand (the SIMD unit's priority) */
  private packDropDenormal(f: FloatFormat, st: FpStatus, r: Fx80, before: number): bigint {
    const v = this.pack(f, st, r);
    if (st.flags & (FPE.IE | FPE.ZE)) this.flags = (this.flags & ~FPE.DE) | (before & FPE.DE);
    return v;
  }

  /** minps/maxps: the second operand when either is a NaN (IE for any NaN) or both are zeros. */
  private minMax(f: FloatFormat, op: 'min' | 'max', a: bigint, b: bigint): bigint {
    if (isNaN(f, a) || isNaN(f, b)) {
      this.flags |= FPE.IE;
      return isDenormal(f, b) && this.mxcsr & MXCSR.DAZ ? b & signBit(f) : b;
    }
    // the result is the operand as read: DAZ applies to it
    a = this.source(f, a);
    b = this.source(f, b);
    const c = this.compare(f, a, b, false);
    if (c === CMP.EQUAL) return b;
    return (op === 'min') === (c === CMP.LESS) ? a : b;
  }

  sqrt(f: FloatFormat, a: bigint): bigint {
    const nan = this.nanResult(f, a);
    if (nan !== undefined) return nan;
    const before = this.flags;
    a = this.source(f, a);
    const st = this.status(f);
    return this.packDropDenormal(f, st, fx80Sqrt(st, this.toFx(f, st, a)), before);
  }

  /** a ? b as CMP.*; IE for SNaNs, or for any NaN when `signalQuiet` (comiss, the ordered cmpps predicates). */
  compare(f: FloatFormat, a: bigint, b: bigint, signalQuiet: boolean): number {
    if (isNaN(f, a) || isNaN(f, b)) {
      if (signalQuiet || isSNaN(f, a) || isSNaN(f, b)) this.flags |= FPE.IE;
      return CMP.UNORDERED;
    }
    a = this.source(f, a);
    b = this.source(f, b);
    const st = this.status(f);
    return fx80Compare(st, this.toFx(f, st, a), this.toFx(f, st, b), false);
  }

  /** cvtss2sd / cvtsd2ss */
  convert(from: FloatFormat, to: FloatFormat, a: bigint): bigint {
    if (isNaN(from, a)) {
      if (isSNaN(from, a)) this.flags |= FPE.IE;
      // the payload's top bits move over, quieted
      const sign = (a >> BigInt(from.bits - 1)) & 1n;
      const frac = from.fracBits > to.fracBits ? fracField(from, a) >> BigInt(from.fracBits - to.fracBits) : fracField(from, a) << BigInt(to.fracBits - from.fracBits);
      return quietNaN(to, (sign << BigInt(to.bits - 1)) | (BigInt((1 << to.expBits) - 1) << BigInt(to.fracBits)) | frac);
    }
    a = this.source(from, a);
    const st = this.status(to);
    return this.pack(to, st, this.toFx(from, st, a));
  }

  /** cvtsi2ss/sd, cvtdq2ps/pd: a signed integer, rounded as MXCSR says. */
  fromInt(to: FloatFormat, v: bigint): bigint {
    const st = this.status(to);
    // fx80FromInt is exact in 64 bits; round it once to the element
    const x = fx80FromInt(v);
    return this.pack(to, st, fx80Add(st, x, fx80FromInt(0n), false));
  }

  /** cvt(t)ss2si and friends: the 32- or 64-bit integer, or the indefinite (0x80000000...) with IE. */
  toInt(from: FloatFormat, a: bigint, truncate: boolean, bits: 32 | 64 = 32): bigint {
    // conversions to integers raise no DE (DAZ still reads a denormal as zero)
    if (isDenormal(from, a) && this.mxcsr & MXCSR.DAZ) a &= signBit(from);
    const st = this.status(from);
    const v = fx80ToInt(st, this.toFx(from, st, a), bits, truncate);
    this.flags |= st.flags & ~FPE.DE;
    return BigInt.asIntN(bits, v);
  }

  /** roundss/roundps: imm8 bit 2 chooses MXCSR.RC over imm8[1:0]; bit 3 suppresses PE. */
  roundToInt(f: FloatFormat, a: bigint, imm: number): bigint {
    const nan = this.nanResult(f, a);
    if (nan !== undefined) return nan;
    // rounding to an integer reports no denormal operand (DAZ still applies)
    if (isDenormal(f, a) && this.mxcsr & MXCSR.DAZ) a &= signBit(f);
    const st = this.status(f, imm & 4 ? (this.mxcsr >> MXCSR.RC_SHIFT) & 3 : imm & 3);
    const r = this.pack(f, st, fx80RoundToInt(st, this.toFx(f, st, a)));
    if (imm & 8) this.flags &= ~FPE.PE;
    return r;
  }
}
