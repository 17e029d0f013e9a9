// EFLAGS through a signal (sigreturn-eflags.c): the saved flags a handler sees and the flags
// sigreturn restores, including a handler's edits of uc_mcontext's EFLAGS. The x86-64 build run
// natively is the oracle; the i386 and x86-64 builds through both runtimes must print the same.
import test from 'ava';
import { buildProbe, RUNTIMES, runDbtlab, runNative, testTmpDir } from './probe-program';

const dir = testTmpDir('sigreturn-eflags-');
const progs = { i386: buildProbe(dir, 'sigreturn-eflags', 32), x86_64: buildProbe(dir, 'sigreturn-eflags', 64) };
const native = runNative(progs.x86_64);

for (const runtime of RUNTIMES)
  for (const [abi, prog] of Object.entries(progs))
    test(`EFLAGS saved in and restored from a signal frame, handler edits included: native and ${runtime} (${abi}) agree`, (t) => {
      const ours = runDbtlab(runtime, prog);
      t.is(native.split('\n').length, 513);
      t.is(ours, native);
    });
