// Translated code whose page loses PROT_EXEC (test/fixtures/noexec.c): the next execution must
// fault where the CPU faults (si_code, si_addr, pc, how far the code got), not run the cached
// translation. The program's output does not depend on the mode, so both builds are held
// against the native x86-64 run (the i386 build gives the same lines on Linux 6.1 in the kernel VM).
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { buildFixture, CLI as cli, testTmpDir } from './fixture-build';

const dir = testTmpDir('dbtlab-noexec-');
const exe64 = buildFixture(dir, 'noexec', 64);
const native = spawnSync(exe64, [], { encoding: 'latin1' });
const i386 = buildFixture(dir, 'noexec', 32);

for (const runtime of ['qemu-style', 'x86tomips-style']) {
  for (const [mode, exe] of [['x86-64', exe64], ['i386', i386]]) {
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
