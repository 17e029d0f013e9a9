import test from 'ava';
import { rcpApprox, rsqrtApprox } from '../src/sse/sse-approx';

const f32 = (bits: number): number => new Float32Array(new Uint32Array([bits]).buffer)[0];

test('rcpss/rsqrtss: results the oracle CPU (AMD Zen 4, family 25 model 17) gave, special values', (t) => {
  // measured with rcpss/rsqrtss on the CPU (the exhaustive comparison is mips-codegen's sse-diff)
  t.is(rcpApprox(0x3f812345), 0x3f7dc000);
  t.is(rcpApprox(0x3fc12345), 0x3f29a800);
  t.is(rcpApprox(0x3ff12345), 0x3f07e000);
  t.is(rcpApprox(0x00400000), 0x7f800000); // a denormal counts as zero
  t.is(rcpApprox(0x7e800000), 0); // the result would be denormal: zero
  t.is(rcpApprox(0x7f800001), 0x7fc00001); // a signalling NaN quieted
  t.is(rsqrtApprox(0xbf800000), 0xffc00000); // negative: the default NaN
  t.is(rsqrtApprox(0x80000000), 0xff800000); // -0: -infinity
});

test('rcp and rsqrt: within the SDM bound |relative error| <= 1.5 * 2^-12 at both ends of every table interval', (t) => {
  let worst = 0;
  for (let e = 100; e <= 140; e++)
    for (let i = 0; i < 4096; i++)
      for (const low of [0, 0x7ff]) {
        const x = (e << 23) | (i << 11) | low;
        const v = f32(x);
        worst = Math.max(worst, Math.abs(f32(rcpApprox(x)) * v - 1), Math.abs(f32(rsqrtApprox(x)) * Math.sqrt(v) - 1));
      }
  t.true(worst <= 1.5 * 2 ** -12, `worst relative error ${worst}`);
});
