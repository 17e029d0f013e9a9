/**
 * The oracle CPU's (AMD Zen 4) arctangent of a ratio 0 <= q < 1/2 is not the exact atan(q): its
 * relative error is a smooth, equioscillating curve of up to ~0.012 units of 2^-64 (zero at q = 0),
 * the mark of a minimax polynomial. fpatan records pin the CPU's value to half an ulp each; the
 * curve below is fitted to them (a linear program minimising the total violation over 10,455
 * near-boundary records of 60,000 with q = RN68(y/x) < 1/2):
 *   e(q) = sum c_k (4 q^2)^k, k = 1..10, in units of 2^-64 of atan(q).
 * Held out (30,000 other records): 168 -> 19 differ from the model's value. Above q = 1/2 the
 * records scatter by ~+-0.05 units (roundings inside the CPU's argument reduction, not modelled)
 * and a smooth curve fits no better than the exact value.
 */
import { add, big, type Big } from './big-float';
import { bitLength } from './softfloat';

const ATAN_ERROR_C = [
  1.0985403005045469, -38.21401159779235, 457.4534004392805, -2699.0852968605354, 9095.904830003292,
  -18742.707344678463, 24115.655414636247, -18951.386280999017, 8335.772639798844, -1574.5146232839331,
];

/** the magnitude of a Big as a double (enough for the curve's argument) */
function toNumber(v: Big): number {
  const sh = Math.max(0, bitLength(v.m) - 53);
  return Number(v.m >> BigInt(sh)) * 2 ** (v.e + sh);
}

/** atan(q) as the CPU's polynomial gives it: t = atan(q) (q >= 0) times 1 + e(q) 2^-64 for q < 1/2 */
export function cpuAtan(q: Big, t: Big): Big {
  const x = toNumber(q);
  if (x >= 0.5) return t;
  const w = 4 * x * x;
  let e = 0;
  for (let k = ATAN_ERROR_C.length - 1; k >= 0; k--) e = (e + ATAN_ERROR_C[k]) * w;
  // t * e * 2^-64, e as a 53-bit significand
  const em = Math.round(Math.abs(e) * 2 ** 52);
  return add(t, big(t.s ^ (e < 0 ? 1 : 0), t.m * BigInt(em), t.e - 52 - 64));
}
