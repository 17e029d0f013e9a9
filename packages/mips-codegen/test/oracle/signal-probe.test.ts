// Privileged and special instructions and segment-register loads deliver the signal Linux
// delivers, with its si_code, si_addr and context eip, to a guest handler that then goes on:
// the probe's report from a native run and from both runtimes must be identical.
import test from 'ava';
import { sameAsCpu } from './hypervisor';
import { buildProbe, RUNTIMES, runDbtlab, runNative, testTmpDir } from './probe-program';

const prog = buildProbe(testTmpDir('signal-probe-'), 'signal-probe', 32);

for (const runtime of RUNTIMES) {
  test(`signal, si_code, si_addr and eip of every probe case: native and ${runtime} agree`, (t) => {
    const native = runNative(prog);
    const ours = runDbtlab(runtime, prog);
    t.true(native.split('\n').length > 60);
    sameAsCpu(t, ours, native);
  });
}
