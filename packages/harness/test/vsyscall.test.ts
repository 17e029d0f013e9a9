// The vsyscall page of an x86-64 process (test/fixtures/vsyscall.c), held against the native run
// (this machine's Linux has vsyscall=xonly): its three entries called through function pointers
// return as gettimeofday, time and getcpu; reading the page is SEGV_MAPERR at the load; a
// misaligned or fourth entry and a bad pointer are SI_KERNEL at the entry; a kernel address is a
// fetch fault at the target and a non-canonical one #GP at the call.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { buildFixture, CLI as cli, testTmpDir } from './fixture-build';

const dir = testTmpDir('dbtlab-vsyscall-');
const exe = buildFixture(dir, 'vsyscall', 64);
const native = spawnSync(exe, [], { encoding: 'latin1' });

for (const runtime of ['qemu-style', 'x86tomips-style']) {
  test(`through ${runtime}: the vsyscall page behaves as Linux's`, (t) => {
    t.is(native.status, 0);
    t.regex(native.stdout, /^getcpu: 0, cpu set 1, node 0$/m);
    t.is(native.stdout.match(/si_code 128 si_addr 0 rip 0xffffffffff600/g)?.length, 3);
    const r = spawnSync('node', [cli, 'run', '--runtime', runtime, exe], { encoding: 'latin1' });
    t.is(r.stderr, '');
    t.is(r.stdout, native.stdout);
    t.is(r.status, 0);
  });
}
