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
    // "one TB per entry" is about chaining: no entry runs a second TB. An entry can run none:
    // it leaves at the interrupt check where its TB starts (QEMU's exit_request in the TB
    // prologue), when a time slice ends or a signal is pending with several guests running.
    const most = (r: (typeof rows)[number]) => Math.max(0, ...Object.keys(r.stats.tbs_per_entry).map(Number));
    const xOne = x.every((r) => most(r) <= 1);
    const noTb = x.filter((r) => (r.stats.tbs_per_entry['0'] ?? 0) > 0).map((r) => `${r.workload} ${r.stats.tbs_per_entry['0']}`);
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
          measured:
            `x86tomips-style: no entry ran more than one TB on ${x.filter((r) => most(r) <= 1).length}/${x.length} workloads; ${fmt(entriesPerInsn(x), 4)} entries per guest instruction` +
            (noTb.length ? `; entries that left at their TB's interrupt check before it ran (a time slice ending or a signal pending): ${noTb.join(', ')}` : ''),
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
