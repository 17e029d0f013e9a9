/** What an experiment is: rows in, a CSV, charts and the claims it checks out. */
import type { VegaLiteSpec } from '../render-svg';
import type { Workload } from '../workloads';
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

export interface Experiment {
  name: string;
  title: string;
  analyze(input: ExperimentInput): ExperimentResult;
}

export const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
export const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
export const fmt = (x: number, digits = 2): string => (Number.isInteger(x) ? String(x) : x.toFixed(digits));
