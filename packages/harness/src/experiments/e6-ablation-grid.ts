/**
 * E6: the ablation grid {system call inside the TB, leaves to the loop} x {chaining on, off}:
 * which of the two choices causes the difference the talk attributes to QEMU's design.
 */
import { metricBarsChart } from '../charts';
import type { Experiment } from './experiment';
import { ALL_CONFIGS, fmt, ratio, sum } from './experiment';
import { CONFIGS, configLabel } from './grid';

export const e6AblationGrid: Experiment = {
  name: 'e6-ablation-grid',
  title: 'Ablation grid: where the system call runs x chaining',
  needs: { configs: ALL_CONFIGS },
  analyze({ rows }) {
    const cell = (c: (typeof CONFIGS)[number]) => rows.filter((r) => r.runtime === c.runtime && r.config === c.config);
    const total = (c: (typeof CONFIGS)[number], m: 'modeled_cycles' | 'host_insns' | 'code_cache_entries') =>
      sum(cell(c).map((r) => r.stats[m]));
    const base = CONFIGS[0];
    const records = CONFIGS.map((c) => ({
      runtime: c.runtime,
      config: c.config,
      syscall: c.syscall,
      chaining: c.chaining,
      modeled_cycles: total(c, 'modeled_cycles'),
      host_insns: total(c, 'host_insns'),
      code_cache_entries: total(c, 'code_cache_entries'),
      modeled_cycles_vs_qemu: ratio(total(c, 'modeled_cycles'), total(base, 'modeled_cycles')),
    }));
    const get = (s: string, ch: boolean) => records.find((r) => r.syscall === s && r.chaining === ch)!;
    const chainEffect = ratio(get('inside-tb', false).modeled_cycles, get('inside-tb', true).modeled_cycles);
    const syscallEffect = ratio(get('inside-tb', true).modeled_cycles, get('leaves-to-loop', true).modeled_cycles);
    return {
      name: this.name,
      title: this.title,
      columns: Object.keys(records[0]),
      records,
      charts: { cycles: metricBarsChart(rows, 'modeled_cycles') },
      findings: [
        {
          claim: 'QEMU is better: the difference comes from chaining (one TB per entry costs), not from where the system call runs',
          measured:
            `modeled cycles over all workloads relative to qemu-style: ${records.map((r) => `${configLabel(r)} ${fmt(r.modeled_cycles_vs_qemu)}`).join('; ')}. ` +
            `Chaining alone changes x86tomips-style by x${fmt(chainEffect)}; moving the system call out of the TB (both chained) by x${fmt(syscallEffect)}`,
          holds: chainEffect > 1,
        },
      ],
    };
  },
};
