/**
 * E5: self-modifying code. Per runtime and SMC workload: is the output native's, how many
 * store faults and invalidations, how many TBs ran on after their code was rewritten.
 */
import { smcInvalidationsChart } from '../charts';
import type { Experiment } from './experiment';
import { ALL_CONFIGS } from './experiment';
import { configLabel } from './grid';

export const e5Smc: Experiment = {
  name: 'e5-smc',
  title: 'Self-modifying code: who stays correct',
  needs: { configs: ALL_CONFIGS, workloads: (w) => w.category === 'smc' },
  analyze({ rows, workloads }) {
    const smc = new Set(workloads.filter((w) => w.category === 'smc').map((w) => w.name));
    const rs = rows.filter((r) => smc.has(r.workload));
    const records = rs.map((r) => ({
      workload: r.workload,
      runtime: r.runtime,
      config: r.config,
      matches_native: r.matchesNative,
      smc_faults: r.stats.smc_faults,
      tb_invalidations: r.stats.tb_invalidations,
      stale_tb_executions: r.stats.stale_tb_executions,
    }));
    const wrong = (pred: (r: (typeof rs)[number]) => boolean) =>
      rs.filter((r) => pred(r) && !r.matchesNative).map((r) => `${r.workload} (${configLabel(r)})`);
    const outside = wrong((r) => r.runtime === 'qemu-style' || r.config === 'syscall-ends-tb');
    const inside = wrong((r) => r.runtime === 'x86tomips-style' && r.config !== 'syscall-ends-tb');
    const stale = rs.filter((r) => r.stats.stale_tb_executions > 0).map((r) => `${r.workload} (${configLabel(r)})`);
    return {
      name: this.name,
      title: this.title,
      columns: Object.keys(records[0] ?? {}),
      records,
      charts: { invalidations: smcInvalidationsChart(rs) },
      findings: [
        {
          claim: 'Running the system call outside the TB keeps self-modifying code correct',
          measured: outside.length ? `differs from native: ${outside.join(', ')}` : `every SMC workload matches native (${rs.filter((r) => r.runtime === 'qemu-style').length} qemu-style runs)`,
          holds: outside.length === 0,
        },
        {
          claim: 'A system call that rewrites code of the running TB leaves X86toMips executing stale code',
          measured: `differs from native: ${inside.join(', ') || 'none'}; stale TB executions in ${stale.join(', ') || 'none'}`,
          holds: inside.length > 0 && stale.length > 0,
        },
      ],
    };
  },
};
