// dbtlab experiment as a researcher drives it: a manifest of their own, a subset of the
// experiments and workloads, the cache, and shards run by GNU parallel merged by `dbtlab report`.
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadManifest, ManifestError } from '../src/manifest';
import { workloadPath } from '../src/workloads';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const BIN = resolve(__dirname, '..', 'bin', 'dbtlab.js');
const tmp = testTmpDir('dbtlab-experiment-');

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}
const dbtlab = (args: string[]): Promise<Result> =>
  new Promise((done) => {
    const p = spawn('node', [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    p.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    p.on('close', (status) => done({ status, stdout, stderr }));
  });

const files = (dir: string) => readdirSync(dir).filter((f) => !f.startsWith('.')).sort();

function manifestError(text: string, ext = 'yaml'): string {
  const f = join(tmp, `m-${Math.random().toString(36).slice(2)}.${ext}`);
  writeFileSync(f, text);
  try {
    loadManifest(f);
  } catch (e) {
    if (e instanceof ManifestError) return e.message.slice(f.length + 2);
    throw e;
  }
  return 'accepted';
}

test('manifest errors name the path of the bad field', (t) => {
  t.is(manifestError('workloads:\n  - name: a\n    program: x\n    args: -l\n'), '/workloads/0/args: must be array');
  t.is(manifestError('workloads:\n  - name: a\n    program: x\n    argz: []\n'), "/workloads/0: unknown field 'argz'");
  t.is(manifestError('workloads:\n  - name: a\n'), "/workloads/0: must have required property 'program'");
  t.is(manifestError('workloads:\n  - name: a\n    program: x\n    judge: qemu\n'), '/workloads/0/judge: must be one of native');
  t.is(manifestError('workloads:\n  - {name: a, program: x}\n  - {name: a, program: y}\n'), "/workloads/1/name: 'a' is already the name of another workload");
  t.is(manifestError('{"workloads": []}', 'json'), '/workloads: must NOT have fewer than 1 items');
  t.regex(manifestError('workloads: [\n'), /^Flow sequence|^Unexpected|^Missing/);
  t.is(manifestError('workloads:\n  - name: a\n    program: x\n    files: [{path: /etc/passwd, content: x}]\n'), '/workloads/0/files/0/path: must match pattern "^[^/]"');
  t.regex(manifestError('workloads:\n  - name: a\n    program: x\n    cpu: k6\n'), /^\/workloads\/0\/cpu: must be one of pentium2, .*pentium4/);
  t.is(manifestError('workloads:\n  - name: a\n    program: x\n    cpu: pentium4\n'), 'accepted');
});

test('a manifest of the user: program, args, stdin, env, files; judged against its native run', (t) => {
  const f = join(tmp, 'mine.yaml');
  writeFileSync(
    f,
    `workloads:\n  - name: wc\n    program: ${workloadPath('stdin-wc')}\n    stdin: "one two\\nthree\\n"\n    env: {LANG: C}\n    files: [{path: .dbtlab-test-input, content: "x"}]\n    judge: native\n`,
  );
  const [w] = loadManifest(f);
  t.is(w.name, 'wc');
  t.is(w.program, workloadPath('stdin-wc'));
  t.deepEqual(w.env, { LANG: 'C' });
  t.is(w.reference, undefined);
});

test('experiment e2 --workload: runs what e2 needs, writes only e2 files and a report saying so; a rerun is served from the cache', async (t) => {
  const out = join(tmp, 'subset');
  // e5 studies SMC programs: with none among the workloads it does not run, and the report says so
  const r = await dbtlab(['experiment', 'e2', 'e5', '--workload', 'loop', '--workload', 'syscalls', '--out', out]);
  t.is(r.status, 0, r.stderr);
  // e2 reads the default configuration of each runtime: 2 workloads x 2 runs
  t.regex(r.stderr, /4 runs \(0 cached\)/);
  t.deepEqual(files(out), ['README.md', 'e2-tbs-per-entry-distribution.svg', 'e2-tbs-per-entry-distribution.vl.json', 'e2-tbs-per-entry.csv', 'report.html']);
  t.regex(readFileSync(join(out, 'README.md'), 'utf8'), /Covers only e2-tbs-per-entry \(1 of 7\), on 2 workloads; not e5-smc \(none of the workloads is of the kind it studies\)/);
  const again = await dbtlab(['experiment', 'e2', '--workload', 'loop', '--workload', 'syscalls', '--out', out]);
  t.regex(again.stderr, /4 runs \(4 cached\)/);
  // a plain program as the workload set: its own native run is the reference
  const one = await dbtlab(['experiment', 'e3', '--workloads', workloadPath('calls'), '--out', join(tmp, 'one')]);
  t.is(one.status, 0, one.stderr);
  t.regex(readFileSync(join(tmp, 'one', 'e3-context-switch.csv'), 'utf8'), /^workload,.*\ncalls,/);
});

test("a manifest's cpu reaches the guest: an SSE2 program runs as native on pentium4 and dies of SIGILL on the default pentium2", async (t) => {
  const sse2 = resolve(__dirname, '..', 'workloads', 'build', 'sse2', 'strtod');
  const f = join(tmp, 'cpu.yaml');
  writeFileSync(f, `workloads:\n  - {name: p4, program: ${sse2}, cpu: pentium4, judge: native}\n  - {name: p2, program: ${sse2}, judge: native}\n`);
  const p4 = await dbtlab(['experiment', 'e3', '--workloads', f, '--workload', 'p4', '--out', join(tmp, 'p4'), '--no-cache']);
  t.is(p4.status, 0, p4.stderr);
  t.regex(p4.stderr, /2 runs \(0 cached\), 0 unexpected/);
  const p2 = await dbtlab(['experiment', 'e3', '--workloads', f, '--workload', 'p2', '--out', join(tmp, 'p2'), '--no-cache']);
  t.is(p2.status, 1);
  t.regex(p2.stderr, /UNEXPECTED p2 qemu-style default: differs from native/);
});

test('experiment: usage errors for an unknown experiment, workload, shard or a bad manifest', async (t) => {
  const bad = join(tmp, 'bad.json');
  writeFileSync(bad, '{"workloads": [{"name": "a"}]}');
  for (const [args, re] of [
    [['experiment', 'e9'], /no experiment named e9/],
    [['experiment', '--workload', 'nope'], /--workload: no workload named nope/],
    [['experiment', '--shard', '4/3'], /--shard: expected I\/N/],
    [['experiment', '--workloads', bad], /bad.json: \/workloads\/0: must have required property 'program'/],
    [['report', tmp], /no shard-I-of-N.json/],
  ] as [string[], RegExp][]) {
    const r = await dbtlab(args);
    t.is(r.status, 2, args.join(' '));
    t.regex(r.stderr, re);
  }
});

test('3 shards run as separate processes by GNU parallel, merged by dbtlab report: byte-identical to one run', async (t) => {
  const subset = ['e2', 'e4', 'e5', 'e6', '--workload', 'loop', '--workload', 'syscalls', '--workload', 'smc-store', '--no-cache'];
  const single = join(tmp, 'single');
  const shards = join(tmp, 'shards');
  const merged = join(tmp, 'merged');
  const par = spawnSync('parallel', ['--halt', 'now,fail=1', 'node', BIN, 'experiment', ...subset, '--out', shards, '--shard', '{}/3', ':::', '1', '2', '3'], { encoding: 'utf8' });
  t.is(par.status, 0, par.stderr);
  t.deepEqual(files(shards), ['shard-1-of-3.json', 'shard-2-of-3.json', 'shard-3-of-3.json']);
  const one = await dbtlab(['experiment', ...subset, '--out', single]);
  t.is(one.status, 0, one.stderr);
  const rep = await dbtlab(['report', shards, '--out', merged]);
  t.is(rep.status, 0, rep.stderr);
  t.deepEqual(files(merged), files(single));
  for (const f of files(single)) t.true(readFileSync(join(merged, f)).equals(readFileSync(join(single, f))), f);
  // two of three shards are not a result
  const partial = await dbtlab(['report', join(shards, 'shard-1-of-3.json'), join(shards, 'shard-3-of-3.json'), '--out', join(tmp, 'never')]);
  t.is(partial.status, 2);
  t.regex(partial.stderr, /missing shard 2\/3/);
});

test('compare and bench take a manifest or a plain program', async (t) => {
  const f = join(tmp, 'two.yaml');
  writeFileSync(f, `workloads:\n  - name: wc\n    program: ${workloadPath('stdin-wc')}\n    stdin: "one two\\nthree\\n"\n  - name: args\n    program: ${workloadPath('args')}\n    args: [a, "b c"]\n`);
  const c = await dbtlab(['compare', '--json', f]);
  t.is(c.status, 0, c.stderr);
  const parsed = JSON.parse(c.stdout);
  t.deepEqual(parsed.map((x: { program: string }) => x.program), ['wc', 'args']);
  for (const x of parsed) for (const r of x.runs) t.true(r.matches_native);
  const out = join(tmp, 'bench');
  const b = await dbtlab(['bench', '--out', out, workloadPath('exit-status')]);
  t.is(b.status, 0, b.stderr);
  const timings = JSON.parse(readFileSync(join(out, 'bench.json'), 'utf8'));
  t.deepEqual(timings.map((x: { subject: string }) => x.subject), ['native', 'qemu-i386', 'qemu-style', 'x86tomips-style']);
  // benchmark.js's margin of error is kept beside the median
  for (const x of timings) t.true(x.rme_percent >= 0 && x.samples >= 5 && x.median_ms > 0 && x.min_ms <= x.median_ms && x.median_ms <= x.max_ms);
  const md = readFileSync(join(out, 'bench.md'), 'utf8');
  t.regex(md, /exit-status +[\d.]+ ±[\d.]+%/);
  // the machine is named, with the load it carried
  t.regex(md, /^Machine: .+, \d+ logical CPUs, Node v[\d.]+, load average [\d.]+ [\d.]+ [\d.]+ at the start/m);
});
