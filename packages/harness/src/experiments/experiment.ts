/** What an experiment is: rows in, a CSV, charts and the claims it checks out. */
import type { VegaLiteSpec } from '../render-svg';
import type { Workload } from '../workloads';
import type { RuntimeConfig } from './grid';
import type { ExperimentRow } from './run-workload';

export type Cell = string | number | boolean;

/** One claim of TALK.md's table, as measured here. */
export interface Finding {
  claim: string;
  measured: string;
  holds: boolean;
}

export interface ExperimentResult {
  /** File stem: reports/<name>.csv, reports/<name>-<chart>.svg */
  name: string;
  title: string;
  columns: string[];
  records: Record<string, Cell>[];
  charts: Record<string, VegaLiteSpec>;
  findings: Finding[];
}

export interface ExperimentInput {
  /** Every workload in every configuration of grid.ts. */
  rows: ExperimentRow[];
  /** Traced first executions (e1). */
  traced: ExperimentRow[];
  workloads: readonly Workload[];
  /** "IN:" blocks of qemu-i386 -d in_asm per workload (e4). */
  qemuTbs: Map<string, number>;
}

/** The runs an experiment reads: `experiment e2 e5` runs the union of its choices' needs. */
export interface ExperimentNeeds {
  /** The configurations of the grid it reads (every workload in each). */
  configs: (c: RuntimeConfig) => boolean;
  /** Only these workloads (default: all). */
  workloads?: (w: Workload) => boolean;
  /** The traced first executions (e1). */
  traced?: boolean;
  /** qemu-i386's TB counts (e4). */
  qemuTbs?: boolean;
}

export const DEFAULT_CONFIGS = (c: RuntimeConfig): boolean => c.config === 'default';
/** Every configuration of the ablation grid (grid.ts CONFIGS). */
export const ALL_CONFIGS = (c: RuntimeConfig): boolean => c.vdso !== false;

export interface Experiment {
  name: string;
  title: string;
  needs: ExperimentNeeds;
  analyze(input: ExperimentInput): ExperimentResult;
}

export const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
export const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
export const fmt = (x: number, digits = 2): string => (Number.isInteger(x) ? String(x) : x.toFixed(digits));
