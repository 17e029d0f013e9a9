/**
 * dbtlab bench: wall-clock, side by side in one run, of each runtime on each workload,
 * native execution and real qemu-i386 (benchmark.js: repeated samples, medians, ratios).
 * Machine-dependent by nature: written to reports/bench.md and bench.json, never asserted.
 */
import Benchmark from 'benchmark';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { ParsedArgs } from '../cli/parse-args';
import { findConfig, runWorkload } from '../experiments';
import { isManifestPath, loadManifest, programWorkload } from '../manifest';
import { getWorkload, workloadPath, WORKLOADS, type Workload } from '../workloads';
import { chosenWorkloads } from './experiment';
import { formatTable } from './compare';

const DEFAULT_WORKLOADS = ['loop', 'calls', 'syscalls', 'primes', 'qsort', 'many-syscalls'];

interface Timing {
  workload: string;
  subject: string;
  median_ms: number;
  mean_ms: number;
  /** benchmark.js's relative margin of error of the mean (95%), in percent. */
  rme_percent: number;
  samples: number;
}

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
    spawnSync(cmd, args, { cwd: dirname(workloadPath(w)), input: w.stdin ?? '', env: { ...w.env }, stdio: ['pipe', 'ignore', 'ignore'] });
  };
}

export function benchCommand(args: ParsedArgs): number {
  const workloads = benchWorkloads(args);
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
      const t = { workload: w.name, subject: String(b.name), median_ms: 1000 * median(b.stats.sample), mean_ms: 1000 * b.stats.mean, rme_percent: b.stats.rme, samples: b.stats.sample.length };
      timings.push(t);
      writeSync(2, `dbtlab bench: ${w.name} ${b.name}: ${t.mean_ms.toFixed(2)} ms \u00b1${t.rme_percent.toFixed(1)}%, median ${t.median_ms.toFixed(2)} ms (${t.samples} samples)\n`);
    });
    suite.run({ async: false });
  }
  const cell = (t: Timing) => `${t.median_ms.toFixed(2)} \u00b1${t.rme_percent.toFixed(1)}%`;
  const rows = workloads.map((w) => {
    const t = (s: string) => timings.find((x) => x.workload === w.name && x.subject === s)!;
    return [w.name, ...['native', 'qemu-i386', 'qemu-style', 'x86tomips-style'].map((s) => cell(t(s))), (t('x86tomips-style').median_ms / t('qemu-style').median_ms).toFixed(2), (t('qemu-style').median_ms / t('qemu-i386').median_ms).toFixed(1)];
  });
  const table = formatTable(['workload', 'native ms', 'qemu-i386 ms', 'qemu-style ms', 'x86tomips-style ms', 'x86tomips/qemu-style', 'qemu-style/qemu-i386'], rows);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'bench.json'), `${JSON.stringify(timings, null, 2)}\n`);
  writeFileSync(
    join(out, 'bench.md'),
    [
      '# Wall-clock (machine-dependent)',
      '',
      'Medians of benchmark.js samples with its relative margin of error of the mean (95%), one run of `dbtlab bench`; each dbtlab run includes loading and translating.',
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
