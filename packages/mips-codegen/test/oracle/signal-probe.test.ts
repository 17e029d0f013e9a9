// Privileged and special instructions and segment-register loads deliver the signal Linux
// delivers, with its si_code, si_addr and context eip, to a guest handler that then goes on:
// the probe's report from a native run and from both runtimes must be identical.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { sameAsCpu } from './hypervisor';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const CLI = resolve(__dirname, '../../../harness/bin/dbtlab.js');
const prog = join(testTmpDir('signal-probe-'), 'signal-probe');
execFileSync('gcc', ['-m32', '-static', '-O0', '-o', prog, resolve(__dirname, 'signal-probe.c')]);

for (const runtime of ['qemu-style', 'x86tomips-style']) {
  test(`signal, si_code, si_addr and eip of every probe case: native and ${runtime} agree`, (t) => {
    const native = execFileSync(prog, { encoding: 'latin1' });
    const ours = execFileSync('node', [CLI, 'run', '--runtime', runtime, prog], { encoding: 'latin1' });
    t.true(native.split('\n').length > 60);
    sameAsCpu(t, ours, native);
  });
}
