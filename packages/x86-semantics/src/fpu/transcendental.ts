/**
 * The x87's transcendental functions: fsin, fcos, fptan (with the x87's own 66-bit pi in the
 * argument reduction, as the hardware does, so results near multiples of pi agree with it),
 * f2xm1, fyl2x, fyl2xp1, fpatan. The reduced arguments are exact (BigInt); the functions
 * themselves run in double precision, so results carry about 53 good bits of the 64: the
 * differential suite measures the distance to native in units of the 64-bit significand.
 * Tiny, huge and special operands are handled in extended precision so that nothing
 * underflows or overflows on the way through a double.
 */
import {
  bitLength,
  FPE,
  FX80_INDEFINITE,
  fx80,
  fx80Add,
  fx80Div,
  fx80FromNumber,
  fx80Inf,
  fx80Kind,
  fx80Mul,
  fx80ToNumber,
  Kind,
  roundPackFx80,
  type FpStatus,
  type Fx80,
} from './softfloat';

/** pi to 66 bits, the x87's reduction constant: PI66 * 2^-64. */
const PI66 = (0xc90fdaa22168c234n << 2n) | 3n;
/** pi and pi/2 rounded to nearest in the register format. */
const FX80_PI = fx80(0, 0x4000, 0xc90fdaa22168c235n);
const FX80_PI_2 = fx80(0, 0x3fff, 0xc90fdaa22168c235n);
const FX80_LN2 = fx80(0, 0x3ffe, 0xb17217f7d1cf79acn);
const FX80_LOG2E = fx80(0, 0x3fff, 0xb8aa3b295c17f0bcn);

const scratchStatus = (): FpStatus => ({ rc: 0, prec: 64, flags: 0, roundedUp: false, memDenormal: false });
const unbiased = (a: Fx80): number => a.exp - 16383;
const lsb = (a: Fx80): number => (a.exp === 0 ? 1 : a.exp) - 16383 - 63;
const neg = (a: Fx80): Fx80 => fx80(a.sign ^ 1, a.exp, a.mant);

/** |a| < 2^e (finite a). */
const below = (a: Fx80, e: number): boolean => a.mant === 0n || unbiased(a) < e;

/** A double result rounded into the register format, with the inexact flag. */
function fromDouble(st: FpStatus, v: number): Fx80 {
  if (Number.isNaN(v)) {
    st.flags |= FPE.IE;
    return FX80_INDEFINITE;
  }
  if (v !== 0 && Number.isFinite(v)) st.flags |= FPE.PE;
  return fx80FromNumber(v);
}

/**
 * A result that differs from `a` by far less than half an ulp, just below it in magnitude
 * (below) or just above: rounded as such under the rounding mode.
 */
function nudged(st: FpStatus, a: Fx80, below: boolean): Fx80 {
  const e = lsb(a) - 2;
  const sig = (a.mant << 2n) + (below ? -1n : 0n);
  return roundPackFx80(st, a.sign, sig, e, true, 64);
}
const FX80_ONE = fx80(0, 0x3fff, 1n << 63n);

/** x = k * (pi66 / 2) + r with |r| <= ~pi/4: returns [k mod 4, r as a double]. */
function reduce(a: Fx80): [number, number] {
  if (unbiased(a) < -1) return [0, fx80ToNumber(a)];
  // x = m * 2^e, pi66/2 = PI66 * 2^-65
  const e = lsb(a);
  const common = Math.min(e, -65);
  const x = a.mant << BigInt(e - common);
  const p = PI66 << BigInt(-65 - common);
  let k = (2n * x + p) / (2n * p); // nearest
  let r = x - k * p;
  if (a.sign) {
    r = -r;
    k = -k;
  }
  const quadrant = Number(((k % 4n) + 4n) % 4n);
  return [quadrant, bigToDouble(r, common)];
}

/** r * 2^e as a double, rounded once through the register format. */
function bigToDouble(r: bigint, e: number): number {
  if (r === 0n) return 0;
  const sign = r < 0n ? 1 : 0;
  const v = roundPackFx80(scratchStatus(), sign, sign ? -r : r, e, false);
  return fx80ToNumber(v);
}

type Trig = 'sin' | 'cos' | 'tan';

/** sin/cos/tan of a finite argument below 2^63 (the caller checks the range). */
export function x87Trig(st: FpStatus, a: Fx80, f: Trig): Fx80 {
  const k = fx80Kind(a);
  if (k === Kind.Zero) return f === 'cos' ? FX80_ONE : a;
  if (a.exp === 0) st.flags |= FPE.DE;
  if (below(a, -33)) {
    // sin x = x - x^3/6, tan x = x + x^3/3, cos x = 1 - x^2/2: the correction is below 2^-64
    if (f === 'cos') return nudged(st, FX80_ONE, true);
    return nudged(st, a, f === 'sin');
  }
  const [q, r] = reduce(a);
  const s = Math.sin(r);
  const c = Math.cos(r);
  let v: number;
  if (f === 'sin') v = [s, c, -s, -c][q];
  else if (f === 'cos') v = [c, -s, -c, s][q];
  else v = q & 1 ? -c / s : s / c;
  return fromDouble(st, v);
}

/** 2^x - 1 for -1 <= x <= 1. */
export function x87F2xm1(st: FpStatus, a: Fx80): Fx80 {
  const k = fx80Kind(a);
  if (k === Kind.Zero) return a;
  if (k === Kind.Inf) return a.sign ? fx80(1, 0x3fff, 1n << 63n) : a;
  if (a.exp === 0) st.flags |= FPE.DE;
  if (below(a, -62)) return fx80Mul(st, a, FX80_LN2);
  return fromDouble(st, Math.expm1(fx80ToNumber(a) * Math.LN2));
}

/** log2 of a positive finite value as a double: near 1 through log1p of the exact x - 1. */
function log2(st: FpStatus, a: Fx80): number {
  if (a.exp === 0x3fff || (a.exp === 0x3ffe && a.mant >= 0xc000000000000000n)) {
    return Math.log1p(fx80ToNumber(fx80Add(st, a, FX80_ONE, true))) / Math.LN2;
  }
  const n = bitLength(a.mant); // denormals: normalise first
  const m = Number((a.mant << BigInt(64 - n)) >> 11n) / 2 ** 52; // in [1, 2)
  return lsb(a) + n - 1 + Math.log2(m);
}

/** y * log2(x) (fyl2x). */
export function x87Yl2x(st: FpStatus, x: Fx80, y: Fx80): Fx80 {
  const kx = fx80Kind(x);
  const ky = fx80Kind(y);
  if (x.exp === 0 && x.mant !== 0n) st.flags |= FPE.DE;
  if (y.exp === 0 && y.mant !== 0n) st.flags |= FPE.DE;
  if (x.sign && kx !== Kind.Zero) return invalidResult(st);
  if (kx === Kind.Zero) {
    if (ky === Kind.Zero) return invalidResult(st);
    if (ky === Kind.Finite) st.flags |= FPE.ZE;
    return fx80Inf(y.sign ^ 1);
  }
  if (kx === Kind.Inf) {
    if (ky === Kind.Zero) return invalidResult(st);
    return fx80Inf(y.sign);
  }
  const l = log2(st, x);
  if (l === 0) {
    if (ky === Kind.Inf) return invalidResult(st);
    return fx80(y.sign, 0, 0n);
  }
  if (ky === Kind.Inf) return fx80Inf(y.sign ^ (l < 0 ? 1 : 0));
  return fx80Mul(st, y, fromDouble(st, l));
}

/** y * log2(x + 1) for |x| < 1 - sqrt(2)/2 (fyl2xp1). */
export function x87Yl2xp1(st: FpStatus, x: Fx80, y: Fx80): Fx80 {
  const kx = fx80Kind(x);
  const ky = fx80Kind(y);
  if ((x.exp === 0 && x.mant !== 0n) || (y.exp === 0 && y.mant !== 0n)) st.flags |= FPE.DE;
  if (kx === Kind.Zero) {
    if (ky === Kind.Inf) return invalidResult(st);
    return fx80(x.sign ^ y.sign, 0, 0n);
  }
  if (ky === Kind.Zero) return fx80(x.sign ^ y.sign, 0, 0n);
  if (ky === Kind.Inf) return fx80Inf(x.sign ^ y.sign);
  if (below(x, -62)) {
    // y * x * log2(e) with one rounding (an intermediate product could overflow or underflow)
    st.flags |= FPE.PE;
    return roundPackFx80(st, x.sign ^ y.sign, x.mant * y.mant * FX80_LOG2E.mant, lsb(x) + lsb(y) + lsb(FX80_LOG2E), true, 64);
  }
  return fx80Mul(st, y, fromDouble(st, Math.log1p(fx80ToNumber(x)) / Math.LN2));
}

/** atan2(y, x) (fpatan), the quadrant from the signs as the x87 defines it. */
export function x87Atan(st: FpStatus, x: Fx80, y: Fx80): Fx80 {
  const kx = fx80Kind(x);
  const ky = fx80Kind(y);
  if ((x.exp === 0 && x.mant !== 0n) || (y.exp === 0 && y.mant !== 0n)) st.flags |= FPE.DE;
  const withSign = (v: Fx80): Fx80 => (y.sign ? neg(v) : v);
  if (ky === Kind.Zero || (kx === Kind.Inf && ky !== Kind.Inf)) {
    // y = 0 or x = inf: 0 or pi by the sign of x
    if (x.sign) return withSign(inexact(st, FX80_PI));
    return fx80(y.sign, 0, 0n);
  }
  if (kx === Kind.Zero || (ky === Kind.Inf && kx !== Kind.Inf)) return withSign(inexact(st, FX80_PI_2));
  if (kx === Kind.Inf) {
    // both infinite: pi/4 or 3pi/4
    return withSign(fromDouble(st, x.sign ? (3 * Math.PI) / 4 : Math.PI / 4));
  }
  const ey = unbiased(y);
  const ex = unbiased(x);
  if (ey - ex > 70) return withSign(inexact(st, FX80_PI_2));
  if (ex - ey > 70) {
    const q = fx80Div(st, fx80(0, y.exp, y.mant), fx80(0, x.exp, x.mant));
    if (!x.sign) return withSign(q);
    st.flags |= FPE.PE;
    return withSign(fx80Add(scratchStatus(), FX80_PI, q, true));
  }
  // scale both to around 1 (exactly) before they become doubles
  const scale = (a: Fx80): number => fx80ToNumber(roundPackFx80(scratchStatus(), a.sign, a.mant, lsb(a) - ex, false));
  return fromDouble(st, Math.atan2(scale(y), scale(x)));
}

function inexact(st: FpStatus, v: Fx80): Fx80 {
  st.flags |= FPE.PE;
  return v;
}

function invalidResult(st: FpStatus): Fx80 {
  st.flags |= FPE.IE;
  return FX80_INDEFINITE;
}
