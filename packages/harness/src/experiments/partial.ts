/**
 * Partial results of `experiment --shard I/N`: shard I runs the planned runs whose index is
 * I-1 modulo N (and the qemu-i386 counts of the workloads likewise) and writes them, with
 * the plan they belong to, to shard-I-of-N.json. `dbtlab report` puts the shards together
 * and checks that they are the N shares of one plan.
 */
import { readFileSync } from 'node:fs';
import type { Workload } from '../workloads';
import { EXPERIMENTS } from './index';
import { planRuns, type Plan } from './plan';
import type { ExperimentRow } from './run-workload';
import { DBTLAB_VERSION } from '../version';

export interface Shard {
  index: number;
  count: number;
}

export interface PartialResult {
  format: 'dbtlab-partial-1';
  dbtlab_version: string;
  shard: Shard;
  experiments: string[];
  workloads: Workload[];
  /** [index in the plan's runs, row] */
  rows: [number, ExperimentRow][];
  qemuTbs: [string, number][];
}

/** "I/N" with 1 <= I <= N, or undefined when the text is not that. */
export function parseShard(text: string): Shard | undefined {
  const m = /^([1-9][0-9]*)\/([1-9][0-9]*)$/.exec(text);
  if (!m || Number(m[1]) > Number(m[2])) return undefined;
  return { index: Number(m[1]), count: Number(m[2]) };
}

export const inShard = (i: number, s: Shard | undefined): boolean => !s || i % s.count === s.index - 1;

export const partialFileName = (s: Shard): string => `shard-${s.index}-of-${s.count}.json`;

export class MergeError extends Error {}

/** The plan and every row, from the N partial files of one plan. */
export function mergePartials(files: readonly string[]): { plan: Plan; rows: ExperimentRow[]; qemuTbs: Map<string, number> } {
  const parts = files.map((f) => {
    const p = JSON.parse(readFileSync(f, 'utf8')) as PartialResult;
    if (p.format !== 'dbtlab-partial-1') throw new MergeError(`${f}: not a dbtlab partial result`);
    return p;
  });
  const first = parts[0];
  const sameplan = (p: PartialResult) =>
    p.shard.count === first.shard.count && JSON.stringify([p.experiments, p.workloads, p.dbtlab_version]) === JSON.stringify([first.experiments, first.workloads, first.dbtlab_version]);
  const bad = parts.findIndex((p) => !sameplan(p));
  if (bad >= 0) throw new MergeError(`${files[bad]}: a shard of another plan than ${files[0]} (experiments, workloads, shard count or dbtlab version differ)`);
  const have = new Set(parts.map((p) => p.shard.index));
  const missing = Array.from({ length: first.shard.count }, (_, i) => i + 1).filter((i) => !have.has(i));
  if (missing.length) throw new MergeError(`missing shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${first.shard.count}`).join(', ')}`);
  if (have.size !== parts.length) throw new MergeError('a shard is given twice');
  const plan = planRuns(
    first.experiments.map((n) => EXPERIMENTS.find((e) => e.name === n)!),
    first.workloads,
  );
  const rows: ExperimentRow[] = new Array(plan.runs.length);
  for (const p of parts) for (const [i, r] of p.rows) rows[i] = r;
  const absent = plan.runs.findIndex((_, i) => rows[i] === undefined);
  if (absent >= 0) throw new MergeError(`run ${absent} (${plan.runs[absent].workload.name} ${plan.runs[absent].config.runtime} ${plan.runs[absent].config.config}) is in no shard`);
  return { plan, rows, qemuTbs: new Map(parts.flatMap((p) => p.qemuTbs).sort((a, b) => plan.workloads.findIndex((w) => w.name === a[0]) - plan.workloads.findIndex((w) => w.name === b[0]))) };
}

export function partialResult(plan: Plan, shard: Shard, rows: [number, ExperimentRow][], qemuTbs: Map<string, number>): PartialResult {
  return {
    format: 'dbtlab-partial-1',
    dbtlab_version: DBTLAB_VERSION,
    shard,
    experiments: plan.chosen.map((e) => e.name),
    workloads: [...plan.workloads],
    rows,
    qemuTbs: [...qemuTbs],
  };
}
