/**
 * x86-64 SSE forms with a 64-bit general register (cvtsi2sd/ss from r64 and m64, cvt(t)sd2si
 * and cvt(t)ss2si to r64, pinsrq/pextrq, movmskpd/pmovmskb to r64) over edge operands under
 * the four MXCSR rounding modes: sse64-forms.c built for x86-64, run natively (the CPU is the
 * oracle) and through both runtimes; every line (result and MXCSR) must be identical. Also
 * popcnt/tzcnt/lzcnt with 64-bit operands (bits64-forms.c), and the FDS selector of x87
 * fnstenv/fnsave images in 64-bit mode (x87-env64.c).
 */
import test from 'ava';
import { buildProbe, RUNTIMES, runDbtlabAsync, runNative, testTmpDir } from './probe-program';

const dir = testTmpDir('sse64-');

for (const [name, source, flags, minLines] of [
  ['64-bit general-register SSE forms', 'sse64-forms', ['-msse4.1'], 600],
  ['popcnt, tzcnt, lzcnt with 64-bit operands', 'bits64-forms', ['-mpopcnt', '-mbmi', '-mlzcnt'], 13],
  ['x87 FDS of fnstenv/fnsave in 64-bit mode', 'x87-env64', [], 12],
] as const) {
  test(`${name}: native and both runtimes agree on every line`, async (t) => {
    const prog = buildProbe(dir, source, 64, ['-O1', ...flags]);
    const want = runNative(prog).split('\n');
    t.true(want.length > minLines);
    const outs = await Promise.all(RUNTIMES.map((r) => runDbtlabAsync(r, prog, [], 'max')));
    for (const [k, runtime] of RUNTIMES.entries()) {
      const got = outs[k].split('\n');
      const diffs = want.map((w, i) => (w === got[i] ? '' : `${runtime}: native ${w} | dbtlab ${got[i]}`)).filter(Boolean);
      for (const d of diffs.slice(0, 10)) t.log(d);
      t.is(got.length, want.length, runtime);
      t.is(diffs.length, 0, runtime);
    }
  });
}
