// SSE memory operands that fault (sse-faults.c): a misaligned operand of an aligned form (#GP)
// and accesses crossing into an unmapped page, beside the same accesses that do not fault. The
// inline forms take the SSE helper for these (gen-sse-inline.ts): the x86-64 build run natively
// is the oracle for the i386 and x86-64 builds through both runtimes (signal, si_code, si_addr,
// xmm1 at the fault, the bytes a faulting store must leave alone).
import test from 'ava';
import { execFile, execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const CLI = resolve(__dirname, '../../../harness/bin/dbtlab.js');
const run = promisify(execFile);
const dir = testTmpDir('sse-faults-');
const build = (bits: 32 | 64): string => {
  const out = join(dir, `sse-faults-${bits}`);
  execFileSync('gcc', [`-m${bits}`, '-msse3', '-static', '-O0', '-o', out, resolve(__dirname, 'sse-faults.c')]);
  return out;
};
const progs = [build(32), build(64)];

test('faulting and non-faulting SSE memory operands: both builds in both runtimes equal the CPU', async (t) => {
  const native = execFileSync(progs[1], { encoding: 'latin1' });
  t.is(native.split('\n').length, 34);
  const runs = progs.flatMap((p) => ['qemu-style', 'x86tomips-style'].map((r) => [p, r]));
  const outs = await Promise.all(runs.map(([p, r]) => run('node', [CLI, 'run', '--runtime', r, '--cpu', 'max', p], { encoding: 'latin1' })));
  for (const [i, o] of outs.entries()) t.is(o.stdout, native, runs[i].join(' '));
});
