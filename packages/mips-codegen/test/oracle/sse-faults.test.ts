// SSE memory operands that fault (sse-faults.c): a misaligned operand of an aligned form (#GP)
// and accesses crossing into an unmapped page, beside the same accesses that do not fault. The
// inline forms take the SSE helper for these (gen-sse-inline.ts): the x86-64 build run natively
// is the oracle for the i386 and x86-64 builds through both runtimes (signal, si_code, si_addr,
// xmm1 at the fault, the bytes a faulting store must leave alone).
import test from 'ava';
import { buildProbe, RUNTIMES, runDbtlabAsync, runNative, testTmpDir } from './probe-program';

const dir = testTmpDir('sse-faults-');
const progs = [buildProbe(dir, 'sse-faults', 32, ['-msse3', '-O0']), buildProbe(dir, 'sse-faults', 64, ['-msse3', '-O0'])];

test('faulting and non-faulting SSE memory operands: both builds in both runtimes equal the CPU', async (t) => {
  const native = runNative(progs[1]);
  t.is(native.split('\n').length, 34);
  const runs = progs.flatMap((p) => RUNTIMES.map((r) => [p, r]));
  const outs = await Promise.all(runs.map(([p, r]) => runDbtlabAsync(r, p, [], 'max')));
  for (const [i, o] of outs.entries()) t.is(o, native, runs[i].join(' '));
});
