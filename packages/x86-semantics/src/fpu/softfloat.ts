/**
 * floatx80 soft-float on BigInt (the x87's 80-bit extended format, as QEMU's softfloat does
 * it in C): every finite operand is an exact value sig * 2^exp with an integer significand,
 * every operation computes its exact (or sticky-rounded) result and rounds once, in
 * roundPack, to the precision and exponent range of the destination, honouring the four
 * rounding modes. The x87 exception flags (IE DE ZE OE UE PE) and C1 ("rounded up")
 * accumulate in the FpStatus the caller passes.
 *
 *   const st = newFpStatus(RC.NEAREST, 64);
 *   const z = fx80Add(st, fx80FromF64(st, 1.5), fx80FromF64(st, 2), false);  // 3.5
 */

/** An 80-bit extended value: sign, 15-bit biased exponent, 64-bit significand (explicit integer bit). */
export interface Fx80 {
  sign: number;
  exp: number;
  mant: bigint;
}

export const RC = { NEAREST: 0, DOWN: 1, UP: 2, ZERO: 3 } as const;

/** x87 status-word exception bits. */
export const FPE = { IE: 0x01, DE: 0x02, ZE: 0x04, OE: 0x08, UE: 0x10, PE: 0x20 } as const;

export interface FpStatus {
  /** rounding control (RC.*) */
  rc: number;
  /** significand bits results are rounded to: 24, 53 or 64 (precision control) */
  prec: number;
  /** FPE bits raised so far */
  flags: number;
  /** the last inexact rounding went up in magnitude (x87's C1) */
  roundedUp: boolean;
  /** a memory operand was a denormal in its own format (DE when the operation uses it) */
  memDenormal: boolean;
  /**
   * SSE: the destination format's smallest normal exponent, so that a result in its
   * subnormal range is rounded once, at its final bit (the x87 keeps its own range).
   */
  emin?: number;
  /** SSE: a rounding judged its result tiny (exact or not: an unmasked UE traps on either) */
  tiny?: boolean;
}

export function newFpStatus(rc: number, prec: number): FpStatus {
  return { rc, prec, flags: 0, roundedUp: false, memDenormal: false };
}

/**
 * A destination format: significand bits, normal exponent range (unbiased). Underflow's
 * tininess is judged after rounding (to prec bits, exponent unbounded), as the x87 does in its
 * register format and its stores, and as SSE does (measured on the CPU: a value rounding up to
 * the smallest normal raises no UE, and FTZ leaves it).
 */
interface Format {
  prec: number;
  emin: number;
  emax: number;
}
const EXT_EMIN = -16382;
const EXT_EMAX = 16383;
const F64: Format = { prec: 53, emin: -1022, emax: 1023 };
const F32: Format = { prec: 24, emin: -126, emax: 127 };

const BIT63 = 1n << 63n;
const MASK64 = (1n << 64n) - 1n;
const QUIET_BIT = 1n << 62n;

export const fx80 = (sign: number, exp: number, mant: bigint): Fx80 => ({ sign, exp, mant });
export const FX80_ZERO: Fx80 = fx80(0, 0, 0n);
export const FX80_ONE: Fx80 = fx80(0, 0x3fff, BIT63);
/** The "real indefinite" QNaN invalid operations produce. */
export const FX80_INDEFINITE: Fx80 = fx80(1, 0x7fff, 0xc000000000000000n);
export const fx80Inf = (sign: number): Fx80 => fx80(sign, 0x7fff, BIT63);

const lengthBits = new DataView(new ArrayBuffer(8));
/** the bit length of a non-negative value (the transcendental functions' hot path) */
export function bitLength(v: bigint): number {
  if (v <= 0xffffffffn) return 32 - Math.clz32(Number(v));
  const n = Number(v);
  if (n === Infinity) return 1024 + bitLength(v >> 1024n);
  // the double's exponent, unless rounding carried it up to the next power of two
  lengthBits.setFloat64(0, n);
  const e = ((lengthBits.getUint16(0) >> 4) & 0x7ff) - 1023;
  return n === 2 ** e && v >> BigInt(e) === 0n ? e : e + 1;
}

// ---- classification ----------------------------------------------------------------------

export const Kind = { Zero: 0, Finite: 1, Inf: 2, NaN: 3 } as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

export function fx80Kind(a: Fx80): Kind {
  if (a.exp === 0x7fff) {
    if ((a.mant & BIT63) === 0n) return Kind.NaN; // pseudo-infinity/NaN: invalid operands
    return (a.mant & ~BIT63 & MASK64) === 0n ? Kind.Inf : Kind.NaN;
  }
  if (a.exp !== 0 && (a.mant & BIT63) === 0n) return Kind.NaN; // unnormal: invalid operand
  return a.mant === 0n ? Kind.Zero : Kind.Finite;
}

/** A NaN whose quiet bit is clear (an SNaN, or an unsupported encoding). */
export function fx80IsSignaling(a: Fx80): boolean {
  if (a.exp === 0x7fff) return (a.mant & BIT63) === 0n || ((a.mant & QUIET_BIT) === 0n && (a.mant & ~BIT63 & MASK64) !== 0n);
  return a.exp !== 0 && (a.mant & BIT63) === 0n;
}

/** The value's exponent scaling: value = mant * 2^unbiasedLsb(a) (finite only). */
const lsbExp = (a: Fx80): number => (a.exp === 0 ? 1 : a.exp) - 16383 - 63;

function isDenormal(a: Fx80): boolean {
  return a.exp === 0 && a.mant !== 0n;
}

// ---- rounding -----------------------------------------------------------------------------

/** Result of rounding: sig < 2^prec at weight 2^lsb, or overflowed to inf/max. */
interface Rounded {
  sig: bigint;
  lsb: number;
  overflow: boolean;
}

/** sig shifted right by `shift` bits (left if negative), whether bits were lost, and whether rc rounds it up. */
function roundBits(rc: number, sign: number, sig: bigint, shift: number, sticky: boolean): { sig: bigint; inexact: boolean; inc: boolean } {
  let rem = 0n;
  let half = 0n;
  if (shift > 0) {
    const s = BigInt(shift);
    rem = sig & ((1n << s) - 1n);
    half = 1n << (s - 1n);
    sig >>= s;
  } else if (shift < 0) {
    sig <<= BigInt(-shift);
  }
  const inexact = rem !== 0n || sticky;
  let inc = false;
  if (inexact) {
    switch (rc) {
      case RC.NEAREST:
        inc = shift > 0 && (rem > half || (rem === half && (sticky || (sig & 1n) === 1n)));
        break;
      case RC.UP:
        inc = sign === 0;
        break;
      case RC.DOWN:
        inc = sign !== 0;
        break;
      default:
        inc = false;
    }
  }
  return { sig, inexact, inc };
}

/**
 * Rounds sign * (sig + sticky fraction) * 2^exp to `fmt` under st.rc. `sticky` says nonzero
 * bits exist below sig's last bit (an inexact quotient or root).
 */
function roundCore(st: FpStatus, sign: number, sig: bigint, exp: number, sticky: boolean, fmt: Format): Rounded {
  if (sig === 0n && !sticky) return { sig: 0n, lsb: 0, overflow: false };
  const n = bitLength(sig);
  const lead = sig === 0n ? -Infinity : exp + n - 1;
  let tiny = lead < fmt.emin;
  if (tiny && lead === fmt.emin - 1) {
    // not tiny if rounding to prec bits at this exponent carries into 2^emin
    const u = roundBits(st.rc, sign, sig, lead - (fmt.prec - 1) - exp, sticky);
    tiny = !(u.inc && u.sig + 1n === 1n << BigInt(fmt.prec));
  }
  if (tiny) st.tiny = true;
  let lsb = Math.max(lead, fmt.emin) - (fmt.prec - 1);
  const r = roundBits(st.rc, sign, sig, lsb - exp, sticky);
  sig = r.sig;
  const inc = r.inc;
  if (r.inexact) {
    st.flags |= FPE.PE;
    st.roundedUp = inc;
    if (tiny) st.flags |= FPE.UE;
  }
  if (inc) {
    sig += 1n;
    if (sig === 1n << BigInt(fmt.prec)) {
      sig >>= 1n;
      lsb++;
    }
  }
  const finalLead = sig === 0n ? -Infinity : lsb + bitLength(sig) - 1;
  if (finalLead > fmt.emax) {
    st.flags |= FPE.OE | FPE.PE;
    const toInf = st.rc === RC.NEAREST || (st.rc === RC.UP && sign === 0) || (st.rc === RC.DOWN && sign !== 0);
    st.roundedUp = toInf;
    return { sig: toInf ? -1n : (1n << BigInt(fmt.prec)) - 1n, lsb: fmt.emax - (fmt.prec - 1), overflow: toInf };
  }
  return { sig, lsb, overflow: false };
}

/**
 * Rounds to the x87 register format with precision `prec` (precision control keeps the 15-bit
 * exponent range); tininess after rounding, as the x87 judges it (measured: a product rounding
 * up to the smallest normal raises no UE); SSE (st.emin set) the same in its element's range.
 */
export function roundPackFx80(st: FpStatus, sign: number, sig: bigint, exp: number, sticky: boolean, prec = st.prec): Fx80 {
  const fmt = { prec, emin: st.emin ?? EXT_EMIN, emax: EXT_EMAX };
  const r = roundCore(st, sign, sig, exp, sticky, fmt);
  if (r.overflow) return fx80Inf(sign);
  if (r.sig === 0n) return fx80(sign, 0, 0n);
  const n = bitLength(r.sig);
  const lead = r.lsb + n - 1;
  if (lead < EXT_EMIN) return fx80(sign, 0, r.sig << BigInt(64 - prec));
  return fx80(sign, lead + 16383, r.sig << BigInt(64 - n));
}

/** Rounds to an IEEE binary format; returns its bit pattern (bigint) without the sign. */
function roundPackIeee(st: FpStatus, sign: number, sig: bigint, exp: number, sticky: boolean, fmt: Format, expBits: number): bigint {
  const fracBits = BigInt(fmt.prec - 1);
  const r = roundCore(st, sign, sig, exp, sticky, fmt);
  const infBits = BigInt((1 << expBits) - 1) << fracBits;
  if (r.overflow) return infBits;
  if (r.sig === 0n) return 0n;
  const lead = r.lsb + bitLength(r.sig) - 1;
  if (lead < fmt.emin) return r.sig; // denormal: biased exponent 0
  const bias = fmt.emax;
  return (BigInt(lead + bias) << fracBits) | (r.sig & ((1n << fracBits) - 1n));
}

// ---- NaN propagation ---------------------------------------------------------------------

const quiet = (a: Fx80): Fx80 => fx80(a.sign, a.exp, a.mant | QUIET_BIT | BIT63);

/** x87 NaN rule: an SNaN operand raises IE; of two NaNs the larger significand wins. */
function propagateNaN(st: FpStatus, a: Fx80, b?: Fx80): Fx80 {
  const aNaN = fx80Kind(a) === Kind.NaN;
  const bNaN = b !== undefined && fx80Kind(b) === Kind.NaN;
  if ((aNaN && fx80IsSignaling(a)) || (bNaN && fx80IsSignaling(b!))) st.flags |= FPE.IE;
  // unsupported encodings (unnormals, pseudo-NaNs) give the indefinite
  if ((aNaN && !isRealNaN(a)) || (bNaN && !isRealNaN(b!))) return FX80_INDEFINITE;
  if (aNaN && bNaN) {
    // an SNaN and a QNaN give the QNaN; two of a kind, the larger significand
    const sa = fx80IsSignaling(a);
    const sb = fx80IsSignaling(b!);
    if (sa !== sb) return quiet(sa ? b! : a);
    const qa = a.mant | QUIET_BIT;
    const qb = b!.mant | QUIET_BIT;
    if (qa === qb) return quiet(a.sign < b!.sign ? a : b!);
    return quiet(qa > qb ? a : b!);
  }
  return quiet(aNaN ? a : b!);
}

const isRealNaN = (a: Fx80): boolean => a.exp === 0x7fff && (a.mant & BIT63) !== 0n;

function invalid(st: FpStatus): Fx80 {
  st.flags |= FPE.IE;
  return FX80_INDEFINITE;
}

/** DE for a denormal operand (checked after NaNs, before every other special case, as the x87 does). */
function noteDenormals(st: FpStatus, a: Fx80, b?: Fx80): void {
  if (st.memDenormal || isDenormal(a) || (b !== undefined && isDenormal(b))) st.flags |= FPE.DE;
}

// ---- arithmetic ----------------------------------------------------------------------------

export function fx80Add(st: FpStatus, a: Fx80, b: Fx80, subtract: boolean): Fx80 {
  const ka = fx80Kind(a);
  const kb = fx80Kind(b);
  if (ka === Kind.NaN || kb === Kind.NaN) return propagateNaN(st, a, b);
  const bs = subtract ? b.sign ^ 1 : b.sign;
  if (ka === Kind.Inf && kb === Kind.Inf && a.sign !== bs) return invalid(st);
  noteDenormals(st, a, b);
  if (ka === Kind.Inf || kb === Kind.Inf) {
    return ka === Kind.Inf ? fx80Inf(a.sign) : fx80Inf(bs);
  }
  if (ka === Kind.Zero && kb === Kind.Zero) {
    const sign = a.sign === bs ? a.sign : st.rc === RC.DOWN ? 1 : 0;
    return fx80(sign, 0, 0n);
  }
  if (ka === Kind.Zero) return roundPackFx80(st, bs, b.mant, lsbExp(b), false);
  if (kb === Kind.Zero) return roundPackFx80(st, a.sign, a.mant, lsbExp(a), false);
  const ea = lsbExp(a);
  const eb = lsbExp(b);
  const e = Math.min(ea, eb);
  const sa = a.mant << BigInt(ea - e);
  const sb = b.mant << BigInt(eb - e);
  let sum = (a.sign ? -sa : sa) + (bs ? -sb : sb);
  if (sum === 0n) return fx80(st.rc === RC.DOWN ? 1 : 0, 0, 0n);
  const sign = sum < 0n ? 1 : 0;
  if (sum < 0n) sum = -sum;
  return roundPackFx80(st, sign, sum, e, false);
}

export function fx80Mul(st: FpStatus, a: Fx80, b: Fx80): Fx80 {
  const ka = fx80Kind(a);
  const kb = fx80Kind(b);
  if (ka === Kind.NaN || kb === Kind.NaN) return propagateNaN(st, a, b);
  const sign = a.sign ^ b.sign;
  if ((ka === Kind.Inf && kb === Kind.Zero) || (ka === Kind.Zero && kb === Kind.Inf)) return invalid(st);
  noteDenormals(st, a, b);
  if (ka === Kind.Inf || kb === Kind.Inf) return fx80Inf(sign);
  if (ka === Kind.Zero || kb === Kind.Zero) return fx80(sign, 0, 0n);
  return roundPackFx80(st, sign, a.mant * b.mant, lsbExp(a) + lsbExp(b), false);
}

export function fx80Div(st: FpStatus, a: Fx80, b: Fx80): Fx80 {
  const ka = fx80Kind(a);
  const kb = fx80Kind(b);
  if (ka === Kind.NaN || kb === Kind.NaN) return propagateNaN(st, a, b);
  const sign = a.sign ^ b.sign;
  if ((ka === Kind.Inf && kb === Kind.Inf) || (ka === Kind.Zero && kb === Kind.Zero)) return invalid(st);
  if (kb === Kind.Zero && ka !== Kind.Inf) {
    st.flags |= FPE.ZE;
    return fx80Inf(sign);
  }
  noteDenormals(st, a, b);
  if (ka === Kind.Inf) return fx80Inf(sign);
  if (kb === Kind.Inf) return fx80(sign, 0, 0n);
  if (ka === Kind.Zero) return fx80(sign, 0, 0n);
  const k = 130n;
  const num = a.mant << k;
  const q = num / b.mant;
  return roundPackFx80(st, sign, q, lsbExp(a) - lsbExp(b) - 130, q * b.mant !== num);
}

/** Integer square root (floor) of a non-negative bigint. */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt((bitLength(n) + 1) >> 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

export function fx80Sqrt(st: FpStatus, a: Fx80): Fx80 {
  const k = fx80Kind(a);
  if (k === Kind.NaN) return propagateNaN(st, a);
  if (a.sign && k !== Kind.Zero) return invalid(st);
  noteDenormals(st, a);
  if (k !== Kind.Finite) return a;
  const e = lsbExp(a);
  let s = 140;
  if ((e - s) & 1) s++;
  const n = a.mant << BigInt(s);
  const r = isqrt(n);
  return roundPackFx80(st, 0, r, (e - s) / 2, r * r !== n);
}

/** a * 2^n for an integer n (fscale's core). */
export function fx80Scale(st: FpStatus, a: Fx80, n: number, b?: Fx80): Fx80 {
  const k = fx80Kind(a);
  if (k === Kind.NaN) return propagateNaN(st, a);
  noteDenormals(st, a, b);
  if (k !== Kind.Finite) return a;
  const clamped = Math.max(-70000, Math.min(70000, n));
  return roundPackFx80(st, a.sign, a.mant, lsbExp(a) + clamped, false, 64);
}

// ---- rounding to integers ------------------------------------------------------------------

/** The integer nearest a finite value under rc (exact bigint, signed); sets PE when inexact. */
function roundToBigInt(st: FpStatus, a: Fx80, rc: number): bigint {
  if (a.mant === 0n) return 0n;
  const e = lsbExp(a);
  let mag: bigint;
  if (e >= 0) mag = a.mant << BigInt(e);
  else {
    const s = BigInt(-e);
    if (-e > 70) {
      mag = 0n;
      const inc = rc === RC.UP ? a.sign === 0 : rc === RC.DOWN ? a.sign !== 0 : false;
      st.flags |= FPE.PE;
      st.roundedUp = inc;
      if (inc) mag = 1n;
    } else {
      mag = a.mant >> s;
      const rem = a.mant & ((1n << s) - 1n);
      const half = 1n << (s - 1n);
      let inc = false;
      if (rem !== 0n) {
        st.flags |= FPE.PE;
        if (rc === RC.NEAREST) inc = rem > half || (rem === half && (mag & 1n) === 1n);
        else if (rc === RC.UP) inc = a.sign === 0;
        else if (rc === RC.DOWN) inc = a.sign !== 0;
        st.roundedUp = inc;
      }
      if (inc) mag += 1n;
    }
  }
  return a.sign ? -mag : mag;
}

/** frndint: the value rounded to an integer under st.rc, as floatx80. */
export function fx80RoundToInt(st: FpStatus, a: Fx80): Fx80 {
  const k = fx80Kind(a);
  if (k === Kind.NaN) return propagateNaN(st, a);
  if (k !== Kind.Finite) return a;
  noteDenormals(st, a);
  if (lsbExp(a) >= 0) return a;
  const v = roundToBigInt(st, a, st.rc);
  if (v === 0n) return fx80(a.sign, 0, 0n);
  return roundPackFx80(st, a.sign, v < 0n ? -v : v, 0, false, 64);
}

/**
 * Conversion to a `bits`-bit signed integer (fist/fistp, fisttp with truncate): out of
 * range, NaN and infinity raise IE and give the integer indefinite (the minimum value).
 */
export function fx80ToInt(st: FpStatus, a: Fx80, bits: number, truncate: boolean): bigint {
  const k = fx80Kind(a);
  const indefinite = -(1n << BigInt(bits - 1));
  if (k === Kind.NaN || k === Kind.Inf) {
    st.flags |= FPE.IE;
    return indefinite;
  }
  if (k === Kind.Zero) return 0n;
  const save = { flags: st.flags, up: st.roundedUp };
  const v = roundToBigInt(st, a, truncate ? RC.ZERO : st.rc);
  if (v < indefinite || v > -indefinite - 1n) {
    st.flags = save.flags | FPE.IE;
    st.roundedUp = save.up;
    return indefinite;
  }
  return v;
}

export function fx80FromInt(v: bigint): Fx80 {
  if (v === 0n) return FX80_ZERO;
  const sign = v < 0n ? 1 : 0;
  const m = sign ? -v : v;
  const n = bitLength(m);
  return fx80(sign, n - 1 + 16383, m << BigInt(64 - n));
}

// ---- IEEE formats --------------------------------------------------------------------------

/**
 * An IEEE single/double in the register format. A signaling NaN is quieted with IE (a load),
 * unless `operand`: an arithmetic operand stays signaling, for the NaN rules to see it as one.
 */
function fromIeee(st: FpStatus, bits: bigint, expBits: number, fracBits: number, operand = false): Fx80 {
  const sign = Number(bits >> BigInt(expBits + fracBits)) & 1;
  const e = Number((bits >> BigInt(fracBits)) & BigInt((1 << expBits) - 1));
  const frac = bits & ((1n << BigInt(fracBits)) - 1n);
  const bias = (1 << (expBits - 1)) - 1;
  const up = BigInt(63 - fracBits);
  if (e === (1 << expBits) - 1) {
    if (frac === 0n) return fx80Inf(sign);
    const nan = fx80(sign, 0x7fff, BIT63 | (frac << up));
    if ((frac >> BigInt(fracBits - 1)) === 0n && !operand) {
      st.flags |= FPE.IE; // a signaling NaN load is quieted
      return quiet(nan);
    }
    return nan;
  }
  if (e === 0) {
    if (frac === 0n) return fx80(sign, 0, 0n);
    st.memDenormal = true;
    const n = bitLength(frac);
    // value = frac * 2^(1 - bias - fracBits)
    return fx80(sign, 1 - bias - fracBits + n - 1 + 16383, frac << BigInt(64 - n));
  }
  return fx80(sign, e - bias + 16383, BIT63 | (frac << up));
}

function toIeee(st: FpStatus, a: Fx80, fmt: Format, expBits: number): bigint {
  const fracBits = fmt.prec - 1;
  const signBit = BigInt(a.sign) << BigInt(expBits + fracBits);
  const k = fx80Kind(a);
  const expAll = BigInt((1 << expBits) - 1) << BigInt(fracBits);
  if (k === Kind.NaN) {
    if (!isRealNaN(a)) {
      st.flags |= FPE.IE;
      return (1n << BigInt(expBits + fracBits)) | expAll | (1n << BigInt(fracBits - 1));
    }
    if (fx80IsSignaling(a)) st.flags |= FPE.IE;
    const frac = ((a.mant | QUIET_BIT) & ~BIT63 & MASK64) >> BigInt(63 - fracBits);
    return signBit | expAll | frac;
  }
  if (k === Kind.Inf) return signBit | expAll;
  if (k === Kind.Zero) return signBit;
  return signBit | roundPackIeee(st, a.sign, a.mant, lsbExp(a), false, fmt, expBits);
}

export const fx80FromF64Bits = (st: FpStatus, bits: bigint, operand = false): Fx80 => fromIeee(st, bits, 11, 52, operand);
export const fx80FromF32Bits = (st: FpStatus, bits: number, operand = false): Fx80 => fromIeee(st, BigInt(bits >>> 0), 8, 23, operand);
export const fx80ToF64Bits = (st: FpStatus, a: Fx80): bigint => toIeee(st, a, F64, 11);
export const fx80ToF32Bits = (st: FpStatus, a: Fx80): number => Number(toIeee(st, a, F32, 8));

const f64View = new DataView(new ArrayBuffer(8));

/** A JS number as floatx80 (exact: every double is representable). */
export function fx80FromNumber(v: number): Fx80 {
  f64View.setFloat64(0, v, true);
  return fromIeee(newFpStatus(RC.NEAREST, 64), f64View.getBigUint64(0, true), 11, 52);
}

/** floatx80 rounded to the nearest double (for the transcendental functions). */
export function fx80ToNumber(a: Fx80): number {
  f64View.setBigUint64(0, toIeee(newFpStatus(RC.NEAREST, 64), a, F64, 11), true);
  return f64View.getFloat64(0, true);
}

// ---- BCD -----------------------------------------------------------------------------------

/** fbld: 18 packed BCD digits and a sign byte (10 bytes, little-endian). */
export function fx80FromBcd(bytes: Uint8Array): Fx80 {
  let v = 0n;
  for (let i = 8; i >= 0; i--) v = v * 100n + BigInt((bytes[i] >> 4) * 10 + (bytes[i] & 15));
  const r = fx80FromInt(v);
  return fx80(bytes[9] & 0x80 ? 1 : 0, r.exp, r.mant);
}

/** fbstp: rounds under st.rc; out of range or NaN gives the BCD indefinite. */
export function fx80ToBcd(st: FpStatus, a: Fx80): Uint8Array {
  const out = new Uint8Array(10);
  const k = fx80Kind(a);
  const limit = 10n ** 18n;
  let v = 0n;
  const save = { flags: st.flags, up: st.roundedUp };
  if (k === Kind.Finite) v = roundToBigInt(st, a, st.rc);
  if (k === Kind.NaN || k === Kind.Inf || v >= limit || v <= -limit) {
    // invalid only: the rounding that went out of range raises neither PE nor C1
    st.flags = save.flags | FPE.IE;
    st.roundedUp = save.up;
    out.set([0, 0, 0, 0, 0, 0, 0, 0xc0, 0xff, 0xff]);
    return out;
  }
  let m = v < 0n ? -v : v;
  for (let i = 0; i < 9; i++) {
    const d = Number(m % 100n);
    m /= 100n;
    out[i] = ((Math.floor(d / 10) << 4) | d % 10) & 0xff;
  }
  out[9] = a.sign ? 0x80 : 0;
  return out;
}

// ---- compare, remainder, decomposition ------------------------------------------------------

export const CMP = { LESS: -1, EQUAL: 0, GREATER: 1, UNORDERED: 2 } as const;

/** a ? b; IE for SNaN operands, or for any NaN when `signalQuiet` (fcom, ficom; not fucom). */
export function fx80Compare(st: FpStatus, a: Fx80, b: Fx80, signalQuiet: boolean): number {
  const ka = fx80Kind(a);
  const kb = fx80Kind(b);
  if (ka === Kind.NaN || kb === Kind.NaN) {
    if (signalQuiet || (ka === Kind.NaN && fx80IsSignaling(a)) || (kb === Kind.NaN && fx80IsSignaling(b))) st.flags |= FPE.IE;
    return CMP.UNORDERED;
  }
  noteDenormals(st, a, b);
  const va = signedMagnitude(a, ka);
  const vb = signedMagnitude(b, kb);
  return va.cmp(vb);
}

/** A comparable view of a non-NaN value. */
function signedMagnitude(a: Fx80, k: Kind): { cmp(o: { s: number; e: number; m: bigint; z: boolean; inf: boolean }): number; s: number; e: number; m: bigint; z: boolean; inf: boolean } {
  const self = {
    s: a.sign,
    e: k === Kind.Finite ? lsbExp(a) : 0,
    m: a.mant,
    z: k === Kind.Zero,
    inf: k === Kind.Inf,
    cmp(o: { s: number; e: number; m: bigint; z: boolean; inf: boolean }): number {
      if (self.z && o.z) return 0;
      const mag = compareMagnitude(self, o);
      const sa = self.z ? 0 : self.s ? -1 : 1;
      const sb = o.z ? 0 : o.s ? -1 : 1;
      if (sa !== sb) return sa < sb ? -1 : 1;
      return sa >= 0 ? mag : -mag;
    },
  };
  return self;
}

function compareMagnitude(a: { e: number; m: bigint; z: boolean; inf: boolean }, b: { e: number; m: bigint; z: boolean; inf: boolean }): number {
  if (a.inf || b.inf) return a.inf && b.inf ? 0 : a.inf ? 1 : -1;
  if (a.z || b.z) return a.z && b.z ? 0 : a.z ? -1 : 1;
  const e = Math.min(a.e, b.e);
  const ma = a.m << BigInt(a.e - e);
  const mb = b.m << BigInt(b.e - e);
  return ma === mb ? 0 : ma > mb ? 1 : -1;
}

export interface Remainder {
  value: Fx80;
  /** low three bits of the quotient (C0 = q2, C3 = q1, C1 = q0) */
  q: number;
  /** true when the reduction is partial (C2) */
  partial: boolean;
}

/**
 * fprem (truncating quotient) and fprem1 (IEEE: nearest-even quotient). When the exponents
 * differ by 64 or more the x87 reduces only partially, by a power of two between 32 and 63.
 */
export function fx80Rem(st: FpStatus, a: Fx80, b: Fx80, ieee: boolean): Remainder | Fx80 {
  const ka = fx80Kind(a);
  const kb = fx80Kind(b);
  if (ka === Kind.NaN || kb === Kind.NaN) return propagateNaN(st, a, b);
  if (ka === Kind.Inf || kb === Kind.Zero) return invalid(st);
  noteDenormals(st, a, b);
  if (ka === Kind.Zero || kb === Kind.Inf) return { value: a, q: 0, partial: false };
  const ea = lsbExp(a) + bitLength(a.mant);
  const eb = lsbExp(b) + bitLength(b.mant);
  const d = ea - eb;
  let scale = 0;
  let partial = false;
  if (d >= 64) {
    partial = true;
    scale = d - (32 + (d % 32));
  }
  const e = Math.min(lsbExp(a), lsbExp(b) + scale);
  const x = a.mant << BigInt(lsbExp(a) - e);
  const y = b.mant << BigInt(lsbExp(b) + scale - e);
  let q = x / y;
  let r = x - q * y;
  if (ieee && !partial) {
    const twice = 2n * r;
    if (twice > y || (twice === y && (q & 1n) === 1n)) {
      q += 1n;
      r -= y;
    }
  }
  let sign = a.sign;
  if (r < 0n) {
    sign ^= 1;
    r = -r;
  }
  const value = r === 0n ? fx80(a.sign, 0, 0n) : roundPackFx80(st, sign, r, e, false, 64);
  return { value, q: partial ? 0 : Number(q & 7n), partial };
}

/** fxtract: [exponent as a value, significand scaled to [1, 2)]; zero gives -inf and ZE. */
export function fx80Extract(st: FpStatus, a: Fx80): [Fx80, Fx80] {
  const k = fx80Kind(a);
  if (k === Kind.NaN) {
    const n = propagateNaN(st, a);
    return [n, n];
  }
  if (k === Kind.Inf) return [fx80Inf(0), a];
  if (k === Kind.Zero) {
    st.flags |= FPE.ZE;
    return [fx80Inf(1), a];
  }
  noteDenormals(st, a);
  const n = bitLength(a.mant);
  const e = lsbExp(a) + n - 1;
  return [fx80FromInt(BigInt(e)), fx80(a.sign, 16383, a.mant << BigInt(64 - n))];
}

/** The unbiased integer part of a value for fscale (truncated toward zero), saturated. */
export function fx80TruncToNumber(a: Fx80): number {
  const k = fx80Kind(a);
  if (k === Kind.Zero) return 0;
  if (k === Kind.Inf) return a.sign ? -1e6 : 1e6;
  const e = lsbExp(a);
  let mag: number;
  if (e >= 0) mag = e > 30 ? 1e6 : Math.min(1e6, Number(a.mant << BigInt(e)));
  else mag = -e >= 64 ? 0 : Math.min(1e6, Number(a.mant >> BigInt(-e)));
  return a.sign ? -mag : mag;
}
