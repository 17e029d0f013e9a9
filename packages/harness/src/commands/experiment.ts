/**
 * dbtlab experiment [name...]: the workloads through the configurations the chosen
 * experiments need (plan.ts), on worker threads, results cached (result-cache.ts); then each
 * experiment's CSV, charts and the report (report-files.ts), or with --shard a partial
 * result for `dbtlab report`. Re-running gives byte-identical files.
 */
import { mkdirSync, writeFileSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SingleBar } from 'cli-progress';
import { sysrootOption } from '../cli/guest-options';
import { listOption, stringOption, UsageError, type ParsedArgs } from '../cli/parse-args';
import { EXPERIMENTS, runPool, type ExperimentRow } from '../experiments';
import { inShard, parseShard, partialFileName, partialResult } from '../experiments/partial';
import { planRuns } from '../experiments/plan';
import { qemuTbCount } from '../experiments/qemu-tb-count';
import { ResultCache } from '../experiments/result-cache';
import { isManifestPath, loadManifest, ManifestError, programWorkload } from '../manifest';
import { writeReport } from '../report-files';
import { WORKLOADS, type Workload } from '../workloads';

/** The workloads of --workloads FILE (a manifest or a program), narrowed by --workload NAME. */
export function chosenWorkloads(args: ParsedArgs): Workload[] {
  const file = stringOption(args, 'workloads');
  let all: Workload[];
  try {
    all = file === undefined ? [...WORKLOADS] : isManifestPath(file) ? loadManifest(file) : [programWorkload(file)];
  } catch (e) {
    if (e instanceof ManifestError) throw new UsageError(e.message, args.command);
    throw e;
  }
  const names = listOption(args, 'workload');
  const unknown = names.filter((n) => !all.some((w) => w.name === n));
  if (unknown.length) throw new UsageError(`--workload: no workload named ${unknown.join(', ')} (${all.map((w) => w.name).join(', ')})`, args.command);
  return names.length ? all.filter((w) => names.includes(w.name)) : all;
}

export async function experimentCommand(args: ParsedArgs): Promise<number> {
  const unknown = args.positionals.filter((p) => !EXPERIMENTS.some((e) => e.name === p || e.name.slice(0, 2) === p));
  if (unknown.length) throw new UsageError(`no experiment named ${unknown.join(', ')} (${EXPERIMENTS.map((e) => e.name).join(', ')})`, 'experiment');
  const chosen = args.positionals.length ? EXPERIMENTS.filter((e) => args.positionals.includes(e.name) || args.positionals.includes(e.name.slice(0, 2))) : EXPERIMENTS;
  const shardText = stringOption(args, 'shard');
  const shard = shardText === undefined ? undefined : parseShard(shardText);
  if (shardText !== undefined && !shard) throw new UsageError(`--shard: expected I/N with 1 <= I <= N, got '${shardText}'`, 'experiment');
  const plan = planRuns(chosen, chosenWorkloads(args));
  const out = resolve(String(args.options.out));
  mkdirSync(out, { recursive: true });
  const sysroot = sysrootOption(args);
  const cache = args.options['no-cache'] ? undefined : new ResultCache(resolve(stringOption(args, 'cache') ?? join(out, '.cache')));

  const mine = plan.runs.map((run, i) => ({ run, i })).filter(({ i }) => inShard(i, shard));
  const rows: ExperimentRow[] = new Array(plan.runs.length);
  const keys = new Map<number, string>();
  for (const { run, i } of mine) {
    if (!cache) continue;
    const key = cache.key(run, sysroot);
    keys.set(i, key);
    const hit = cache.get(key);
    if (hit) rows[i] = hit;
  }
  const todo = mine.filter(({ i }) => rows[i] === undefined);
  const bar = process.stderr.isTTY ? new SingleBar({ format: 'dbtlab experiment [{bar}] {value}/{total} {workload}', hideCursor: true }) : undefined;
  bar?.start(todo.length, 0, { workload: '' });
  const ran = await runPool(
    todo.map(({ run }) => ({ workload: run.workload, config: run.config, trace: run.trace, sysroot })),
    (done, total, row) => {
      if (bar) bar.update(done, { workload: `${row.workload} ${row.runtime} ${row.config}` });
      else if (done % 20 === 0 || done === total) writeSync(2, `dbtlab experiment: ${done}/${total} runs\n`);
    },
  );
  bar?.stop();
  todo.forEach(({ i }, k) => {
    rows[i] = ran[k];
    if (cache) cache.put(keys.get(i)!, ran[k]);
  });

  const qemuTbs = new Map<string, number>();
  plan.qemuWorkloads.forEach((w, i) => {
    if (!inShard(i, shard)) return;
    const n = qemuTbCount(w, sysroot);
    if (n !== undefined) qemuTbs.set(w.name, n);
  });
  const done = mine.map(({ i }) => rows[i]);
  const unexpected = done.filter((r) => r.error || r.matchesNative !== r.expectedToMatch);
  for (const r of unexpected) writeSync(2, `dbtlab experiment: UNEXPECTED ${r.workload} ${r.runtime} ${r.config}: ${r.error ?? (r.matchesNative ? 'matches native' : 'differs from native')}\n`);
  const cached = mine.length - todo.length;
  if (shard) {
    const file = join(out, partialFileName(shard));
    writeFileSync(file, `${JSON.stringify(partialResult(plan, shard, mine.map(({ i }) => [i, rows[i]]), qemuTbs))}\n`);
    writeSync(2, `dbtlab experiment: shard ${shard.index}/${shard.count}: ${mine.length} runs (${cached} cached), ${unexpected.length} unexpected; wrote ${file}\n`);
    return unexpected.length ? 1 : 0;
  }
  const results = await writeReport(out, plan, rows, qemuTbs);
  const failed = results.flatMap((r) => r.findings.filter((f) => !f.holds));
  writeSync(2, `dbtlab experiment: ${rows.length} runs (${cached} cached), ${unexpected.length} unexpected, ${failed.length} claims not holding; wrote ${out}\n`);
  return unexpected.length ? 1 : 0;
}
