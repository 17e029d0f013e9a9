/**
 * The oracle CPU's (AMD Zen 4) sine and cosine of a reduced argument |r| <= ~pi/4, as its
 * microcode evaluates them, recovered from native records (x87gen's scripts, see the README):
 * - sin r = r + RN68(r * z P(z)) with z = RN68(r^2) and P the degree-7 polynomial of `SIN_P`, the
 *   minimax polynomial for the *relative* error of sin on [0, pi/4] with the leading r fixed (degree
 *   15 in r). Its error curve (equioscillating, 2^-68.8 at most) is the one the native records
 *   draw: the exact sine's rounding differs from them in 427 of 27,800 random r in [2^-6, pi/4),
 *   this model in 7.
 * - cos r = 1 - RN68(z Q(z)) with z = RN68(r^2), Q the Taylor series 1/2! - z/4! + ... through
 *   z^10 evaluated by Horner with every step c + z h rounded to 68 bits (nearest even): 65 -> 2
 *   of 27,900 in [2^-6, pi/4).
 * The final rounding (to 64 bits under RC) takes the last sum exactly.
 */
import { add, big, bigInt, div, mul, neg, roundBits, sub, type Big } from './big-float';

/** the x87's 68-bit intermediate rounding (nearest even) */
const rn68 = (v: Big): Big => roundBits(v, 68);

/**
 * The coefficients of z^0..z^6 of sin's P (the minimax polynomial, computed by a discrete LP over
 * 3,000 points of [0, pi/4]), each an 80-bit significand and its exponent
 */
const SIN_P: Big[] = (
  [
    [1, 0xaaaaaaaaaaaaaa972de1n, -82],
    [0, 0x888888888888569a3742n, -86],
    [1, 0xd00d00d00c53662ab189n, -92],
    [0, 0xb8ef1d299846f15c0f07n, -98],
    [1, 0xd7322946c07c6c26c500n, -105],
    [0, 0xb09046249d6b800ce799n, -112],
    [1, 0xd55123da201868ba42f5n, -120],
  ] as const
).map(([s, m, e]) => big(s, m, e));

/** 1/2!, -1/4!, 1/6!, ... : cos's Q through z^10 */
const COS_Q: Big[] = [];
for (let k = 0, f = 1n; k <= 10; k++) {
  f *= BigInt((2 * k + 1) * (2 * k + 2));
  COS_Q.push(div(bigInt(k & 1 ? -1 : 1), big(0, f, 0)));
}

/** sum c_k z^k by Horner, each step through `step` */
export function horner(cs: Big[], z: Big, step: (v: Big) => Big): Big {
  let h = cs[cs.length - 1];
  for (let k = cs.length - 2; k >= 0; k--) h = step(add(cs[k], mul(z, h)));
  return h;
}

/** sin r for |r| <= ~pi/4, the CPU's value before the final rounding */
export function sinPoly(r: Big): Big {
  const a = { s: 0, m: r.m, e: r.e };
  const z = rn68(mul(a, a));
  const v = add(a, rn68(mul(a, mul(z, horner(SIN_P, z, (h) => h)))));
  return r.s ? neg(v) : v;
}

/** cos r for |r| <= ~pi/4, the CPU's value before the final rounding */
export function cosPoly(r: Big): Big {
  const z = rn68(mul(r, r));
  return sub(bigInt(1), rn68(mul(z, horner(COS_Q, z, rn68))));
}
