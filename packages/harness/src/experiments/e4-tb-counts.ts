/**
 * E4: does the system call end the TB? TB counts and sizes in both runtimes on the same
 * programs, qemu-style's held against real qemu-i386's "IN:" count, and the expansion ratio
 * (host instructions executed per guest instruction). The comparison with QEMU runs qemu-style on
 * the guest QEMU 7.2 sets up (no vDSO, grid.ts AS_QEMU_I386): with the vDSO Linux gives, the C
 * library's start-up registers it and translates TBs that qemu-i386 never sees.
 */
import { dotChart, seriesLabel } from '../charts';
import type { Experiment } from './experiment';
import { fmt, ratio, sum } from './experiment';
import { AS_QEMU_I386 } from './grid';

export const e4TbCounts: Experiment = {
  name: 'e4-tb-counts',
  title: 'TB counts and sizes; qemu-style against qemu-i386',
  needs: { configs: (c) => c.config === 'default' || c.config === 'syscall-ends-tb' || c === AS_QEMU_I386, qemuTbs: true },
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
    const asQemu = rows.filter((r) => r.runtime === AS_QEMU_I386.runtime && r.config === AS_QEMU_I386.config);
    // per syscall-heavy workload: does qemu-style translate more TBs than x86tomips-style?
    const xs = sys('x86tomips-style');
    const margins = sys('qemu-style').map((r) => {
      const x = xs.find((y) => y.workload === r.workload)!;
      return { workload: r.workload, q: r.stats.tbs_translated, x: x.stats.tbs_translated, syscalls: r.stats.syscalls };
    });
    const notMore = margins.filter((m) => m.q <= m.x);
    const totalQ = tbs(sys('qemu-style'));
    const totalX = tbs(xs);
    const relative = ratio(totalQ - totalX, totalX);
    // a system call splits a TB only where code goes on after it inside the same block: few extra TBs
    const weak = relative < 0.05;
    const order = [...new Set(rows.map((r) => r.workload))];
    const series = [...new Set(rows.map(seriesLabel))];
    const dots = [
      ...rows.map((r) => ({ label: r.workload, series: seriesLabel(r), value: r.stats.tbs_translated })),
      ...[...qemuTbs].map(([w, n]) => ({ label: w, series: 'qemu-i386', value: n })),
    ];
    const deviation = (r: (typeof rows)[number]) => Math.abs(r.stats.tbs_translated / qemuTbs.get(r.workload)! - 1);
    const held = asQemu.filter((r) => qemuTbs.has(r.workload));
    // what the vDSO adds to qemu-style's own runs (default against no-vdso)
    const vdsoTbs = sum(def('qemu-style').map((r) => r.stats.tbs_translated)) - sum(asQemu.map((r) => r.stats.tbs_translated));
    const worst = Math.max(...held.map(deviation));
    const far = held.filter((r) => deviation(r) > 0.1).map((r) => `${r.workload} (${r.stats.tbs_translated} vs ${qemuTbs.get(r.workload)})`);
    return {
      name: this.name,
      title: this.title,
      columns: ['workload', 'runtime', 'config', 'tbs_translated', 'mean_tb_guest_insns', 'tb_executions', 'expansion_ratio', 'qemu_i386_tbs'],
      records,
      charts: {
        tbs: dotChart(dots, {
          title: 'TBs translated per workload, with real qemu-i386',
          xTitle: 'TBs translated (count, log scale)',
          labelField: 'workload',
          labelOrder: order,
          seriesOrder: [...series, 'qemu-i386'],
          log: true,
        }),
      },
      findings: [
        {
          claim: 'In QEMU a system call ends the TB; in X86toMips it does not',
          measured:
            `syscall-heavy workloads: qemu-style ${totalQ} TBs translated, x86tomips-style ${totalX} (${fmt(100 * relative, 1)}% more${weak ? ': weak, a system call ends a TB only where the block would have gone on after it' : ''}); ` +
            `qemu-style translates more on ${margins.length - notMore.length} of ${margins.length} syscall-heavy workloads` +
            (notMore.length ? `, not on ${notMore.map((m) => `${m.workload} (${m.q} vs ${m.x})`).join(', ')}` : ''),
          holds: totalQ > totalX && notMore.length < margins.length / 2,
        },
        {
          claim: "qemu-style's TBs are QEMU's TBs",
          measured:
            `tbs_translated of qemu-style on the guest QEMU 7.2 sets up (no vDSO) within ${fmt(100 * worst, 1)}% of qemu-i386 -d in_asm on every workload` +
            (far.length ? `; more than 10% off on ${far.join(', ')} (qemu-style vs QEMU; see the workloads' descriptions)` : '') +
            `; with the vDSO Linux gives, qemu-style translates ${vdsoTbs} more TBs over all workloads (the C library's start-up registering it)`,
          holds: worst <= 0.1,
        },
      ],
    };
  },
};
