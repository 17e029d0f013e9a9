/**
 * x86-64 SSE forms with a 64-bit general register (cvtsi2sd/ss from r64 and m64, cvt(t)sd2si
 * and cvt(t)ss2si to r64, pinsrq/pextrq, movmskpd/pmovmskb to r64) over edge operands under
 * the four MXCSR rounding modes: sse64-forms.c built for x86-64, run natively (the CPU is the
 * oracle) and through both runtimes; every line (result and MXCSR) must be identical.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const CLI = resolve(__dirname, '../../../harness/bin/dbtlab.js');

test('64-bit general-register SSE forms: native and both runtimes agree on every line', (t) => {
  const prog = join(mkdtempSync(join(tmpdir(), 'sse64-')), 'sse64');
  execFileSync('gcc', ['-O1', '-static', '-msse4.1', '-o', prog, join(__dirname, 'sse64-forms.c')]);
  const want = execFileSync(prog).toString().split('\n');
  t.true(want.length > 600);
  for (const runtime of ['qemu-style', 'x86tomips-style']) {
    const got = execFileSync('node', [CLI, 'run', '--runtime', runtime, '--cpu', 'max', prog]).toString().split('\n');
    const diffs = want.map((w, i) => (w === got[i] ? '' : `${runtime}: native ${w} | dbtlab ${got[i]}`)).filter(Boolean);
    for (const d of diffs.slice(0, 10)) t.log(d);
    t.is(got.length, want.length, runtime);
    t.is(diffs.length, 0, runtime);
  }
});
