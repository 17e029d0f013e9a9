/**
 * E7: cost-model sensitivity. Every constant of the cost model halved and doubled in turn:
 * does "QEMU's way costs fewer modeled cycles than X86toMips's" still hold?
 */
import { DEFAULT_COST_MODEL, modeledCycles, type CostModel } from '@dbtlab/dbt-core';
import type { Experiment } from './experiment';
import { DEFAULT_CONFIGS, fmt, ratio, sum } from './experiment';

export const e7CostSensitivity: Experiment = {
  name: 'e7-cost-sensitivity',
  title: 'Cost-model sensitivity: each constant halved and doubled',
  needs: { configs: DEFAULT_CONFIGS },
  analyze({ rows }) {
    const def = (runtime: string) => rows.filter((r) => r.runtime === runtime && r.config === 'default');
    const q = def('qemu-style');
    const x = def('x86tomips-style');
    const variants: { constant: string; factor: number; model: CostModel }[] = [{ constant: 'none', factor: 1, model: DEFAULT_COST_MODEL }];
    for (const k of Object.keys(DEFAULT_COST_MODEL) as (keyof CostModel)[])
      for (const factor of [0.5, 2]) variants.push({ constant: k, factor, model: { ...DEFAULT_COST_MODEL, [k]: DEFAULT_COST_MODEL[k] * factor } });
    const records = variants.map((v) => {
      const qc = sum(q.map((r) => modeledCycles(r.stats, v.model)));
      const xc = sum(x.map((r) => modeledCycles(r.stats, v.model)));
      const perWorkload = q.filter((r) => {
        const xr = x.find((y) => y.workload === r.workload)!;
        return modeledCycles(r.stats, v.model) < modeledCycles(xr.stats, v.model);
      }).length;
      return { constant: v.constant, factor: v.factor, qemu_style_cycles: qc, x86tomips_style_cycles: xc, x86tomips_over_qemu: ratio(xc, qc), workloads_qemu_better: perWorkload, workloads: q.length };
    });
    const worst = records.reduce((a, b) => (b.x86tomips_over_qemu < a.x86tomips_over_qemu ? b : a));
    return {
      name: this.name,
      title: this.title,
      columns: Object.keys(records[0]),
      records,
      charts: {},
      findings: [
        {
          claim: "QEMU's way of handling system calls is better (fewer modeled cycles), whatever the cost constants within x0.5..x2",
          measured: `x86tomips-style / qemu-style modeled cycles: ${fmt(records[0].x86tomips_over_qemu)} with the default constants; lowest ${fmt(worst.x86tomips_over_qemu)} (${worst.constant} x${worst.factor}); qemu-style better on ${Math.min(...records.map((r) => r.workloads_qemu_better))}..${Math.max(...records.map((r) => r.workloads_qemu_better))} of ${q.length} workloads`,
          holds: records.every((r) => r.x86tomips_over_qemu > 1),
        },
      ],
    };
  },
};
