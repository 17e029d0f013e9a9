// The 64-bit vDSO (linux-user/src/vdso64.ts) held against the native run of a dynamic program
// (test/fixtures/vdso.c): AT_SYSINFO_EHDR, the image's dynamic table, soname, hash tables and
// versions, its five functions found by name@LINUX_2.6, ld.so's linux-vdso.so.1 at that address,
// and each function's results. Each function makes the real system call: strace shows it.
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI as cli, testTmpDir } from './fixture-build';

const dir = testTmpDir('dbtlab-vdso-');
const exe = join(dir, 'vdso');
execFileSync('gcc', ['-m64', '-O1', '-Wall', '-Werror', join(__dirname, 'fixtures', 'vdso.c'), '-o', exe]);
const native = spawnSync(exe, [], { encoding: 'latin1' });

for (const runtime of ['qemu-style', 'x86tomips-style']) {
  test(`through ${runtime}: the vDSO is Linux's to ld.so and the program, its calls the system calls`, (t) => {
    t.is(native.status, 0);
    t.regex(native.stdout, /^ld\.so lists linux-vdso\.so\.1 at AT_SYSINFO_EHDR$/m);
    t.is(native.stdout.match(/@LINUX_2\.6 found 1$/gm)?.length, 5);
    const log = join(dir, `strace-${runtime}`);
    const r = spawnSync('node', [cli, 'run', '--runtime', runtime, '-strace', '-D', log, exe], { encoding: 'latin1' });
    t.is(r.stderr, '');
    t.is(r.stdout, native.stdout);
    t.is(r.status, 0);
    const strace = readFileSync(log, 'latin1');
    for (const call of ['clock_gettime', 'gettimeofday', 'time', 'getcpu', 'clock_getres']) t.regex(strace, new RegExp(`^${call}\\(`, 'm'));
  });
}
