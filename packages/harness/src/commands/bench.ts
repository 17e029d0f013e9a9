/**
 * dbtlab bench: wall-clock, side by side in one run, of each runtime on each workload,
 * native execution and real qemu-i386 (benchmark.js: repeated samples, medians, ratios).
 * Machine-dependent by nature: written to reports/bench.md and bench.json, never asserted.
 */
import Benchmark from 'benchmark';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, writeSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { ParsedArgs } from '../cli/parse-args';
import { findConfig, runWorkload } from '../experiments';
import { isManifestPath, loadManifest, programWorkload } from '../manifest';
import { getWorkload, runEnv, workloadPath, WORKLOADS, type Workload } from '../workloads';
import { chosenWorkloads } from './experiment';
import { formatTable } from './compare';

/** Issue 15's compute set (its targets are ratios on these), the x87 one, and two system-call ones. */
const DEFAULT_WORKLOADS = ['loop', 'calls', 'primes', 'qsort', 'int64', 'strings', 'interp', 'malloc-tree', 'matrix', 'sha256', 'x87-math', 'syscalls', 'many-syscalls'];

interface Timing {
  workload: string;
  subject: string;
  median_ms: number;
  mean_ms: number;
  /** benchmark.js's relative margin of error of the mean (95%), in percent. */
  rme_percent: number;
  samples: number;
  /** The fastest and slowest sample (the spread, beside the margin of error). */
  min_ms: number;
  max_ms: number;
}

/** What ran the benchmark: times depend on it, and on what else was running. */
function machineLine(): string {
  const c = cpus();
  const load = loadavg().map((x) => x.toFixed(1)).join(' ');
  return `${c[0]?.model ?? 'unknown CPU'}, ${c.length} logical CPUs, Node ${process.version}, load average ${load}`;
}

const geomean = (xs: number[]): number => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);

/** Operands: built-in workload names, programs or manifests; else --workloads, else the default set. */
function benchWorkloads(args: ParsedArgs): Workload[] {
  if (!args.positionals.length) return args.options.workloads || args.options.workload ? chosenWorkloads(args) : DEFAULT_WORKLOADS.map((n) => getWorkload(n));
  return args.positionals.flatMap((p) =>
    WORKLOADS.some((w) => w.name === p) ? [getWorkload(p)] : isManifestPath(p) ? loadManifest(p) : [programWorkload(p)],
  );
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function spawnTimed(cmd: string, args: string[], w: Workload): () => void {
  return () => {
    const { env, done } = runEnv(w);
    try {
      spawnSync(cmd, args, { cwd: dirname(workloadPath(w)), input: w.stdin ?? '', env, stdio: ['pipe', 'ignore', 'ignore'] });
    } finally {
      done();
    }
  };
}

export function benchCommand(args: ParsedArgs): number {
  const workloads = benchWorkloads(args);
  const before = machineLine();
  const out = resolve(String(args.options.out ?? 'reports'));
  const timings: Timing[] = [];
  for (const w of workloads) {
    const prog = `./${basename(workloadPath(w))}`;
    const subjects: [string, () => void][] = [
      ['native', spawnTimed(prog, [...w.args], w)],
      ['qemu-i386', spawnTimed('qemu-i386', [prog, ...w.args], w)],
      ['qemu-style', () => void runWorkload(w, findConfig('qemu-style'))],
      ['x86tomips-style', () => void runWorkload(w, findConfig('x86tomips-style'))],
    ];
    const suite = new Benchmark.Suite(w.name);
    for (const [subject, fn] of subjects) suite.add(subject, fn, { minSamples: 5, maxTime: 2, initCount: 1 });
    suite.on('cycle', (e: Benchmark.Event) => {
      const b = e.target as unknown as Benchmark;
      const t = { workload: w.name, subject: String(b.name), median_ms: 1000 * median(b.stats.sample), mean_ms: 1000 * b.stats.mean, rme_percent: b.stats.rme, samples: b.stats.sample.length, min_ms: 1000 * Math.min(...b.stats.sample), max_ms: 1000 * Math.max(...b.stats.sample) };
      timings.push(t);
      writeSync(2, `dbtlab bench: ${w.name} ${b.name}: ${t.mean_ms.toFixed(2)} ms \u00b1${t.rme_percent.toFixed(1)}%, median ${t.median_ms.toFixed(2)} ms (${t.samples} samples)\n`);
    });
    suite.run({ async: false });
  }
  const cell = (t: Timing) => `${t.median_ms.toFixed(2)} \u00b1${t.rme_percent.toFixed(1)}%`;
  const ratios = workloads.map((w) => {
    const t = (s: string) => timings.find((x) => x.workload === w.name && x.subject === s)!;
    return { w, t, schemes: t('x86tomips-style').median_ms / t('qemu-style').median_ms, vsQemu: t('qemu-style').median_ms / t('qemu-i386').median_ms };
  });
  const rows = ratios.map(({ w, t, schemes, vsQemu }) => [w.name, ...['native', 'qemu-i386', 'qemu-style', 'x86tomips-style'].map((s) => cell(t(s))), schemes.toFixed(2), vsQemu.toFixed(1)]);
  if (ratios.length > 1) rows.push(['geometric mean', '', '', '', '', geomean(ratios.map((r) => r.schemes)).toFixed(2), geomean(ratios.map((r) => r.vsQemu)).toFixed(1)]);
  const table = formatTable(['workload', 'native ms', 'qemu-i386 ms', 'qemu-style ms', 'x86tomips-style ms', 'x86tomips/qemu-style', 'qemu-style/qemu-i386'], rows);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'bench.json'), `${JSON.stringify(timings, null, 2)}\n`);
  writeFileSync(
    join(out, 'bench.md'),
    [
      '# Wall-clock (machine-dependent)',
      '',
      'Medians of benchmark.js samples with its relative margin of error of the mean (95%), one run of `dbtlab bench`; each dbtlab run includes loading and translating (in this process, so without Node start-up and module loading); ratios of medians. bench.json also holds each subject\'s fastest and slowest sample.',
      '',
      `Machine: ${before} at the start; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} at the end.`,
      '',
      '```',
      table,
      '```',
      '',
    ].join('\n'),
  );
  writeSync(1, `${table}\n`);
  return 0;
}
