// /proc/self/maps of a guest (linux-user/src/proc-maps.ts): the guest's own mappings in Linux's
// format, not the Node.js process's. An x86-64 program's maps are byte-identical to native with
// address randomization off (setarch -R): Linux's 64-bit layout (PIE at 0x555555554000, ld.so and
// the vDSO below mmap_base 0x7ffff7fff000, the stack top at 0x7ffffffff000, [vsyscall]), the [stack]
// line's start too (128 KiB below the strings, grown as touched: stack-growth.ts); in both
// builds the stack a local variable lives on is the [stack] line, and the i386 build's vDSO code is [vdso].
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildFixture, CLI as cli, testTmpDir } from './fixture-build';

const dir = testTmpDir('dbtlab-proc-maps-');
const exe64 = buildFixture(dir, 'proc-maps', 64, ['-O1']);
const exe32 = buildFixture(dir, 'proc-maps', 32, ['-O1']);
const build64 = (name: string, flags: string[]): string => {
  const exe = join(dir, name);
  execFileSync('gcc', ['-m64', '-O1', ...flags, join(__dirname, 'fixtures', 'proc-maps.c'), '-o', exe]);
  return exe;
};

// static, static-PIE, dynamic (the host's ld.so and libc, which also map what ld.so allocates for the
// vDSO image): the layout does not depend on the runtime, so the last two run through one runtime each
const programs: Array<[string, () => string, string[]]> = [
  ['static', () => exe64, ['qemu-style', 'x86tomips-style']],
  ['static-PIE', () => build64('proc-maps-spie', ['-static-pie']), ['qemu-style']],
  ['dynamic PIE', () => build64('proc-maps-dyn', []), ['x86tomips-style']],
];
for (const [kind, build, runtimes] of programs) {
  for (const runtime of runtimes) {
    test(`x86-64 ${kind} through ${runtime}: /proc/self/maps is native's (setarch -R)`, (t) => {
      const exe = build();
      const native = spawnSync('setarch', ['-R', exe], { encoding: 'latin1' });
      t.is(native.status, 0);
      const r = spawnSync('node', [cli, 'run', '--runtime', runtime, exe], { encoding: 'latin1' });
      t.is(r.stderr, '');
      t.is(r.status, 0);
      t.true(native.stdout.includes(`${exe}\n`) && native.stdout.includes('[heap]\n') && native.stdout.includes('[vsyscall]\n'));
      t.is(r.stdout, native.stdout);
      t.regex(r.stdout, /local variable in: \[stack\]\n$/);
    });
  }
}

for (const runtime of ['qemu-style', 'x86tomips-style']) {
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
