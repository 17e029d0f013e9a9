/**
 * The one metric vocabulary (ARCHITECTURE.md, Metrics): the stats JSON, CSV columns, CLI
 * tables and chart fields all use these snake_case keys.
 */
export const KIND_NAMES = ['alu', 'load', 'store', 'branch', 'muldiv', 'helper'] as const;
export const REGION_NAMES = [
  'tb_body',
  'prologue',
  'epilogue',
  'context_save',
  'context_restore',
  'exit_stub',
  'chain',
] as const;
export type KindName = (typeof KIND_NAMES)[number];
export type RegionName = (typeof REGION_NAMES)[number];

export interface Stats {
  runtime: string;
  guest_insns: number;
  host_insns: number;
  host_insns_by_kind: Record<KindName, number>;
  host_insns_by_region: Record<RegionName, number>;
  tbs_translated: number;
  tb_executions: number;
  code_cache_entries: number;
  /** histogram: number of TBs executed per code-cache entry -> how many entries */
  tbs_per_entry: Record<string, number>;
  chain_patches: number;
  indirect_lookup_hits: number;
  indirect_lookup_misses: number;
  context_saves: number;
  context_restores: number;
  context_switch_host_insns: number;
  syscalls: number;
  helper_calls: number;
  unwinds: number;
  smc_faults: number;
  tb_invalidations: number;
  stale_tb_executions: number;
  translate_guest_insns: number;
  modeled_cycles: number;
  wall_ms: number;
  exit_status: number;
  guest_switches: number;
  syscall_switch_unwinds: number;
  forks: number;
  tbs_inherited: number;
  execs: number;
  tbs_dropped_by_exec: number;
}

/**
 * What processes and threads add (the stats JSON, not the experiments' CSV columns):
 *   guest_switches          the scheduler moved the host to another guest thread
 *   syscall_switch_unwinds  an inline system call (X86toMips) blocked or yielded, so the rest
 *                           of its TB was abandoned and the thread resumed in a new TB
 *   forks                   fork/vfork/clone of a process (not threads)
 *   tbs_inherited           TBs a forked child received with the parent's code cache
 *   execs                   successful execve
 *   tbs_dropped_by_exec     TBs the old image had when execve dropped the code cache
 */
export const PROCESS_METRICS = ['guest_switches', 'syscall_switch_unwinds', 'forks', 'tbs_inherited', 'execs', 'tbs_dropped_by_exec'] as const;
export type ProcessMetric = (typeof PROCESS_METRICS)[number];

/** Scalar metrics in table/CSV order. */
export const SCALAR_METRICS = [
  'guest_insns',
  'host_insns',
  'tbs_translated',
  'tb_executions',
  'code_cache_entries',
  'chain_patches',
  'indirect_lookup_hits',
  'indirect_lookup_misses',
  'context_saves',
  'context_restores',
  'context_switch_host_insns',
  'syscalls',
  'helper_calls',
  'unwinds',
  'smc_faults',
  'tb_invalidations',
  'stale_tb_executions',
  'translate_guest_insns',
  'modeled_cycles',
  'wall_ms',
] as const satisfies readonly (keyof Stats)[];
export type ScalarMetric = (typeof SCALAR_METRICS)[number];

export function emptyStats(runtime: string): Stats {
  const zeros = <K extends string>(names: readonly K[]) =>
    Object.fromEntries(names.map((n) => [n, 0])) as Record<K, number>;
  return {
    runtime,
    ...zeros(SCALAR_METRICS),
    ...zeros(PROCESS_METRICS),
    host_insns_by_kind: zeros(KIND_NAMES),
    host_insns_by_region: zeros(REGION_NAMES),
    tbs_per_entry: {},
    exit_status: 0,
  };
}
