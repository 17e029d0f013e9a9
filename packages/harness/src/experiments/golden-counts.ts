/**
 * The golden counts: for every workload in every configuration, the counts that are the
 * research output (guest-level counts, and host instructions by kind and by region). A speed
 * change must leave them all as they are; `test/oracle/record-golden-counts.ts` writes them to
 * test/oracle/golden-counts.json and `test/oracle/golden-counts.test.ts` holds every run to it.
 * Host counts change only when the generated MIPS code changes on purpose: then the golden
 * file is regenerated in a commit that says which code changed and why.
 */
import { KIND_NAMES, REGION_NAMES, type Stats } from '@dbtlab/dbt-core';
import { WORKLOADS } from '../workloads';
import { CONFIGS, configLabel, type RuntimeConfig } from './grid';
import type { RunRequest } from './run-pool';
import type { ExperimentRow } from './run-workload';

/** Guest-level counts: identical whatever the host code is. */
export const GUEST_COUNTS = [
  'guest_insns',
  'tbs_translated',
  'tb_executions',
  'code_cache_entries',
  'indirect_lookup_hits',
  'syscalls',
  'unwinds',
  'exit_status',
] as const satisfies readonly (keyof Stats)[];

export interface GoldenCounts {
  guest: Record<(typeof GUEST_COUNTS)[number], number>;
  host_insns: number;
  host_insns_by_kind: Stats['host_insns_by_kind'];
  host_insns_by_region: Stats['host_insns_by_region'];
  matches_native: boolean;
}

/** One file: configuration label -> workload -> counts. */
export type GoldenFile = Record<string, Record<string, GoldenCounts>>;

export function goldenCounts(row: ExperimentRow): GoldenCounts {
  const s = row.stats;
  if (row.error) throw new Error(`${row.workload} (${configLabel(row)}): ${row.error}`);
  return {
    guest: Object.fromEntries(GUEST_COUNTS.map((k) => [k, s[k]])) as GoldenCounts['guest'],
    host_insns: s.host_insns,
    host_insns_by_kind: Object.fromEntries(KIND_NAMES.map((k) => [k, s.host_insns_by_kind[k]])) as Stats['host_insns_by_kind'],
    host_insns_by_region: Object.fromEntries(REGION_NAMES.map((k) => [k, s.host_insns_by_region[k]])) as Stats['host_insns_by_region'],
    matches_native: row.matchesNative,
  };
}

/**
 * Every (workload, configuration) pair, or with `sampled` one configuration per workload in
 * rotation (every configuration still appears, over different workloads).
 */
export function goldenRequests(sampled: boolean): (Omit<RunRequest, 'id'> & { workload: string })[] {
  const out: (Omit<RunRequest, 'id'> & { workload: string })[] = [];
  WORKLOADS.forEach((w, i) =>
    CONFIGS.forEach((config: RuntimeConfig, j) => {
      if (!sampled || i % CONFIGS.length === j) out.push({ workload: w.name, config });
    }),
  );
  return out;
}
