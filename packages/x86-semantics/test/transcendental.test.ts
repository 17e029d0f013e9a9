import test from 'ava';
import { FPE, fx80, newFpStatus, type FpStatus, type Fx80 } from '../src/fpu/softfloat';
import { x87Atan, x87F2xm1, x87Trig, x87Yl2x, x87Yl2xp1 } from '../src/fpu/transcendental';

const v = (se: number, mant: bigint): Fx80 => fx80(se >> 15, se & 0x7fff, mant);
const text = (a: Fx80): string => `${((a.sign << 15) | a.exp).toString(16).padStart(4, '0')}:${a.mant.toString(16).padStart(16, '0')}`;
/** the x87's C1 after a rounding */
const c1 = (st: FpStatus): number => (st.flags & FPE.PE && st.roundedUp ? 1 : 0);

// [function, control word, operands, the result, the status word's flags and C1]: measured on
// the oracle CPU by an x86-64 program running the instruction (AMD Zen 5 as recorded then; the
// fyl2x/fyl2xp1 series records on AMD Zen 4, family 25 model 17, whose measured counts agree)
const MEASURED: [string, number, (st: FpStatus) => Fx80, string, number][] = [
  ['fsin', 0x37f, (st) => x87Trig(st, v(0x4005, 0x9c31b1189d892a6dn), 'sin'), '3ffd:db5c128c5c51a94c', 0x0020],
  ['fcos down', 0x77f, (st) => x87Trig(st, v(0xc007, 0x877aa183f5c74033n), 'cos'), '3ffe:b5cc5ae88d3ee67d', 0x0020],
  ['fptan up', 0xb7f, (st) => x87Trig(st, v(0x4002, 0xd87c9781a36cbfa7n), 'tan'), '3fff:b869f6c12c614b42', 0x0220],
  ['f2xm1', 0x37f, (st) => x87F2xm1(st, v(0x3ffe, 0xc000000000000000n)), '3ffe:ae89f995ad3ad5e8', 0x0020],
  ['f2xm1(1)', 0x37f, (st) => x87F2xm1(st, v(0x3fff, 1n << 63n)), '3fff:8000000000000000', 0x0220],
  ['f2xm1(-1)', 0x37f, (st) => x87F2xm1(st, v(0xbfff, 1n << 63n)), 'bffe:8000000000000000', 0x0020],
  ['f2xm1(5), out of range', 0x37f, (st) => x87F2xm1(st, v(0x4001, 0xa000000000000000n)), '4001:a000000000000000', 0x0020],
  ['fyl2x toward zero', 0xf7f, (st) => x87Yl2x(st, v(0x400d, 0xef39214349e133b0n), v(0x3ffe, 0x9a3f1c2b4d5e6f70n)), '4002:8fa9d55ea7cd34b5', 0x0020],
  ['fyl2x(8, 3) = 9, PE although exact', 0x37f, (st) => x87Yl2x(st, v(0x4002, 1n << 63n), v(0x4000, 0xc000000000000000n)), '4002:9000000000000000', 0x0020],
  ['fyl2xp1', 0x37f, (st) => x87Yl2xp1(st, v(0xbff9, 0x9068f5beaa0cb6f5n), v(0xc000, 0xb1c2d3e4f5061728n)), '3ffb:91f4fa55f786350e', 0x0220],
  ['fpatan', 0x37f, (st) => x87Atan(st, v(0xbffb, 0xa1f6795cfec08e90n), v(0x4000, 0x8a1b2c3d4e5f6071n)), '3fff:cdc03439d8f0080a', 0x0220],
  ['fptan of a tiny x toward zero: below x (the CPU scales x by ~1.4527, rounded to 68 bits)', 0xf7f, (st) => x87Trig(st, v(0x3fd7, 0x8000000000000001n), 'tan'), '3fd7:8000000000000000', 0x0020],
  ['fptan of a power of two: x, PE, not rounded', 0xb7f, (st) => x87Trig(st, v(0x3fd7, 1n << 63n), 'tan'), '3fd7:8000000000000000', 0x0020],
  ['fsin of the smallest normal, toward zero: a denormal', 0xf7f, (st) => x87Trig(st, v(0x0001, 1n << 63n), 'sin'), '0000:7fffffffffffffff', 0x0030],
  ['fptan of the smallest denormal: x, with UE and PE', 0x37f, (st) => x87Trig(st, v(0x0000, 1n), 'tan'), '0000:0000000000000001', 0x0032],
  ['fptan of a denormal upward: scaled, rounded to 68 bits', 0xb7f, (st) => x87Trig(st, v(0x0000, 0x7fffffffffffffffn), 'tan'), '0001:8000000000000000', 0x0232],
  ['fptan in the binade 2^-34 below the switch: the tiny path', 0x37f, (st) => x87Trig(st, v(0x3fdd, 0x813da969360abf41n), 'tan'), '3fdd:813da969360abf41', 0x0220],
  ['fptan in the binade 2^-34 below the switch, upward', 0xb7f, (st) => x87Trig(st, v(0x3fdd, 0x945ff0dd7996bc2fn), 'tan'), '3fdd:945ff0dd7996bc2f', 0x0220],
  ['fsin of 0.5-: the CPU degree-15 polynomial (the exact value rounds to ...aa18)', 0x37f, (st) => x87Trig(st, v(0xbffd, 0x81872f10e8c6b962n), 'sin'), 'bffd:80269c1284feaa17', 0x0020],
  ['fsin of 0.43 downward: on the polynomial error curve', 0x77f, (st) => x87Trig(st, v(0x3ffd, 0xdc1bb95ccd3df444n), 'sin'), '3ffd:d5640efbfc02eda8', 0x0020],
  ['fcos of 0.64 upward: 1 - z Q(z) in 68-bit steps, exactly representable, C1 clear', 0xb7f, (st) => x87Trig(st, v(0x3ffe, 0xa3502146c866adban), 'cos'), '3ffe:cda69a927bd4d254', 0x0020],
  ['fptan next to an even multiple of pi/2 downward: the tiny path on the reduced argument', 0x77f, (st) => x87Trig(st, v(0xc013, 0x93be3916de3e2f1en), 'tan'), '3fd6:918d91ffffffffff', 0x0020],
  ['fptan next to an odd multiple of pi/2: -C / RN68(r C)', 0x37f, (st) => x87Trig(st, v(0xc012, 0xd2db23b628f620f2n), 'tan'), '402c:8b8090eade8afc8e', 0x0020],
  ['fptan in 2^-28 above the tiny path: r RN68(C + CA r^2) / RN68(C + CB r^2)', 0x37f, (st) => x87Trig(st, v(0x3fe3, 0xc06f62ee2a6c6a17n), 'tan'), '3fe3:c06f62ee2a6c6aa8', 0x0020],
  ['fptan in 2^-26 upward: the rational quotient', 0xb7f, (st) => x87Trig(st, v(0x3fe5, 0xcfcd9ca8f74cf204n), 'tan'), '3fe5:cfcd9ca8f74cfd6d', 0x0220],
  ['fptan of a negative x in 2^-28 upward: the rational quotient', 0xb7f, (st) => x87Trig(st, v(0xbfe3, 0xaa9b7f7febe30565n), 'tan'), 'bfe3:aa9b7f7febe305c9', 0x0020],
  ['fptan next to pi/2 upward: -D / N of the reduced argument', 0xb7f, (st) => x87Trig(st, v(0x3fff, 0xc90fdaa1de2a07a4n), 'tan'), '401f:f3a57038c292d9ae', 0x0220],
  ['fptan just above pi/2 toward zero: -D / N', 0xf7f, (st) => x87Trig(st, v(0x3fff, 0xc90fdaa2c9ec487dn), 'tan'), 'c01e:c273f4d28161295e', 0x0020],
  ['f2xm1(1) toward zero: just below 1', 0xf7f, (st) => x87F2xm1(st, v(0x3fff, 1n << 63n)), '3ffe:ffffffffffffffff', 0x0020],
  ['fyl2x(-1.5, denormal): IE without DE', 0x37f, (st) => x87Yl2x(st, v(0xbfff, 0xc000000000000000n), v(0x0000, 1n)), 'ffff:c000000000000000', 0x0001],
  ['fyl2x(0, denormal): ZE without DE', 0x37f, (st) => x87Yl2x(st, v(0x0000, 0n), v(0x0000, 1n)), 'ffff:8000000000000000', 0x0004],
  ['fyl2xp1(-4, 1.5): x <= -1 gives x with PE', 0x37f, (st) => x87Yl2xp1(st, v(0xc001, 1n << 63n), v(0x3fff, 0xc000000000000000n)), 'c001:8000000000000000', 0x0020],
  ['fyl2xp1(+inf, -2) = -inf', 0x37f, (st) => x87Yl2xp1(st, v(0x7fff, 1n << 63n), v(0xc000, 1n << 63n)), 'ffff:8000000000000000', 0x0000],
  ['fyl2xp1(-inf, denormal): IE without DE', 0x37f, (st) => x87Yl2xp1(st, v(0xffff, 1n << 63n), v(0x0000, 1n)), 'ffff:c000000000000000', 0x0001],
  ['fyl2xp1 beyond 1/2: the logarithm rounded to 68 bits', 0xb7f, (st) => x87Yl2xp1(st, v(0x4002, 0xe5185c673c0dae8dn), v(0xc001, 0xce444c733e83bd56n)), 'c003:cb073f47185a95f6', 0x0020],
  ['fyl2x upward: the logarithm as the CPU sums it (k + p rounded before the correction)', 0xb7f, (st) => x87Yl2x(st, v(0x4001, 0x94220b90ff540638n), v(0xbffc, 0xdaaf140abdef0bbdn)), 'bffd:f1ba457c81215517', 0x0020],
  ['fyl2x: log2(1 + d) from s = d / (2 + d) in 68 bits', 0x37f, (st) => x87Yl2x(st, v(0x4001, 0xc351105bca1a1e36n), v(0x4000, 0xf47b96dcd2a2a40cn)), '4002:9f8141c2fe3df4a7', 0x0220],
  ['fyl2xp1 upward: 2 + x rounded to 68 bits before the division', 0xb7f, (st) => x87Yl2xp1(st, v(0xbff6, 0x838323c3189d37fen), v(0xc000, 0x9d3ac5b0f41009b6n)), '3ff7:e94aeffb0141c85c', 0x0220],
  ['fyl2xp1 toward zero, tiny x', 0xf7f, (st) => x87Yl2xp1(st, v(0xbfe1, 0xefb76e974ed47b05n), v(0xc000, 0xc4c8d1d980880aa0n)), '3fe4:84ebc18a53f473e9', 0x0020],
  ['fyl2xp1 below -0.4: log2(1 + x) split as fyl2x splits it', 0x37f, (st) => x87Yl2xp1(st, v(0xbffd, 0xeb07b959a6981214n), v(0xc002, 0xa1328322781f9c58n)), '4002:8ee3414164a1deba', 0x0220],
  ['fyl2xp1 of |x| in [2^-4, 2^-3): the correction polynomial of the CPU, not the series', 0x37f, (st) => x87Yl2xp1(st, v(0xbffb, 0xc687b03c208527fcn), v(0xc006, 0xbd573302bdd4cdb9n)), '4003:ded265aac7572199', 0x0020],
  ['fyl2xp1 of x in (1/2, 2/3): still the series of x (|s| <= 1/4)', 0x37f, (st) => x87Yl2xp1(st, v(0x3ffe, 0xa211a621cc64242bn), v(0xbfff, 0xe98dfb3e8ba8192bn)), 'bfff:a543370674ed3b76', 0x0220],
  ['fpatan of a far ratio: the quotient rounded to 68 bits', 0x77f, (st) => x87Atan(st, v(0x3ffe, 0x9cf651148c4bb5ben), v(0x3fcb, 0x8846df4226786435n)), '3fcb:de434f121a3de96c', 0x0020],
  ['fpatan of a far ratio, negative', 0x37f, (st) => x87Atan(st, v(0x3fed, 0xca7f6b26c46cadcbn), v(0xbfb9, 0x9cdf7ad58331c1f7n)), 'bfca:c65215ace2dea8c1', 0x0220],
  ['fpatan, |y| > |x|, down: pi/2 - the arctangent rounded to 68 bits', 0x77f, (st) => x87Atan(st, v(0x4001, 0xcb50f0197f24ecb0n), v(0x4002, 0xa2462d8c190c1097n)), '3fff:816d50fcbbd25e91', 0x0020],
  ['fpatan, x < 0 and |y| > |x|, toward zero: pi/2 + the arctangent rounded to 68 bits', 0xf7f, (st) => x87Atan(st, v(0xbffe, 0xcbf3153083fd72dan), v(0x3fff, 0xcb31ee5f29b4d162n)), '4000:824ca561ea3cb54b', 0x0020],
  ['fpatan, x < 0 and |y| < |x|, toward zero: pi - the arctangent rounded to 68 bits', 0xf7f, (st) => x87Atan(st, v(0xbffe, 0x9ea2157bdda634ddn), v(0x3ffd, 0xeb3e29e06e4da2c1n)), '4000:a03a8ff3528f1612', 0x0020],
  ['fpatan of a ratio ~1/16: the CPU polynomial\'s error curve (atan-curve.ts)', 0x37f, (st) => x87Atan(st, v(0x4000, 0xfed695f421603bc0n), v(0x3ffc, 0xe8623ce4d02bc87bn)), '3ffa:e930ddc5e788c85e', 0x0220],
  ['fpatan of a ratio ~1/16, its C1', 0x37f, (st) => x87Atan(st, v(0x4000, 0x80af1fa708220f4an), v(0x3ffc, 0x8504457a38c3364fn)), '3ffb:84203f0c21a7ff8f', 0x0020],
  ['fpatan of a ratio ~1/4, down', 0x77f, (st) => x87Atan(st, v(0x4002, 0xcb21c12593a60c47n), v(0x4000, 0x855fb8e9ba1ed8c8n)), '3ffc:a699cd857d46aede', 0x0020],
];

for (const [name, cw, f, want, sw] of MEASURED) {
  test(`${name}: the CPU's 80-bit result, flags and C1`, (t) => {
    const st = newFpStatus((cw >> 10) & 3, 64);
    t.is(text(f(st)), want);
    t.is((st.flags & 0x3f) | (c1(st) << 9), sw);
  });
}

test('the trigonometric reduction uses the x87 66-bit pi: sin near a large multiple of pi', (t) => {
  // x = 2^62 (any big argument): the result differs from sin(x) with the true pi in the last bits
  const st = newFpStatus(0, 64);
  t.is(text(x87Trig(st, v(0x403d, 1n << 63n), 'sin')), 'bffe:b506a9dd559cf157');
});
