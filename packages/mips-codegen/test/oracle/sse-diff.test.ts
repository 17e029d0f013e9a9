/**
 * The MMX and SSE-SSE4.2 differential suite (see sse-program.ts): the records of the x86-64 build run
 * natively and of the i386 build run through both runtimes (--cpu max) must be identical.
 * CI mode samples every fourth form.
 */
import test from 'ava';
import { execFile, execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { sseForms } from './sse-forms';
import { buildSseProgram, formCases } from './sse-program';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const CLI = resolve(__dirname, '../../../harness/bin/dbtlab.js');
const run = promisify(execFile);
const N_VECTORS = 36;

test('MMX, SSE to SSE4.2 (SSSE3, SSE4.1, SSE4.2 with crc32) and fxsave/fxrstor forms: native and both runtimes agree on every case', async (t) => {
  const all = sseForms();
  const forms = process.env.CI ? all.filter((_, i) => i % 4 === 0) : all;
  const dir = testTmpDir('sse-diff-');
  const [native, i386] = buildSseProgram(dir, 'sse', forms, N_VECTORS);
  const want = execFileSync(native, { maxBuffer: 1 << 30 }).toString().split('\n');
  const outs = await Promise.all(
    ['qemu-style', 'x86tomips-style'].map((r) => run('node', [CLI, 'run', '--runtime', r, '--cpu', 'max', i386], { maxBuffer: 1 << 30 })),
  );
  let mismatches = 0;
  let cases = 0;
  for (const [k, out] of outs.entries()) {
    const got = out.stdout.split('\n');
    let line = 0;
    for (const f of forms) {
      let shown = 0;
      for (let c = 0; c < formCases(f, N_VECTORS); c++, line++) {
        cases++;
        if (got[line] === want[line]) continue;
        mismatches++;
        if (shown++ < 2) t.log(`${k ? 'x86tomips' : 'qemu'}: ${f.name} case ${c}: native ${want[line]} dbtlab ${got[line]}`);
      }
    }
  }
  t.log(`${forms.length} forms, ${cases} case runs (both runtimes)`);
  t.is(mismatches, 0);
});
