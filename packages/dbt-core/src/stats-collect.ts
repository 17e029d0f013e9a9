/** Completes a run's Stats from the machine's exact counters and the cost model. */
import { KIND, REGION } from '@dbtlab/mips-host';
import { modeledCycles } from './cost-model';
import type { Dbt } from './dbt';
import { KIND_NAMES, REGION_NAMES, type Stats } from './stats';

export function collectStats(dbt: Dbt, wallMs: number): Stats {
  const s = dbt.stats;
  const c = dbt.machine.counters;
  s.host_insns = c.insns;
  s.guest_insns = c.guestInsns;
  s.tb_executions = c.tbStarts;
  s.helper_calls = c.helperCalls;
  const h = s.tbs_per_entry as Record<number, number>;
  dbt.entriesByTbs.forEach((n, tbs) => {
    if (n > 0) h[tbs] = n;
  });
  for (const k of KIND_NAMES) s.host_insns_by_kind[k] = c.byKind[KIND[k]];
  for (const r of REGION_NAMES) s.host_insns_by_region[r] = c.byRegion[REGION[r]];
  const reg = s.host_insns_by_region;
  s.context_switch_host_insns = reg.prologue + reg.epilogue + reg.context_save + reg.context_restore;
  s.wall_ms = wallMs;
  s.modeled_cycles = modeledCycles(s);
  return s;
}
