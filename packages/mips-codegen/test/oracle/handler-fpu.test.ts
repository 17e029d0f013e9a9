// The FPU state a signal handler starts with (handler-fpu.c): the initial state, as Linux gives it once
// the frame holds the interrupted one; sigreturn restores that one, a longjmp out keeps the initial one.
// The x86-64 build run natively is the oracle for both builds (the rule is the same in both ABIs).
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const CLI = resolve(__dirname, '../../../harness/bin/dbtlab.js');
const dir = testTmpDir('handler-fpu-');
const build = (bits: 32 | 64): string => {
  const out = join(dir, `handler-fpu-${bits}`);
  execFileSync('gcc', [`-m${bits}`, '-msse2', '-static', '-O1', '-o', out, resolve(__dirname, 'handler-fpu.c')]);
  return out;
};
const progs = { i386: build(32), x86_64: build(64) };
const native = execFileSync(progs.x86_64, { encoding: 'latin1' });

for (const runtime of ['qemu-style', 'x86tomips-style'])
  for (const [abi, prog] of Object.entries(progs))
    test(`a signal handler starts with the initial FPU state; sigreturn restores the interrupted one: native and ${runtime} (${abi}) agree`, (t) => {
      const ours = execFileSync('node', [CLI, 'run', '--runtime', runtime, '--cpu', abi === 'i386' ? 'pentium4' : 'core2duo64', prog], { encoding: 'latin1' });
      t.true(native.includes('handler: fcw 037f fsw 0000 ftw ffff mxcsr 00001f80 xmm0 00000000'));
      t.is(ours, native);
    });
