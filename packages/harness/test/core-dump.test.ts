// Core files (linux-user core-dump.ts): a guest that dies of SIGSEGV with its RLIMIT_CORE raised
// to the hard limit (test/fixtures/core-dump.c, with two threads waiting in pause()) leaves
// qemu-user's qemu_<prog>_<time>_<pid>.core in its working directory, an ELF core that readelf and
// gdb read: the crashing thread's backtrace and, for the x86-64 build, its program counter are
// native's (Linux's own core of the same program), and there are as many threads, the two others
// in waiter(); with a hard limit of 0 no file is written.
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixture, CLI as cli, testTmpDir } from './fixture-build';

const dir = testTmpDir('dbtlab-core-dump-');
const exe64 = buildFixture(dir, 'core-dump', 64, ['-O1', '-g', '-pthread']);
const exe32 = buildFixture(dir, 'core-dump', 32, ['-O1', '-g', '-pthread']);

/** Runs argv under `sh` with `limits` (ulimit arguments) in a fresh directory; how it ended and the files it left. */
function run(name: string, limits: string, argv: string[]): { status: number | null; signal: NodeJS.Signals | null; cwd: string; files: string[] } {
  const cwd = join(dir, name);
  mkdirSync(cwd);
  const r = spawnSync('sh', ['-c', `ulimit ${limits} && exec "$@"`, 'sh', ...argv], { cwd, encoding: 'latin1' });
  return { status: r.status, signal: r.signal, cwd, files: readdirSync(cwd) };
}

/** gdb on a core of `exe`: the crashing thread's frame lines and program counter, and every thread's frame lines. */
function gdb(exe: string, core: string): { crash: string[]; threads: string[][] } {
  const out = execFileSync('gdb', ['-batch', '-nx', '-ex', 'bt', '-ex', 'p $pc', '-ex', 'thread apply all bt', exe, core], { encoding: 'latin1', stdio: ['ignore', 'pipe', 'ignore'] });
  const [mine, all] = out.split(/\n(?=Thread \d)/).reduce<[string[], string[][]]>(
    ([c, t], part) => (part.startsWith('Thread ') ? [c, [...t, part.split('\n').filter((l) => l.startsWith('#'))]] : [part.split('\n').filter((l) => /^(#\d|\$1)/.test(l)), t]),
    [[], []],
  );
  return { crash: mine, threads: all };
}

const native = run('native', '-c unlimited', [exe64, 'a', 'b']);
const nativeCore = native.files.find((f) => f.startsWith('core'));

for (const [runtime, exe, bits] of [['qemu-style', exe64, 64], ['x86tomips-style', exe32, 32]] as const) {
  test(`${bits}-bit through ${runtime}: SIGSEGV leaves a qemu-named ELF core whose backtrace is native's`, (t) => {
    t.is(native.signal, 'SIGSEGV');
    t.truthy(nativeCore, `native left ${native.files.join(' ')}`);
    const r = run(runtime, '-c unlimited', ['node', cli, 'run', '--runtime', runtime, '--deterministic-clock', exe, 'a', 'b']);
    // dbtlab does not die of a core signal itself (Node would leave its own core): 128 + 11
    t.is(r.status, 139);
    const name = `qemu_core-dump${bits}_20200101-000000_1000.core`;
    t.deepEqual(r.files, [name]);
    const core = join(r.cwd, name);
    const notes = execFileSync('readelf', ['-n', core], { encoding: 'latin1' });
    for (const n of ['NT_PRSTATUS', 'NT_PRPSINFO', 'NT_AUXV']) t.true(notes.includes(n), n);
    const mine = gdb(exe, core);
    const theirs = gdb(exe64, join(native.cwd, nativeCore!));
    t.is(mine.crash.length, 5, mine.crash.join('\n'));
    if (bits === 64) t.deepEqual(mine.crash, theirs.crash);
    // i386: the same functions, in the same order
    const functions = (lines: string[]): string[] => lines.map((l) => / (\w+) \(/.exec(l)?.[1] ?? l);
    t.deepEqual(functions(mine.crash.slice(0, 4)), functions(theirs.crash.slice(0, 4)));
    // the other threads (where natively they are depends on timing: only how many)
    t.is(mine.threads.length, theirs.threads.length);
    t.is(mine.threads.filter((frames) => frames.some((l) => l.includes(' in waiter ('))).length, 2, mine.threads.join('\n'));
  });
}

test('a hard RLIMIT_CORE of 0: the guest dies of SIGSEGV (status 139) and writes no core', (t) => {
  const r = run('no-core', '-H -c 0', ['node', cli, 'run', exe64]);
  t.is(r.status, 139);
  t.deepEqual(r.files, []);
});
