// Children and signals (test/fixtures/child-signals.c): auto-reaped children (SIGCHLD ignored,
// SA_NOCLDWAIT), clone's exit signal (SIGUSR1, none) and __WCLONE/__WALL, real-time signals that
// queue with their sigqueue values while standard ones coalesce. What the program prints does
// not depend on the mode or on timing, so both builds are held against the native x86-64 run.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { buildFixture, CLI as cli, testTmpDir } from './fixture-build';

const dir = testTmpDir('dbtlab-child-signals-');
const exe64 = buildFixture(dir, 'child-signals', 64);
const native = spawnSync(exe64, [], { encoding: 'latin1' });
const i386 = buildFixture(dir, 'child-signals', 32);

// each runtime with one of the two modes (the calls are the same code in both ABIs)
for (const [runtime, mode, exe] of [['qemu-style', 'x86-64', exe64], ['x86tomips-style', 'i386', i386]]) {
  test(`${mode} through ${runtime}: auto-reap, clone's exit signal, queued real-time signals as natively`, (t) => {
    t.is(native.status, 0);
    t.regex(native.stdout, /SIG_IGN: wait -1 No child processes\n/);
    t.is(native.stdout.match(/value 1[0-2] code SI_QUEUE/g)?.length, 3);
    const r = spawnSync('node', [cli, 'run', '--runtime', runtime, exe], { encoding: 'latin1' });
    t.is(r.stderr, '');
    t.is(r.stdout, native.stdout);
    t.is(r.status, 0);
  });
}
