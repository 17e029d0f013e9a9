/**
 * The oracle CPU's (AMD Zen 4) arctangent of a ratio 0 <= q <= 1 is not the exact atan(q). Below
 * q = 1/2 its relative error is a smooth, equioscillating curve of up to ~0.012 units of 2^-64
 * (zero at q = 0), the mark of a minimax polynomial; from 1/2 to 1 the records scatter by ~+-0.05
 * units around a mean curve of up to ~0.04 units (roundings inside the CPU's evaluation there, not
 * found: not a pi/4 + atan((q - 1)/(q + 1)) reduction with 68-bit steps, nor an argument halving).
 * fpatan records pin the CPU's value to half an ulp each; both curves are fitted to them by a linear
 * program minimising the total violation (q = RN68(y/x)), in units of 2^-64 of atan(q):
 * - q < 1/2: sum c_k (4 q^2)^k, k = 1..10 (10,455 near-boundary records of 60,000). Held out (30,000
 *   other records) the model's value is outside a record's interval in 19 cases, the exact atan's in 168.
 * - 1/2 <= q <= 1: sum d_k (4 q - 3)^k, k = 0..6 (11,403 of 52,479). Held out 443 -> 378 of 26,171:
 *   the mean only.
 */
import { add, big, type Big } from './big-float';
import { bitLength } from './softfloat';

/** the curves' coefficients: c_1..c_10 below 1/2, d_0..d_6 above */
const BELOW_HALF = [
  1.0985403005045469, -38.21401159779235, 457.4534004392805, -2699.0852968605354, 9095.904830003292,
  -18742.707344678463, 24115.655414636247, -18951.386280999017, 8335.772639798844, -1574.5146232839331,
];
const HALF_TO_ONE = [
  -0.0009603348593753188, 0.04339259726928873, 0.04064184313287892, -0.1270503827639201, -0.0657283724583659,
  0.09963862780231941, 0.026046925427681545,
];

/** sum c_k w^k by Horner, c_0 first */
const poly = (c: number[], w: number): number => c.reduceRight((e, ck) => e * w + ck, 0);

/** the CPU's relative error of atan(q), 0 <= q <= 1, in units of 2^-64 */
const errorCurve = (q: number): number => (q < 0.5 ? 4 * q * q * poly(BELOW_HALF, 4 * q * q) : poly(HALF_TO_ONE, 4 * q - 3));

/** the magnitude of a Big as a double (enough for the curve's argument) */
function toNumber(v: Big): number {
  const sh = Math.max(0, bitLength(v.m) - 53);
  return Number(v.m >> BigInt(sh)) * 2 ** (v.e + sh);
}

/** atan(q) as the CPU gives it: t = atan(q) (0 <= q <= 1) times 1 + e(q) 2^-64 */
export function cpuAtan(q: Big, t: Big): Big {
  const e = errorCurve(toNumber(q));
  // t * e * 2^-64, e as a 53-bit significand
  const em = Math.round(Math.abs(e) * 2 ** 52);
  return add(t, big(t.s ^ (e < 0 ? 1 : 0), t.m * BigInt(em), t.e - 52 - 64));
}
