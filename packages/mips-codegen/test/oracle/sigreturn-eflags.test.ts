// EFLAGS through a signal (sigreturn-eflags.c): the saved flags a handler sees and the flags
// sigreturn restores, including a handler's edits of uc_mcontext's EFLAGS. The x86-64 build run
// natively is the oracle; the i386 and x86-64 builds through both runtimes must print the same.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const CLI = resolve(__dirname, '../../../harness/bin/dbtlab.js');
const dir = testTmpDir('sigreturn-eflags-');
const build = (bits: 32 | 64): string => {
  const out = join(dir, `sigreturn-eflags-${bits}`);
  execFileSync('gcc', [`-m${bits}`, '-static', '-O0', '-o', out, resolve(__dirname, 'sigreturn-eflags.c')]);
  return out;
};
const progs = { i386: build(32), x86_64: build(64) };
const native = execFileSync(progs.x86_64, { encoding: 'latin1' });

for (const runtime of ['qemu-style', 'x86tomips-style'])
  for (const [abi, prog] of Object.entries(progs))
    test(`EFLAGS saved in and restored from a signal frame, handler edits included: native and ${runtime} (${abi}) agree`, (t) => {
      const ours = execFileSync('node', [CLI, 'run', '--runtime', runtime, prog], { encoding: 'latin1' });
      t.is(native.split('\n').length, 513);
      t.is(ours, native);
    });
