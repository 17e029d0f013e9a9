/**
 * 64-bit instruction-level differential suite: int64-forms.ts built as one x86-64 program
 * (insn64-program.ts), run on the CPU (the oracle: x86-64 runs natively) and through both
 * dbtlab runtimes; every case's record (eight registers whole, memory, RFLAGS after the
 * SDM's undefined bits are masked) must be identical. CI mode runs every form with a tenth
 * of its cases.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { buildProgram64, caseText64, diffRecord64, parseRecords64, type Case64, type Form64 } from './insn64-program';
import { integer64Forms } from './int64-forms';
import { testTmpDir } from './probe-program';
import { ciSample, compareRecords, runBothRuntimes } from './record-diff';

const STRIDE = 10;

test('64-bit integer instructions: the CPU and both runtimes agree on every case', async (t) => {
  const forms = ciSample(integer64Forms(), STRIDE);
  const prog = buildProgram64(testTmpDir('insn64-diff-'), 'int64', forms);
  const native = parseRecords64(execFileSync(prog, { maxBuffer: 1 << 30 }));
  const outs = await runBothRuntimes(prog);
  const r = compareRecords<Case64, Form64, BigUint64Array>(forms, native, outs.map(parseRecords64), diffRecord64, caseText64, 2);
  for (const l of r.lines) t.log(l);
  for (const [runtime, names] of r.formsMismatching) t.log(`${runtime}: ${names.length} forms mismatch: ${names.join(', ')}`);
  t.log(`${forms.length} forms, ${r.cases} case runs (both runtimes)`);
  t.true(r.cases > (process.env.CI === 'true' ? 160000 / STRIDE : 160000));
  t.is(r.mismatches, 0);
});
