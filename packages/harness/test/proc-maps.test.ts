// /proc/self/maps of a guest (linux-user/src/proc-maps.ts): the guest's own mappings in Linux's
// format, not the Node.js process's. A static x86-64 program's image, bss and [heap] lines are
// byte-identical to native with address randomization off (setarch -R); in both builds the
// stack a local variable lives on is the [stack] line, and the i386 build's vDSO code is [vdso].
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { buildFixture, CLI as cli, testTmpDir } from './fixture-build';

const dir = testTmpDir('dbtlab-proc-maps-');
const exe64 = buildFixture(dir, 'proc-maps', 64, ['-O1']);
const exe32 = buildFixture(dir, 'proc-maps', 32, ['-O1']);
/** The lines up to and including [heap]: what does not depend on the kernel's choice of top-down addresses. */
const upToHeap = (maps: string): string => maps.slice(0, maps.indexOf('[heap]\n') + 7);

for (const runtime of ['qemu-style', 'x86tomips-style']) {
  test(`x86-64 through ${runtime}: the image and heap lines are native's`, (t) => {
    const native = spawnSync('setarch', ['-R', exe64], { encoding: 'latin1' });
    t.is(native.status, 0);
    const r = spawnSync('node', [cli, 'run', '--runtime', runtime, exe64], { encoding: 'latin1' });
    t.is(r.stderr, '');
    t.is(r.status, 0);
    t.true(native.stdout.includes(`${exe64}\n`) && native.stdout.includes('[heap]\n'));
    t.is(upToHeap(r.stdout), upToHeap(native.stdout));
    t.regex(r.stdout, /local variable in: \[stack\]\n$/);
  });
  test(`i386 through ${runtime}: the executable's segments are named, the stack is [stack]`, (t) => {
    const r = spawnSync('node', [cli, 'run', '--runtime', runtime, exe32], { encoding: 'latin1' });
    t.is(r.stderr, '');
    t.is(r.status, 0);
    // r-xp text segment of the program, with its file offset, named after the file
    t.regex(r.stdout, new RegExp(`^08049000-[0-9a-f]{8} r-xp 00001000 [0-9a-f]{2}:[0-9a-f]{2} \\d+ +${exe32}$`, 'm'));
    t.regex(r.stdout, /^[0-9a-f]{8}-[0-9a-f]{8} rw-p 00000000 00:00 0 {34}\[heap\]$/m);
    t.regex(r.stdout, /^[0-9a-f]{8}-[0-9a-f]{8} r-xp 00000000 00:00 0 {34}\[vdso\]$/m);
    t.regex(r.stdout, /local variable in: \[stack\]\n$/);
  });
}
