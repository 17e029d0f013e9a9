/** The experiments, in report order (issue #9's list). */
import { e1FirstExecution } from './e1-first-execution';
import { e2TbsPerEntry } from './e2-tbs-per-entry';
import { e3ContextSwitch } from './e3-context-switch';
import { e4TbCounts } from './e4-tb-counts';
import { e5Smc } from './e5-smc';
import { e6AblationGrid } from './e6-ablation-grid';
import { e7CostSensitivity } from './e7-cost-sensitivity';
import type { Experiment } from './experiment';

export const EXPERIMENTS: readonly Experiment[] = [
  e1FirstExecution,
  e2TbsPerEntry,
  e3ContextSwitch,
  e4TbCounts,
  e5Smc,
  e6AblationGrid,
  e7CostSensitivity,
];

export * from './experiment';
export * from './grid';
export { runPool } from './run-pool';
export { runWorkload, type ExperimentRow } from './run-workload';
