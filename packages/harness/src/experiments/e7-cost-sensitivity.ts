/**
 * E7: cost-model sensitivity. Every constant of the cost model halved and doubled in turn:
 * does "QEMU's way costs fewer modeled cycles than X86toMips's" still hold?
 */
import { DEFAULT_COST_MODEL, modeledCycles, type CostModel } from '@dbtlab/dbt-core';
import { dotChart, geomean } from '../charts';
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
      const perRatio = q.map((r) => ratio(modeledCycles(x.find((y) => y.workload === r.workload)!.stats, v.model), modeledCycles(r.stats, v.model)));
      return {
        constant: v.constant,
        factor: v.factor,
        qemu_style_cycles: qc,
        x86tomips_style_cycles: xc,
        x86tomips_over_qemu: ratio(xc, qc),
        geomean_x86tomips_over_qemu: geomean(perRatio),
        workloads_qemu_better: perWorkload,
        workloads: q.length,
      };
    });
    const worst = records.reduce((a, b) => (b.geomean_x86tomips_over_qemu < a.geomean_x86tomips_over_qemu ? b : a));
    const variant = (r: (typeof records)[number]) => (r.constant === 'none' ? 'default constants' : `${r.constant} x${r.factor}`);
    const dots = records.flatMap((r) => [
      { label: variant(r), series: 'geometric mean over workloads', value: r.geomean_x86tomips_over_qemu },
      { label: variant(r), series: 'sum over workloads', value: r.x86tomips_over_qemu },
    ]);
    return {
      name: this.name,
      title: this.title,
      columns: Object.keys(records[0]),
      records,
      charts: {
        ratios: dotChart(dots, {
          title: 'x86tomips-style / qemu-style modeled cycles, each cost constant halved and doubled',
          xTitle: 'modeled cycles, x86tomips-style / qemu-style (ratio, log scale; > 1: QEMU better)',
          labelField: 'variant',
          labelOrder: records.map(variant),
          seriesOrder: ['geometric mean over workloads', 'sum over workloads'],
          log: true,
          ruleAt: 1,
        }),
      },
      findings: [
        {
          claim: "QEMU's way of handling system calls is better (fewer modeled cycles), whatever the cost constants within x0.5..x2",
          measured:
            `x86tomips-style / qemu-style modeled cycles, geometric mean over workloads: ${fmt(records[0].geomean_x86tomips_over_qemu)} with the default constants ` +
            `(sum over workloads ${fmt(records[0].x86tomips_over_qemu)}, dominated by the largest); lowest ${fmt(worst.geomean_x86tomips_over_qemu)} (${variant(worst)}); ` +
            `qemu-style better on ${Math.min(...records.map((r) => r.workloads_qemu_better))}..${Math.max(...records.map((r) => r.workloads_qemu_better))} of ${q.length} workloads, never on all`,
          holds: records.every((r) => r.geomean_x86tomips_over_qemu > 1),
        },
      ],
    };
  },
};
