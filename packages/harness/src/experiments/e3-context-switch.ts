/**
 * E3: context-switch overhead: host instructions spent saving and restoring the guest
 * context and in the code cache's prologue/epilogue, per TB, per system call and as a share
 * of all host instructions; syscall-heavy against compute workloads.
 */
import { contextSwitchChart } from '../charts';
import type { Experiment } from './experiment';
import { DEFAULT_CONFIGS, fmt, ratio, sum } from './experiment';

export const e3ContextSwitch: Experiment = {
  name: 'e3-context-switch',
  title: 'Context-switch overhead per TB, per system call, and as a share',
  needs: { configs: DEFAULT_CONFIGS },
  analyze({ rows, workloads }) {
    const category = new Map(workloads.map((w) => [w.name, w.category]));
    const records = rows.map((r) => {
      const s = r.stats;
      return {
        workload: r.workload,
        category: category.get(r.workload) ?? '',
        runtime: r.runtime,
        config: r.config,
        context_switch_host_insns: s.context_switch_host_insns,
        host_insns: s.host_insns,
        share: ratio(s.context_switch_host_insns, s.host_insns),
        per_tb: ratio(s.context_switch_host_insns, s.tb_executions),
        per_syscall: ratio(s.context_switch_host_insns, s.syscalls),
        modeled_cycles: s.modeled_cycles,
      };
    });
    const share = (runtime: string, cat?: string) => {
      const rs = rows.filter((r) => r.runtime === runtime && r.config === 'default' && (!cat || category.get(r.workload) === cat));
      return ratio(sum(rs.map((r) => r.stats.context_switch_host_insns)), sum(rs.map((r) => r.stats.host_insns)));
    };
    const pct = (x: number) => `${fmt(100 * x, 1)}%`;
    const [q, x] = [share('qemu-style'), share('x86tomips-style')];
    return {
      name: this.name,
      title: this.title,
      columns: Object.keys(records[0] ?? {}),
      records,
      charts: { regions: contextSwitchChart(rows) },
      findings: [
        {
          claim: 'X86toMips pays a context switch per TB; QEMU is better here',
          measured:
            `context switch share of host instructions: x86tomips-style ${pct(x)} (compute ${pct(share('x86tomips-style', 'compute'))}, ` +
            `syscall-heavy ${pct(share('x86tomips-style', 'syscall'))}), qemu-style ${pct(q)} (compute ${pct(share('qemu-style', 'compute'))}, ` +
            `syscall-heavy ${pct(share('qemu-style', 'syscall'))})`,
          holds: x > q,
        },
      ],
    };
  },
};
