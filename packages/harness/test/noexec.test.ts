// Translated code whose page loses PROT_EXEC (test/fixtures/noexec.c): the next execution must
// fault where the CPU faults (si_code, si_addr, pc, how far the code got), not run the cached
// translation. The program's output does not depend on the mode, so both builds are held
// against the native x86-64 run (the i386 build gives the same lines on Linux 6.1 in the kernel VM).
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const dir = testTmpDir('dbtlab-noexec-');
const cli = join(__dirname, '..', 'bin', 'dbtlab.js');
const build = (bits: number): string => {
  const exe = join(dir, `noexec${bits}`);
  execFileSync('gcc', [`-m${bits}`, '-static', '-O2', join(__dirname, 'fixtures', 'noexec.c'), '-o', exe]);
  return exe;
};
const native = spawnSync(build(64), [], { encoding: 'latin1' });
const i386 = build(32);

for (const runtime of ['qemu-style', 'x86tomips-style']) {
  for (const [mode, exe] of [['x86-64', join(dir, 'noexec64')], ['i386', i386]]) {
    test(`${mode} through ${runtime}: code on a page that lost PROT_EXEC faults as natively`, (t) => {
      t.is(native.status, 0);
      t.is(native.stdout.match(/SIGSEGV 11 code 2 addr \+0/g)?.length, 15);
      const r = spawnSync('node', [cli, 'run', '--runtime', runtime, exe], { encoding: 'latin1' });
      t.is(r.stderr, '');
      t.is(r.stdout, native.stdout);
      t.is(r.status, 0);
    });
  }
}
