// The FPU state a signal handler starts with (handler-fpu.c): the initial state, as Linux gives it once
// the frame holds the interrupted one; sigreturn restores that one, a longjmp out keeps the initial one.
// The x86-64 build run natively is the oracle for both builds (the rule is the same in both ABIs).
import test from 'ava';
import { buildProbe, RUNTIMES, runDbtlab, runNative, testTmpDir } from './probe-program';

const dir = testTmpDir('handler-fpu-');
const progs = { i386: buildProbe(dir, 'handler-fpu', 32, ['-msse2', '-O1']), x86_64: buildProbe(dir, 'handler-fpu', 64, ['-msse2', '-O1']) };
const native = runNative(progs.x86_64);

for (const runtime of RUNTIMES)
  for (const [abi, prog] of Object.entries(progs))
    test(`a signal handler starts with the initial FPU state; sigreturn restores the interrupted one: native and ${runtime} (${abi}) agree`, (t) => {
      const ours = runDbtlab(runtime, prog, [], abi === 'i386' ? 'pentium4' : 'core2duo64');
      t.true(native.includes('handler: fcw 037f fsw 0000 ftw ffff mxcsr 00001f80 xmm0 00000000'));
      t.is(ours, native);
    });
