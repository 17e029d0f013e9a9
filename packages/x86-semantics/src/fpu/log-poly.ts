/**
 * The oracle CPU's (AMD Zen 4) polynomial for the correction term of its logarithm series
 * (fyl2x, fyl2xp1; transcendental.ts log2Series): log2(1 + d) = p + c with s = d / (2 + d),
 * p = s * 2/ln 2 and c = p (atanh(s)/s - 1) = p t Q(t), t = s^2. The CPU's Q is not the series
 * 1/3 + t/5 + t^2/7 + ... but a polynomial that differs from it by up to ~2^-58 relative, visible
 * for |s| >= 2^-7. Recovered from the CPU's 68-bit logarithms themselves (each read bit for bit from
 * fyl2x/fyl2xp1 records of 250 y under RD and RU; 3,294 values with |s| <= 1/4): every one bounds
 * Q(t) in an interval, and `Q` is a discrete LP fit of degree 10 through them (degree 9 fails).
 * Held out: 10 of 400 fresh logarithms with |s| in [0.16, 1/4]
 * differ (the series: 51); fyl2xp1 records with |x| in [2^-6, 2^-3): 0 of 4,000 (the series: 31).
 * The coefficients are a fit, not the CPU's constants read bit for bit.
 */
import { big, mul, type Big } from './big-float';
import { horner } from './trig-poly';

/** Q's coefficients of t^0..t^10, each an 80-bit significand and its exponent */
const Q: Big[] = (
  [
    [0, 0xaaaaaaaaaaaaaa761111n, -81],
    [0, 0xcccccccccccd91a4fbabn, -82],
    [0, 0x9249249248ac2e95567dn, -82],
    [0, 0xe38e38e3cd97078d7aedn, -83],
    [0, 0xba2e8b9d04d298bd75d0n, -83],
    [0, 0x9d89d7ecfb73ce3f99ebn, -83],
    [0, 0x8888c8d080326d5b954en, -83],
    [0, 0xf0e0e81a667483d492a3n, -84],
    [0, 0xd8b3902cd0679ef25ab7n, -84],
    [0, 0xb70e83bafa6292893062n, -84],
    [0, 0xf91296bff065d33befd2n, -84],
  ] as const
).map(([s, m, e]) => big(s, m, e));

/** c = p (atanh(s)/s - 1) for |s| <= 1/4 as the CPU approximates it, exactly evaluated */
export function logCorrection(p: Big, s: Big): Big {
  const t = mul(s, s);
  return mul(mul(p, t), horner(Q, t, (h) => h));
}
