// Guest process trees (fork, exec, wait, pipes between guests, signals) and threads (clone,
// futex, TLS) through both runtimes, against native execution of the same binaries (here
// through qemu-i386 binfmt: the kernel runs no i386 code): stdout, stderr and exit status.
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TranslationCache, type Stats } from '@dbtlab/dbt-core';
import { createScheme, RUNTIME_NAMES, type RuntimeName } from '../src/runtimes';
import { runGuest } from '../src/run-guest';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const FIXTURES = join(__dirname, 'fixtures', 'processes');
const dir = testTmpDir('dbtlab-processes-');
for (const name of ['fork-pipe-exec', 'fork-smc', 'hello']) execFileSync('gcc', ['-m32', '-static', '-O1', '-o', join(dir, name), join(FIXTURES, `${name}.c`)]);
execFileSync('gcc', ['-m32', '-static', '-O2', '-pthread', '-o', join(dir, 'threads'), join(FIXTURES, 'threads.c')]);
execFileSync('gcc', ['-m32', '-O2', '-pthread', '-o', join(dir, 'threads-dyn'), join(FIXTURES, 'threads.c')]);
execFileSync('gcc', ['-m32', '-static', '-pthread', '-o', join(dir, 'deadlock'), join(FIXTURES, 'deadlock.c')]);
for (const bits of [32, 64]) execFileSync('gcc', [`-m${bits}`, '-static', '-O1', '-o', join(dir, `exec-width${bits}`), join(FIXTURES, 'exec-width.c')]);
writeFileSync(join(dir, 'notelf.txt'), 'not an elf\n');
chmodSync(join(dir, 'notelf.txt'), 0o755);

/** One run through `runtime`, stdout and stderr captured in one file. */
function guest(runtime: RuntimeName, argv: string[], translations?: TranslationCache | null) {
  const out = join(dir, `out-${runtime}`);
  const fd = openSync(out, 'w');
  const r = runGuest(createScheme(runtime), { elf: argv[0], argv, envp: [], cwd: dir, stdout: fd, stderr: fd, deterministicClock: true, translations });
  closeSync(fd);
  return { r, stdout: readFileSync(out, 'latin1') };
}

/** stdout and status of `argv` natively and through one runtime. */
function both(runtime: RuntimeName, argv: string[]) {
  const native = spawnSync(argv[0], argv.slice(1), { cwd: dir, encoding: 'latin1', env: {} });
  return { native, ...guest(runtime, argv) };
}

const merged = (out: string): string =>
  out
    .split('\n')
    .filter((l) => !l.startsWith('qemu:')) // native i386 runs go through qemu-i386 here (binfmt)
    .sort()
    .join('\n');

/** Counts ThreadLedger splits between threads (each thread's sum is its process's). */
const SPLIT_COUNTS = ['guest_insns', 'host_insns', 'tb_executions', 'syscalls', 'guest_switches', 'code_cache_entries', 'tbs_translated', 'helper_calls', 'forks', 'execs', 'tbs_inherited'] as const;
const sum = (entries: { stats: Stats }[], k: (typeof SPLIT_COUNTS)[number]): number => entries.reduce((s, e) => s + e.stats[k], 0);

for (const runtime of RUNTIME_NAMES) {
  test(`${runtime}: fork, 8000 lines through a pipe read to EOF, waitpid, exec, a child killed by SIGABRT, execve of a non-ELF (ENOEXEC); counts the same on a second run`, (t) => {
    const { native, r, stdout } = both(runtime, ['./fork-pipe-exec']);
    t.is(r.error, undefined);
    t.is(r.status, native.status ?? undefined);
    // stderr too, merged (the order of the two streams in one file is not the point)
    t.is(merged(stdout), merged(native.stdout + native.stderr));
    t.deepEqual(
      r.processes.map((p) => [p.pid - r.processes[0].pid, p.exit_status]),
      [[0, 3], [1, 7], [2, 5], [3, 134]],
    );
    t.true(r.processes[1].stats.tbs_inherited > 0, 'a forked child starts with the parent TBs');
    t.is(r.processes[2].stats.execs, 1);
    t.is(r.stats.guest_insns, r.processes.reduce((s, p) => s + p.stats.guest_insns, 0));
    // per thread: each process's one thread has the whole process's counts
    for (const p of r.processes) for (const k of SPLIT_COUNTS) t.is(sum(p.per_thread, k), p.stats[k], `${p.pid} ${k}`);
    t.true(r.stats.guest_switches > 2, 'the writer blocked on the full pipe and the reader ran');
    // the same tree (500 lines) twice, its processes translating on their own, then sharing their
    // translations (each reused block checked against its translation): every count equal
    const shared = new TranslationCache();
    shared.verify = true;
    const [a, b] = [null, shared].map((translations) => guest(runtime, ['./fork-pipe-exec', '500'], translations).r);
    for (const k of ['guest_insns', 'host_insns', 'tb_executions', 'syscalls', 'guest_switches', 'tbs_inherited'] as const) t.is(a.stats[k], b.stats[k], k);
    const perProcess = (r: typeof a) => r.processes.map((p) => ({ ...p, stats: { ...p.stats, wall_ms: 0 }, per_thread: p.per_thread.map((e) => ({ ...e, stats: { ...e.stats, wall_ms: 0 } })) }));
    t.deepEqual(perProcess(a), perProcess(b));
    t.true(shared.hits > 0, 'the exec child reused blocks of the parent image');
  });
}

for (const runtime of RUNTIME_NAMES) {
  test(`${runtime}: 8 pthreads (create/join, mutex, condvar, barrier, rwlock, C11 atomics incl. cmpxchg8b, TLS), static and dynamic, give native's output; counts the same on a second run`, (t) => {
    for (const prog of ['./threads', './threads-dyn']) {
      const { native, r, stdout } = both(runtime, [prog]);
      t.is(r.error, undefined, prog);
      t.is(r.status, native.status ?? undefined, prog);
      t.is(stdout, native.stdout + native.stderr, prog);
      t.deepEqual(
        r.processes.map((p) => [p.threads, p.exit_status]),
        [[9, 0]],
        prog,
      );
    }
    const again = guest(runtime, ['./threads']).r;
    const first = guest(runtime, ['./threads']).r;
    for (const k of ['guest_insns', 'host_insns', 'tb_executions', 'syscalls', 'guest_switches'] as const) t.is(again.stats[k], first.stats[k], k);
    // each thread's own counts: all 9 ran, they sum to the process exactly, the same on both runs
    const threads = first.processes[0].per_thread;
    t.deepEqual(threads.map((e) => e.tid - first.processes[0].pid), [0, 1, 2, 3, 4, 5, 6, 7, 8]);
    for (const k of SPLIT_COUNTS) t.is(sum(threads, k), first.stats[k], k);
    t.true(threads.every((e) => e.stats.guest_insns > 0 && e.stats.syscalls > 0));
    t.deepEqual(again.processes[0].per_thread, threads);
  });
}

for (const runtime of RUNTIME_NAMES) {
  test(`${runtime}: an i386 program execs an x86-64 one, which execs the i386 one again (each image in an engine of its own width)`, (t) => {
    const argv = ['./exec-width32', './exec-width64', './exec-width32'];
    const { native, r, stdout } = both(runtime, argv);
    t.is(stdout, '32-bit, 2 more\n64-bit, 1 more\n32-bit, 0 more\n');
    t.is(stdout, native.stdout);
    t.is(r.status, 0);
    t.is(r.stats.execs, 2);
  });
}

for (const runtime of RUNTIME_NAMES) {
  test(`${runtime}: self-modifying code on both sides of a fork: each process runs its own bytes (shared TBs, each side's invalidations and chains its own)`, (t) => {
    const { native, r, stdout } = both(runtime, ['./fork-smc']);
    t.is(r.error, undefined);
    t.is(r.status, native.status ?? undefined);
    t.is(stdout, native.stdout);
    t.true(r.processes[1].stats.tbs_inherited > 0);
    for (const p of r.processes) t.true(p.stats.tb_invalidations > 0, `pid ${p.pid} invalidated its TBs`);
  });
}

test('two threads each waiting for the mutex the other holds: GuestDeadlock naming both futex waits, statistics still there', (t) => {
  const { r } = guest('qemu-style', ['./deadlock']);
  t.is(r.status, undefined);
  t.is(r.error, 'deadlock: every guest process is blocked: pid 1000 (./deadlock) in futex, thread 1001 of pid 1000 (./deadlock) in futex');
  t.is(r.processes[0].threads, 2);
  t.true(r.stats.guest_insns > 0);
});
