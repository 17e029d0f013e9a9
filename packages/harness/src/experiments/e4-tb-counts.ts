/**
 * E4: does the system call end the TB? TB counts and sizes in both runtimes on the same
 * programs, qemu-style's held against real qemu-i386's "IN:" count, and the expansion ratio
 * (host instructions executed per guest instruction).
 */
import { groupedMetricsChart } from '../charts';
import type { Experiment } from './experiment';
import { fmt, ratio, sum } from './experiment';

export const e4TbCounts: Experiment = {
  name: 'e4-tb-counts',
  title: 'TB counts and sizes; qemu-style against qemu-i386',
  needs: { configs: (c) => c.config === 'default' || c.config === 'syscall-ends-tb', qemuTbs: true },
  analyze({ rows, qemuTbs, workloads }) {
    const category = new Map(workloads.map((w) => [w.name, w.category]));
    const records = rows.map((r) => ({
      workload: r.workload,
      runtime: r.runtime,
      config: r.config,
      tbs_translated: r.stats.tbs_translated,
      mean_tb_guest_insns: ratio(r.stats.translate_guest_insns, r.stats.tbs_translated),
      tb_executions: r.stats.tb_executions,
      expansion_ratio: ratio(r.stats.host_insns, r.stats.guest_insns),
      qemu_i386_tbs: qemuTbs.get(r.workload) ?? '',
    }));
    const def = (runtime: string) => rows.filter((r) => r.runtime === runtime && r.config === 'default');
    const sys = (runtime: string) => def(runtime).filter((r) => category.get(r.workload) === 'syscall');
    const tbs = (rs: typeof rows) => sum(rs.map((r) => r.stats.tbs_translated));
    const q = def('qemu-style');
    const worst = Math.max(
      ...q.filter((r) => qemuTbs.has(r.workload)).map((r) => Math.abs(r.stats.tbs_translated / qemuTbs.get(r.workload)! - 1)),
    );
    return {
      name: this.name,
      title: this.title,
      columns: ['workload', 'runtime', 'config', 'tbs_translated', 'mean_tb_guest_insns', 'tb_executions', 'expansion_ratio', 'qemu_i386_tbs'],
      records,
      charts: { tbs: groupedMetricsChart(rows, ['tbs_translated', 'tb_executions'], 'TBs translated and executed') },
      findings: [
        {
          claim: 'In QEMU a system call ends the TB; in X86toMips it does not',
          measured: `syscall-heavy workloads: qemu-style ${tbs(sys('qemu-style'))} TBs translated, x86tomips-style ${tbs(sys('x86tomips-style'))}`,
          holds: tbs(sys('qemu-style')) > tbs(sys('x86tomips-style')),
        },
        {
          claim: "qemu-style's TBs are QEMU's TBs",
          measured: `tbs_translated within ${fmt(100 * worst, 1)}% of qemu-i386 -d in_asm on every workload`,
          holds: worst <= 0.1,
        },
      ],
    };
  },
};
