// The vDSO (linux-user/src/vdso.ts, vdso-image.ts, vdso32.ts, vdso64.ts) held against the native
// run of test/fixtures/vdso.c, built -m64 dynamic and -m32 dynamic and static: AT_SYSINFO_EHDR,
// the image's dynamic table, soname, hash tables and versions, its functions found by
// name@version, ld.so's linux-vdso.so.1 / linux-gate.so.1 at that address, the [vvar]/[vdso]
// lines of /proc/self/maps, and each function's results; i386: AT_SYSINFO is __kernel_vsyscall,
// which makes a system call, and the sigreturn trampolines' code. Each time function makes the
// real system call: strace shows it.
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI as cli, testTmpDir } from './fixture-build';

const dir = testTmpDir('dbtlab-vdso-');
const BUILDS = [
  { name: 'x86-64', flags: ['-m64'], soname: 'linux-vdso.so.1', functions: 5, calls: ['clock_gettime', 'gettimeofday', 'time', 'getcpu', 'clock_getres'] },
  { name: 'i386', flags: ['-m32'], soname: 'linux-gate.so.1', functions: 9, calls: ['clock_gettime', 'gettimeofday', 'time', 'getcpu', 'clock_getres', 'clock_gettime64', 'getpid'] },
  { name: 'i386 static', flags: ['-m32', '-static'], soname: 'linux-gate.so.1', functions: 9, calls: ['clock_gettime', 'gettimeofday', 'time', 'getcpu', 'clock_getres', 'clock_gettime64', 'getpid'] },
];

for (const b of BUILDS) {
  const exe = join(dir, `vdso-${b.name.replace(' ', '-')}`);
  execFileSync('gcc', [...b.flags, '-O1', '-Wall', '-Werror', join(__dirname, 'fixtures', 'vdso.c'), '-o', exe]);
  const native = spawnSync(exe, [], { encoding: 'latin1' });
  for (const runtime of ['qemu-style', 'x86tomips-style']) {
    test(`${b.name} through ${runtime}: the vDSO is Linux's to ld.so and the program, its calls the system calls`, (t) => {
      t.is(native.status, 0);
      t.regex(native.stdout, new RegExp(`^ld\\.so lists ${b.soname.replace(/\./g, '\\.')} at AT_SYSINFO_EHDR$`, 'm'));
      t.is(native.stdout.match(/@LINUX_2\.[56] found 1$/gm)?.length, b.functions);
      t.regex(native.stdout, /^maps \[vdso\] r-xp: AT_SYSINFO_EHDR\+0, 2 pages$/m);
      const log = join(dir, `strace-${b.name}-${runtime}`);
      const r = spawnSync('node', [cli, 'run', '--runtime', runtime, '-strace', '-D', log, exe], { encoding: 'latin1' });
      t.is(r.stderr, '');
      t.is(r.stdout, native.stdout);
      t.is(r.status, 0);
      const strace = readFileSync(log, 'latin1');
      for (const call of b.calls) t.regex(strace, new RegExp(`^${call}\\(`, 'm'));
    });
  }
}
