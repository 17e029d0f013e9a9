/**
 * From chosen experiments and workloads to the runs they need (in a fixed order: workload,
 * then configuration, then the traced runs), and back from the rows to each experiment's
 * input, holding exactly what it declared: so `experiment e2` writes the same e2 files as a
 * run of all seven.
 */
import type { Workload } from '../workloads';
import type { Experiment, ExperimentInput } from './experiment';
import { findConfig, RUN_CONFIGS, type RuntimeConfig } from './grid';
import type { ExperimentRow } from './run-workload';

export interface PlannedRun {
  workload: Workload;
  config: RuntimeConfig;
  trace?: boolean;
}

export interface Plan {
  /** The experiments asked for. */
  chosen: readonly Experiment[];
  /** Those of them that run: an experiment none of the workloads is for (e5 without SMC programs) does not. */
  experiments: readonly Experiment[];
  workloads: readonly Workload[];
  runs: PlannedRun[];
  /** Workloads whose qemu-i386 TB count is measured. */
  qemuWorkloads: Workload[];
}

const wanted = (e: Experiment, w: Workload, c: RuntimeConfig) => e.needs.configs(c) && (e.needs.workloads?.(w) ?? true);

/** The first-execution traces (e1): a small program with system calls, in both schemes. */
function tracedWorkload(workloads: readonly Workload[]): Workload {
  return workloads.find((w) => w.name === 'syscalls') ?? workloads.find((w) => w.category === 'syscall') ?? workloads[0];
}

export function planRuns(chosen: readonly Experiment[], workloads: readonly Workload[]): Plan {
  const experiments = chosen.filter((e) => !e.needs.workloads || workloads.some(e.needs.workloads));
  const runs: PlannedRun[] = [];
  for (const w of workloads) for (const c of RUN_CONFIGS) if (experiments.some((e) => wanted(e, w, c))) runs.push({ workload: w, config: c });
  if (experiments.some((e) => e.needs.traced))
    for (const rt of ['qemu-style', 'x86tomips-style']) runs.push({ workload: tracedWorkload(workloads), config: findConfig(rt), trace: true });
  const qemuWorkloads = experiments.some((e) => e.needs.qemuTbs) ? [...workloads] : [];
  return { chosen, experiments, workloads, runs, qemuWorkloads };
}

/** One experiment's input: only the rows it declared it reads. */
export function experimentInput(e: Experiment, plan: Plan, rows: readonly ExperimentRow[], qemuTbs: Map<string, number>): ExperimentInput {
  const byName = new Map(plan.workloads.map((w) => [w.name, w]));
  const mine = (trace: boolean) =>
    plan.runs
      .map((p, i) => [p, rows[i]] as const)
      .filter(([p]) => !!p.trace === trace && (trace ? !!e.needs.traced : wanted(e, byName.get(p.workload.name)!, p.config)))
      .map(([, r]) => r);
  return { rows: mine(false), traced: mine(true), workloads: plan.workloads, qemuTbs: e.needs.qemuTbs ? qemuTbs : new Map() };
}
