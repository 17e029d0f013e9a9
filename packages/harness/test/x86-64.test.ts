// x86-64 guests end to end: a 64-bit program without libc through both runtimes, against
// its native run on this (x86-64) machine: byte-identical stdout, same exit status, exact
// and deterministic counts; a 64-bit instruction not translated stops with exit 125.
import test, { type ExecutionContext } from 'ava';
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const dir = testTmpDir('dbtlab-x64-');
const prog = join(dir, 'x86-64-nolibc');
execFileSync('gcc', ['-static', '-nostdlib', '-O2', '-fno-pie', '-no-pie', '-fno-stack-protector', '-fno-builtin', '-fno-asynchronous-unwind-tables', join(__dirname, 'fixtures', 'x86-64-nolibc.c'), '-o', prog]);
const glibcProg = join(dir, 'x86-64-glibc');
execFileSync('gcc', ['-static', '-O2', join(__dirname, 'fixtures', 'x86-64-glibc.c'), '-o', glibcProg]);
const cli = join(__dirname, '..', 'bin', 'dbtlab.js');

function dbtlab(runtime: string, file: string, stats?: string) {
  return spawnSync('node', [cli, 'run', '--runtime', runtime, ...(stats ? ['--stats-json', stats] : []), file], { encoding: 'latin1' });
}

/** How a run through dbtlab must end: stdout, no stderr, and the exit status as `native`'s. */
function asNative(t: ExecutionContext, r: SpawnSyncReturns<string>, native: SpawnSyncReturns<string>): void {
  t.is(r.stderr, '');
  t.is(r.stdout, native.stdout);
  t.is(r.status, native.status);
}

const native = spawnSync(prog, [], { encoding: 'latin1' });

for (const runtime of ['qemu-style', 'x86tomips-style']) {
  test(`an x86-64 program through ${runtime}: stdout and exit status as native, counts deterministic`, (t) => {
    t.true(native.stdout.startsWith('fib(90) = 2880067194370816120\n'));
    const statsA = join(dir, `${runtime}-a.json`);
    const statsB = join(dir, `${runtime}-b.json`);
    asNative(t, dbtlab(runtime, prog, statsA), native);
    dbtlab(runtime, prog, statsB);
    // every wall-clock figure (the run's and each process's) is left out: the rest must be equal
    const counts = (f: string) => JSON.parse(readFileSync(f, 'utf8'), (key, value) => (key === 'wall_ms' ? 0 : value));
    t.deepEqual(counts(statsA), counts(statsB));
    t.is(counts(statsA).syscalls, 2);
  });
}

const glibcNative = spawnSync(glibcProg, [], { encoding: 'latin1' });
for (const runtime of ['qemu-style', 'x86tomips-style']) {
  test(`a glibc-static x86-64 program through ${runtime}: stdout and exit status as native`, (t) => {
    t.regex(glibcNative.stdout, /^hello x86-64 1 /);
    asNative(t, dbtlab(runtime, glibcProg), glibcNative);
  });
}

test('int $0x80 from x86-64 code is an i386 system call, as an IA32_EMULATION kernel runs it', (t) => {
  // eax 1 is exit in the i386 table (write in the 64-bit one), ebx its status; syscall 231 would exit 0
  const src = join(dir, 'int80.c');
  writeFileSync(src, 'void _start(void) { __asm__ volatile("int $0x80; movl $231, %%eax; xorl %%edi, %%edi; syscall" :: "a"(1), "b"(7)); }\n');
  const exe = join(dir, 'int80');
  execFileSync('gcc', ['-static', '-nostdlib', '-O2', src, '-o', exe]);
  for (const runtime of ['qemu-style', 'x86tomips-style']) {
    const r = dbtlab(runtime, exe);
    t.is(r.stderr, '');
    t.is(r.status, 7, runtime);
  }
});

test('x86-64 strace prints struct stat decoded, as real strace does', (t) => {
  const src = join(dir, 'stat64.c');
  writeFileSync(
    src,
    '#include <sys/stat.h>\n#include <fcntl.h>\nint main(void) { struct stat st; stat("/etc/passwd", &st); lstat("/dev/null", &st); fstatat(AT_FDCWD, "/etc", &st, 0); stat("/nonexistent", &st); return 0; }\n',
  );
  const exe = join(dir, 'stat64');
  execFileSync('gcc', ['-static', '-O1', src, '-o', exe]);
  const lines = (text: string) => text.split('\n').filter((l) => l.startsWith('newfstatat(')).map((l) => l.replace(/0x[0-9a-f]{6,}/g, 'ADDR'));
  const real = spawnSync('strace', ['-qq', '-e', 'trace=newfstatat', exe], { encoding: 'latin1' });
  const ours = spawnSync('node', [cli, 'run', '--strace', exe], { encoding: 'latin1' });
  t.is(lines(real.stderr).length, 4);
  t.deepEqual(lines(ours.stderr), lines(real.stderr));
});

test('x86-64 strace prints 64-bit offsets and lengths whole, and posix_fadvise\'s advice, as real strace does', (t) => {
  const src = join(dir, 'longargs.c');
  writeFileSync(
    src,
    '#define _GNU_SOURCE\n#include <fcntl.h>\n#include <unistd.h>\nint main(void) { char b[16]; int fd = open("/dev/null", O_RDWR);\n' +
      'lseek(fd, 5000000000LL, SEEK_SET); lseek(fd, -3, SEEK_CUR); pread(fd, b, 10, 6000000000LL); pwrite(fd, "abcd", 4, 0x123456789aLL);\n' +
      'ftruncate(fd, 1LL << 40); posix_fadvise(fd, 7000000000LL, 1LL << 33, POSIX_FADV_SEQUENTIAL); fallocate(fd, 0, 1LL << 35, -1); return 0; }\n',
  );
  const exe = join(dir, 'longargs');
  execFileSync('gcc', ['-static', '-O1', src, '-o', exe]);
  const calls = ['lseek', 'pread64', 'pwrite64', 'ftruncate', 'fadvise64', 'fallocate'];
  const lines = (text: string) => text.split('\n').filter((l) => calls.some((c) => l.startsWith(`${c}(`))).map((l) => l.replace(/\) +=/, ') ='));
  const real = spawnSync('strace', ['-qq', '-e', `trace=${calls.join(',')}`, exe], { encoding: 'latin1' });
  const ours = spawnSync('node', [cli, 'run', '--strace', exe], { encoding: 'latin1' });
  t.is(lines(real.stderr).length, 7);
  t.deepEqual(lines(ours.stderr), lines(real.stderr));
});

test('-d in_asm,exec of an x86-64 program: the first block as qemu-x86_64 logs it (addresses, bytes), 64-bit instructions, 16-digit Trace addresses', (t) => {
  const log = join(dir, 'ours.log');
  const qlog = join(dir, 'qemu.log');
  t.is(spawnSync('node', [cli, 'run', '-d', 'in_asm,exec', '-D', log, prog]).status, native.status);
  spawnSync('qemu-x86_64', ['-d', 'in_asm,exec', '-D', qlog, prog]);
  const firstBlock = (f: string) => readFileSync(f, 'latin1').split('\n----------------\n')[0].split('\n').filter((l) => l.startsWith('0x'));
  const ours = firstBlock(log);
  t.true(ours.length > 1);
  // address and bytes are QEMU's; the text is objdump's (QEMU's is capstone's)
  t.deepEqual(ours.map((l) => l.slice(0, 37)), firstBlock(qlog).map((l) => l.slice(0, 37)));
  t.regex(ours.join('\n'), /%r[a-z0-9]+/, 'decoded as 64-bit code');
  const trace = readFileSync(log, 'latin1').split('\n').find((l) => l.startsWith('Trace 0:'))!;
  t.regex(trace, /^Trace 0: 0x[0-9a-f]+ \[0{16}\/[0-9a-f]{16}\/00000000\/00000000\] $/);
});

// threads.c at -m64 reaches `imul $0x3e8,%fs:-0x50,%eax` (a %fs memory operand in an instruction
// that needs many scratch registers: was exit 125)
const threads64 = join(dir, 'threads64');
execFileSync('gcc', ['-m64', '-static', '-O2', '-pthread', '-o', threads64, join(__dirname, 'fixtures', 'processes', 'threads.c')]);
const threadsNative = spawnSync(threads64, [], { encoding: 'latin1' });
for (const runtime of ['qemu-style', 'x86tomips-style']) {
  test(`threads.c built -m64 through ${runtime}: native's output`, (t) => {
    asNative(t, dbtlab(runtime, threads64), threadsNative);
  });
}

test('the initial stack of an x86-64 process as Linux builds it (native under setarch -R: its top at 0x7ffffffff000), but for the auxv entries dbtlab leaves out', (t) => {
  const exe = join(dir, 'x86-64-stack');
  execFileSync('gcc', ['-static', '-O2', '-fno-pie', '-no-pie', join(__dirname, 'fixtures', 'x86-64-stack.c'), '-o', exe]);
  const argv = ['./x86-64-stack', 'x', 'a b', ''];
  const opts = { cwd: dir, env: { A: '1', B: 'hello', PATH: '/usr/bin:/bin' }, encoding: 'latin1' as const };
  const native = spawnSync('setarch', ['-R', ...argv], opts);
  const ours = spawnSync(process.execPath, [cli, 'run', ...argv], opts);
  t.is(ours.stderr, '');
  t.is(native.status, 0);
  // AT_MINSIGSTKSZ, AT_HWCAP2 and the rseq pair are not given (README); AT_HWCAP is the emulated CPU's.
  // Four pairs fewer: sp 64 bytes higher, the rest in place (AT_SYSINFO_EHDR, the vDSO, at native's address).
  const omitted = /^auxv (51|26|27|28) /;
  const normalize = (out: string, spShift: number) =>
    out
      .split('\n')
      .filter((l) => !omitted.test(l))
      .map((l) => l.replace(/^auxv 16 .*/, 'auxv 16 (hwcap)').replace(/sp = top-(\d+)/, (_, n) => `sp = top-${Number(n) + spShift}`))
      .join('\n');
  t.regex(native.stdout, /^auxv 33 0x7ffff7ffd000$/m);
  t.regex(native.stdout, /^top = 0x7ffffffff000, /);
  t.is(normalize(ours.stdout, 64), normalize(native.stdout, 0));
  t.regex(ours.stdout, /^auxv 31 top-\d+\n/m, 'AT_EXECFN on the stack');
});
