/**
 * `Big`: a binary float of W-bit significand with exact sums and products truncated to W bits, the
 * working format of the x87 transcendental functions (their exact values, and the oracle CPU's
 * 68-bit intermediates through `roundBits`).
 */
import { bitLength } from './softfloat';

/** Working precision of `Big` significands. */
export const W = 200;

/** sign * m * 2^e */
export interface Big {
  s: number;
  m: bigint;
  e: number;
}

export const big = (s: number, m: bigint, e: number): Big => norm({ s, m, e });
function norm(a: Big): Big {
  const n = bitLength(a.m);
  if (n <= W) return a;
  return { s: a.s, m: a.m >> BigInt(n - W), e: a.e + n - W };
}
/** the magnitude's top bit position */
export const top = (a: Big): number => (a.m === 0n ? -Infinity : a.e + bitLength(a.m) - 1);
export const bigInt = (v: number): Big => big(v < 0 ? 1 : 0, BigInt(Math.abs(v)), 0);
export const mul = (a: Big, b: Big): Big => big(a.s ^ b.s, a.m * b.m, a.e + b.e);
export const neg = (a: Big): Big => ({ s: a.s ^ 1, m: a.m, e: a.e });
export const half = (a: Big, n = 1): Big => ({ s: a.s, m: a.m, e: a.e - n });
export function add(a: Big, b: Big): Big {
  if (a.m === 0n) return b;
  if (b.m === 0n) return a;
  // an addend more than W bits below the other's top only says which side of it the sum lies
  if (top(b) < top(a) - W - 8) return beside(a, b.s);
  if (top(a) < top(b) - W - 8) return beside(b, a.s);
  const e = Math.min(a.e, b.e);
  const va = (a.s ? -a.m : a.m) << BigInt(a.e - e);
  const vb = (b.s ? -b.m : b.m) << BigInt(b.e - e);
  const v = va + vb;
  return big(v < 0n ? 1 : 0, v < 0n ? -v : v, e);
}
/**
 * a plus a negligible amount of sign s: a itself when the amount adds to its magnitude (the
 * final rounding takes every value as above its truncated significand), else just below it
 */
export function beside(a: Big, s: number): Big {
  if (s === a.s) return a;
  const sh = BigInt(W + 8 - bitLength(a.m));
  return big(a.s, (a.m << sh) - 1n, a.e - Number(sh));
}
export const sub = (a: Big, b: Big): Big => add(a, neg(b));
export function div(a: Big, b: Big): Big {
  if (a.m === 0n) return a;
  const sh = W + 2 + bitLength(b.m) - bitLength(a.m);
  return big(a.s ^ b.s, (a.m << BigInt(sh)) / b.m, a.e - sh - b.e);
}
export function sqrt(a: Big): Big {
  // m * 2^e with e even and m of 2W+ bits, then the integer square root
  let sh = 2 * W + 2 - bitLength(a.m);
  if ((a.e - sh) & 1) sh++;
  const n = a.m << BigInt(sh);
  let x = 1n << BigInt((bitLength(n) >> 1) + 1);
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  return big(0, x, (a.e - sh) / 2);
}
/**
 * v rounded to n significant bits (nearest, ties to even): the oracle CPU's microcode keeps
 * some intermediate values in a 68-bit format (fpatan's quotient, fyl2x's logarithm)
 */
export function roundBits(v: Big, n: number): Big {
  const len = bitLength(v.m);
  if (len <= n) return v;
  const sh = BigInt(len - n);
  const low = v.m & ((1n << sh) - 1n);
  const halfUlp = 1n << (sh - 1n);
  let m = v.m >> sh;
  if (low > halfUlp || (low === halfUlp && m & 1n)) m++;
  return big(v.s, m, v.e + Number(sh));
}

/**
 * sum of terms t_k while they matter: t_0 = first, t_{k+1} = next(t_k, k + 1); the first
 * negligible term (the tail's sign: the series here decrease) says which side of the sum
 */
export function series(first: Big, next: (t: Big, k: number) => Big): Big {
  let sum = first;
  let t = first;
  for (let k = 1; ; k++) {
    t = next(t, k);
    if (t.m === 0n) return sum;
    if (top(t) < top(sum) - W - 4) return beside(sum, t.s);
    sum = add(sum, t);
  }
}
