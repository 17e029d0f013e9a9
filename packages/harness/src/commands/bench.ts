/**
 * dbtlab bench: wall-clock, side by side in one run, of each runtime on each workload,
 * native execution and real qemu-i386 (benchmark.js: repeated samples, medians, ratios).
 * Machine-dependent by nature: written to reports/bench.md and bench.json, never asserted.
 */
import Benchmark from 'benchmark';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ParsedArgs } from '../cli/parse-args';
import { findConfig, runWorkload } from '../experiments';
import { getWorkload, workloadPath } from '../workloads';
import { formatTable } from './compare';

const DEFAULT_WORKLOADS = ['loop', 'calls', 'syscalls', 'primes', 'qsort', 'many-syscalls'];

interface Timing {
  workload: string;
  subject: string;
  median_ms: number;
  samples: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

function spawnTimed(cmd: string, args: string[], name: string): () => void {
  const w = getWorkload(name);
  return () => {
    spawnSync(cmd, args, { cwd: dirname(workloadPath(name)), input: w.stdin ?? '', env: {}, stdio: ['pipe', 'ignore', 'ignore'] });
  };
}

export function benchCommand(args: ParsedArgs): number {
  const names = args.positionals.length ? args.positionals : DEFAULT_WORKLOADS;
  const out = resolve(String(args.options.out ?? 'reports'));
  const timings: Timing[] = [];
  for (const name of names) {
    const w = getWorkload(name);
    const subjects: [string, () => void][] = [
      ['native', spawnTimed(`./${name}`, [...w.args], name)],
      ['qemu-i386', spawnTimed('qemu-i386', [`./${name}`, ...w.args], name)],
      ['qemu-style', () => void runWorkload(name, findConfig('qemu-style'))],
      ['x86tomips-style', () => void runWorkload(name, findConfig('x86tomips-style'))],
    ];
    const suite = new Benchmark.Suite(name);
    for (const [subject, fn] of subjects) suite.add(subject, fn, { minSamples: 5, maxTime: 2, initCount: 1 });
    suite.on('cycle', (e: Benchmark.Event) => {
      const b = e.target as unknown as Benchmark;
      timings.push({ workload: name, subject: String(b.name), median_ms: 1000 * median(b.stats.sample), samples: b.stats.sample.length });
      writeSync(2, `dbtlab bench: ${name} ${b.name}: median ${(1000 * median(b.stats.sample)).toFixed(2)} ms (${b.stats.sample.length} samples)\n`);
    });
    suite.run({ async: false });
  }
  const rows = names.map((name) => {
    const t = (s: string) => timings.find((x) => x.workload === name && x.subject === s)!.median_ms;
    return [name, ...['native', 'qemu-i386', 'qemu-style', 'x86tomips-style'].map((s) => t(s).toFixed(2)), (t('x86tomips-style') / t('qemu-style')).toFixed(2), (t('qemu-style') / t('qemu-i386')).toFixed(1)];
  });
  const table = formatTable(['workload', 'native ms', 'qemu-i386 ms', 'qemu-style ms', 'x86tomips-style ms', 'x86tomips/qemu-style', 'qemu-style/qemu-i386'], rows);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'bench.json'), `${JSON.stringify(timings, null, 2)}\n`);
  writeFileSync(
    join(out, 'bench.md'),
    ['# Wall-clock (machine-dependent)', '', 'Medians of benchmark.js samples, one run of `dbtlab bench`; each dbtlab run includes loading and translating.', '', '```', table, '```', ''].join('\n'),
  );
  writeSync(1, `${table}\n`);
  return 0;
}
