/**
 * The MMX and SSE-SSE4.2 differential suite (see sse-program.ts): the records of the x86-64 build run
 * natively and of the i386 build run through both runtimes (--cpu max) must be identical.
 * CI mode samples every fourth form.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { RUNTIMES, testTmpDir } from './probe-program';
import { runBothRuntimes } from './record-diff';
import { sseForms } from './sse-forms';
import { buildSseProgram, formCases, RECORD_BYTES, recordText } from './sse-program';

const N_VECTORS = 36;

test('MMX, SSE to SSE4.2 (SSSE3, SSE4.1, SSE4.2 with crc32) and fxsave/fxrstor forms: native and both runtimes agree on every case', async (t) => {
  const all = sseForms();
  const forms = process.env.CI === 'true' ? all.filter((_, i) => i % 4 === 0) : all;
  const [native, i386] = buildSseProgram(testTmpDir('sse-diff-'), 'sse', forms, N_VECTORS);
  const want = execFileSync(native, { maxBuffer: 1 << 30 });
  const outs = await runBothRuntimes(i386);
  let mismatches = 0;
  let cases = 0;
  for (const [k, got] of outs.entries()) {
    let i = 0;
    for (const f of forms) {
      let shown = 0;
      for (let c = 0; c < formCases(f, N_VECTORS); c++, i++) {
        cases++;
        const at = i * RECORD_BYTES;
        if (got.length >= at + RECORD_BYTES && want.compare(got, at, at + RECORD_BYTES, at, at + RECORD_BYTES) === 0) continue;
        mismatches++;
        if (shown++ < 2) t.log(`${RUNTIMES[k]}: ${f.name} case ${c}: native ${recordText(want, i)} dbtlab ${got.length >= at + RECORD_BYTES ? recordText(got, i) : 'no record'}`);
      }
    }
  }
  t.log(`${forms.length} forms, ${cases} case runs (both runtimes)`);
  t.is(want.length, (cases / RUNTIMES.length) * RECORD_BYTES);
  t.is(mismatches, 0);
});
