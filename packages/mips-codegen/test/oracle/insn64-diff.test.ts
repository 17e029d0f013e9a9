/**
 * 64-bit instruction-level differential suite: int64-forms.ts built as one x86-64 program
 * (insn64-program.ts), run on the CPU (the oracle: x86-64 runs natively) and through both
 * dbtlab runtimes; every case's record (eight registers whole, memory, RFLAGS after the
 * SDM's undefined bits are masked) must be identical. CI mode runs every tenth form.
 */
import test from 'ava';
import { execFile, execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { buildProgram64, caseText64, diffRecord64, parseRecords64 } from './insn64-program';
import { integer64Forms } from './int64-forms';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const CLI = resolve(__dirname, '../../../harness/bin/dbtlab.js');
const RUNTIMES = ['qemu-style', 'x86tomips-style'] as const;
const run = promisify(execFile);

test('64-bit integer instructions: the CPU and both runtimes agree on every case', async (t) => {
  const all = integer64Forms();
  const forms = process.env.CI === 'true' ? all.filter((_, i) => i % 10 === 0) : all;
  const prog = buildProgram64(testTmpDir('insn64-diff-'), 'int64', forms);
  const native = parseRecords64(execFileSync(prog, { maxBuffer: 1 << 30 }));
  const outs = await Promise.all(RUNTIMES.map((r) => run('node', [CLI, 'run', '--runtime', r, '--cpu', 'max', prog], { encoding: 'buffer', maxBuffer: 1 << 30 })));
  let cases = 0;
  let mismatches = 0;
  RUNTIMES.forEach((runtime, k) => {
    const got = parseRecords64(outs[k].stdout);
    let i = 0;
    const perForm = new Map<string, number>();
    for (const f of forms)
      for (const c of f.cases) {
        cases++;
        const d = got[i] ? diffRecord64(f, c, native[i], got[i]) : 'no record';
        i++;
        if (!d) continue;
        mismatches++;
        const n = (perForm.get(f.name) ?? 0) + 1;
        perForm.set(f.name, n);
        if (n <= 2) t.log(`${runtime}: ${f.name} | ${caseText64(c)} | ${d}`);
      }
    if (perForm.size) t.log(`${runtime}: ${perForm.size} forms mismatch: ${[...perForm.keys()].join(', ')}`);
  });
  t.log(`${forms.length} forms, ${cases} case runs (both runtimes)`);
  t.true(cases > (process.env.CI === 'true' ? 8000 : 80000));
  t.is(mismatches, 0);
});
