/**
 * SSE underflow at the smallest normal (sse-tininess.c): results just below, at and above
 * 2^emin under every rounding mode, FTZ and DAZ, underflow masked and unmasked. The CPU judges
 * tininess after rounding (no UE, no flush to zero for a value rounding up to 2^emin) and, with
 * UE unmasked, traps on a tiny result even when exact. The x86-64 build runs natively (the
 * oracle), the i386 build through both runtimes; every line must be identical.
 */
import test from 'ava';
import { buildProbe, RUNTIMES, runDbtlab, runNative, testTmpDir } from './probe-program';

const dir = testTmpDir('sse-tininess-');
const prog32 = buildProbe(dir, 'sse-tininess', 32, ['-O1', '-msse2']);
// CI: every tenth case
const stride = process.env.CI === 'true' ? '10' : '1';
const want = runNative(buildProbe(dir, 'sse-tininess', 64, ['-O1', '-msse2']), [stride]).split('\n');

for (const runtime of RUNTIMES) {
  test(`underflow at the smallest normal: ${runtime} gives the CPU's result, MXCSR and SIGFPE on every line`, (t) => {
    t.true(want.length > 7500 / Number(stride));
    t.true(want.some((l) => /: 5 /.test(l)), 'some cases trap with FPE_FLTUND');
    const got = runDbtlab(runtime, prog32, [stride], 'max').split('\n');
    const diffs = want.map((w, i) => (w === got[i] ? '' : `native ${w} | dbtlab ${got[i]}`)).filter(Boolean);
    for (const d of diffs.slice(0, 10)) t.log(d);
    t.is(got.length, want.length);
    t.is(diffs.length, 0);
  });
}
