/**
 * SSE underflow at the smallest normal (sse-tininess.c): results just below, at and above
 * 2^emin under every rounding mode, FTZ and DAZ, underflow masked and unmasked. The CPU judges
 * tininess after rounding (no UE, no flush to zero for a value rounding up to 2^emin) and, with
 * UE unmasked, traps on a tiny result even when exact. The x86-64 build runs natively (the
 * oracle), the i386 build through both runtimes; every line must be identical.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const CLI = resolve(__dirname, '../../../harness/bin/dbtlab.js');
const dir = testTmpDir('sse-tininess-');
const flags = ['-O1', '-static', '-msse2', join(__dirname, 'sse-tininess.c')];
execFileSync('gcc', ['-m64', '-o', join(dir, 'prog64'), ...flags]);
execFileSync('gcc', ['-m32', '-o', join(dir, 'prog32'), ...flags]);
// CI: every tenth case
const stride = process.env.CI === 'true' ? '10' : '1';
const want = execFileSync(join(dir, 'prog64'), [stride]).toString().split('\n');

for (const runtime of ['qemu-style', 'x86tomips-style']) {
  test(`underflow at the smallest normal: ${runtime} gives the CPU's result, MXCSR and SIGFPE on every line`, (t) => {
    t.true(want.length > 7500 / Number(stride));
    t.true(want.some((l) => /: 5 /.test(l)), 'some cases trap with FPE_FLTUND');
    const got = execFileSync('node', [CLI, 'run', '--runtime', runtime, '--cpu', 'max', join(dir, 'prog32'), stride]).toString().split('\n');
    const diffs = want.map((w, i) => (w === got[i] ? '' : `native ${w} | dbtlab ${got[i]}`)).filter(Boolean);
    for (const d of diffs.slice(0, 10)) t.log(d);
    t.is(got.length, want.length);
    t.is(diffs.length, 0);
  });
}
