/**
 * x86-64 SSE forms with a 64-bit general register (cvtsi2sd/ss from r64 and m64, cvt(t)sd2si
 * and cvt(t)ss2si to r64, pinsrq/pextrq, movmskpd/pmovmskb to r64) over edge operands under
 * the four MXCSR rounding modes: sse64-forms.c built for x86-64, run natively (the CPU is the
 * oracle) and through both runtimes; every line (result and MXCSR) must be identical. Also
 * popcnt/tzcnt/lzcnt with 64-bit operands (bits64-forms.c), and the FDS selector of x87
 * fnstenv/fnsave images in 64-bit mode (x87-env64.c).
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const CLI = resolve(__dirname, '../../../harness/bin/dbtlab.js');

for (const [name, source, flags, minLines] of [
  ['64-bit general-register SSE forms', 'sse64-forms.c', ['-msse4.1'], 600],
  ['popcnt, tzcnt, lzcnt with 64-bit operands', 'bits64-forms.c', ['-mpopcnt', '-mbmi', '-mlzcnt'], 13],
  ['x87 FDS of fnstenv/fnsave in 64-bit mode', 'x87-env64.c', [], 12],
] as const) {
  test(`${name}: native and both runtimes agree on every line`, (t) => {
  const prog = join(testTmpDir('sse64-'), 'prog');
  execFileSync('gcc', ['-O1', '-static', ...flags, '-o', prog, join(__dirname, source)]);
  const want = execFileSync(prog).toString().split('\n');
  t.true(want.length > minLines);
  for (const runtime of ['qemu-style', 'x86tomips-style']) {
    const got = execFileSync('node', [CLI, 'run', '--runtime', runtime, '--cpu', 'max', prog]).toString().split('\n');
    const diffs = want.map((w, i) => (w === got[i] ? '' : `${runtime}: native ${w} | dbtlab ${got[i]}`)).filter(Boolean);
    for (const d of diffs.slice(0, 10)) t.log(d);
    t.is(got.length, want.length, runtime);
    t.is(diffs.length, 0, runtime);
  }
  });
}
