// Core files (linux-user core-dump.ts): a guest that dies of SIGSEGV with its RLIMIT_CORE raised
// to the hard limit (test/fixtures/core-dump.c) leaves qemu-user's qemu_<prog>_<time>_<pid>.core
// in its working directory, an ELF core that readelf and gdb read: the backtrace and, for the
// x86-64 build, the program counter are native's (Linux's own core of the same program); with a
// hard limit of 0 no file is written.
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixture, CLI as cli, testTmpDir } from './fixture-build';

const dir = testTmpDir('dbtlab-core-dump-');
const exe64 = buildFixture(dir, 'core-dump', 64, ['-O1', '-g']);
const exe32 = buildFixture(dir, 'core-dump', 32, ['-O1', '-g']);

/** Runs argv under `sh` with `limits` (ulimit arguments) in a fresh directory; how it ended and the files it left. */
function run(name: string, limits: string, argv: string[]): { status: number | null; signal: NodeJS.Signals | null; cwd: string; files: string[] } {
  const cwd = join(dir, name);
  mkdirSync(cwd);
  const r = spawnSync('sh', ['-c', `ulimit ${limits} && exec "$@"`, 'sh', ...argv], { cwd, encoding: 'latin1' });
  return { status: r.status, signal: r.signal, cwd, files: readdirSync(cwd) };
}

/** gdb's backtrace and program counter of a core of `exe` (its frame lines; the source path is the same file). */
const gdb = (exe: string, core: string): string[] =>
  execFileSync('gdb', ['-batch', '-nx', '-ex', 'bt', '-ex', 'p $pc', exe, core], { encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'] })
    .split('\n')
    .filter((l) => /^(#\d|\$1)/.test(l));

const native = run('native', '-c unlimited', [exe64]);
const nativeCore = native.files.find((f) => f.startsWith('core'));

for (const [runtime, exe, bits] of [['qemu-style', exe64, 64], ['x86tomips-style', exe32, 32]] as const) {
  test(`${bits}-bit through ${runtime}: SIGSEGV leaves a qemu-named ELF core whose backtrace is native's`, (t) => {
    t.is(native.signal, 'SIGSEGV');
    t.truthy(nativeCore, `native left ${native.files.join(' ')}`);
    const r = run(runtime, '-c unlimited', ['node', cli, 'run', '--runtime', runtime, '--deterministic-clock', exe]);
    // dbtlab does not die of a core signal itself (Node would leave its own core): 128 + 11
    t.is(r.status, 139);
    const name = `qemu_core-dump${bits}_20200101-000000_1000.core`;
    t.deepEqual(r.files, [name]);
    const core = join(r.cwd, name);
    const notes = execFileSync('readelf', ['-n', core], { encoding: 'latin1' });
    for (const n of ['NT_PRSTATUS', 'NT_PRPSINFO', 'NT_AUXV']) t.true(notes.includes(n), n);
    const mine = gdb(exe, core);
    const theirs = gdb(exe64, join(native.cwd, nativeCore!));
    t.is(mine.length, 5, mine.join('\n'));
    if (bits === 64) t.deepEqual(mine, theirs);
    // i386: the same functions, in the same order
    const functions = (lines: string[]): string[] => lines.map((l) => / (\w+) \(/.exec(l)?.[1] ?? l);
    t.deepEqual(functions(mine.slice(0, 4)), functions(theirs.slice(0, 4)));
  });
}

test('a hard RLIMIT_CORE of 0: the guest dies of SIGSEGV (status 139) and writes no core', (t) => {
  const r = run('no-core', '-H -c 0', ['node', cli, 'run', exe64]);
  t.is(r.status, 139);
  t.deepEqual(r.files, []);
});
