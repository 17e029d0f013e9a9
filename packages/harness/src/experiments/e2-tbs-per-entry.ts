/** E2: TBs per code-cache entry (distribution) and code-cache entries per guest instruction. */
import { tbsPerEntryChart } from '../charts';
import type { Experiment } from './experiment';
import { DEFAULT_CONFIGS, fmt, ratio, sum } from './experiment';

export const e2TbsPerEntry: Experiment = {
  name: 'e2-tbs-per-entry',
  title: 'One TB per entry (X86toMips) against many (QEMU)',
  needs: { configs: DEFAULT_CONFIGS },
  analyze({ rows }) {
    const records = rows.flatMap((r) =>
      Object.entries(r.stats.tbs_per_entry)
        .map(([tbs, entries]) => ({ workload: r.workload, runtime: r.runtime, config: r.config, tbs_in_entry: Number(tbs), entries }))
        .sort((a, b) => a.tbs_in_entry - b.tbs_in_entry),
    );
    const of = (runtime: string, config = 'default') => rows.filter((r) => r.runtime === runtime && r.config === config);
    const x = of('x86tomips-style');
    const q = of('qemu-style');
    const xOne = x.every((r) => r.stats.code_cache_entries === r.stats.tb_executions);
    const qPer = ratio(sum(q.map((r) => r.stats.tb_executions)), sum(q.map((r) => r.stats.code_cache_entries)));
    const entriesPerInsn = (rs: typeof rows) => ratio(sum(rs.map((r) => r.stats.code_cache_entries)), sum(rs.map((r) => r.stats.guest_insns)));
    return {
      name: this.name,
      title: this.title,
      columns: ['workload', 'runtime', 'config', 'tbs_in_entry', 'entries'],
      records,
      charts: { distribution: tbsPerEntryChart(rows) },
      findings: [
        {
          claim: 'X86toMips executes one TB per entry into translated code',
          measured: `x86tomips-style: code_cache_entries = tb_executions on ${x.filter((r) => r.stats.code_cache_entries === r.stats.tb_executions).length}/${x.length} workloads; ${fmt(entriesPerInsn(x), 4)} entries per guest instruction`,
          holds: xOne,
        },
        {
          claim: 'QEMU executes many TBs per entry (chained)',
          measured: `qemu-style: ${fmt(qPer)} TBs per entry over all workloads; ${fmt(entriesPerInsn(q), 5)} entries per guest instruction`,
          holds: qPer > 2,
        },
      ],
    };
  },
};
