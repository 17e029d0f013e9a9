/**
 * Where host instructions go: one stacked bar per runtime configuration, split by region
 * (TB body, prologue/epilogue, context save/restore, exit stubs, chaining), a panel per
 * workload. The context-save/restore and epilogue/prologue slices are the talk's context
 * switch overhead; `share: true` stacks to 100% to show it as a share of all host work.
 */
import { REGION_NAMES } from '@dbtlab/dbt-core';
import type { StatsRow } from '../csv';
import type { VegaLiteSpec } from '../render-svg';
import { CHART_CONFIG, SCHEMA, seriesField, seriesLabel, workloadFacet } from './chart-data';

export function contextSwitchChart(rows: readonly StatsRow[], options: { share?: boolean } = {}): VegaLiteSpec {
  const values = rows.flatMap((row) =>
    REGION_NAMES.map((region, order) => ({
      workload: row.workload,
      series: seriesLabel(row),
      region,
      order,
      host_insns: row.stats.host_insns_by_region[region],
    })),
  );
  return {
    $schema: SCHEMA,
    config: CHART_CONFIG,
    title: options.share ? 'Share of host instructions by region' : 'Host instructions by region',
    data: { values },
    mark: 'bar',
    encoding: {
      facet: workloadFacet(rows),
      x: seriesField(rows),
      y: {
        field: 'host_insns',
        type: 'quantitative',
        aggregate: 'sum',
        stack: options.share ? 'normalize' : 'zero',
        title: options.share ? 'share of host instructions (fraction)' : 'host instructions (count)',
      },
      color: { field: 'region', type: 'nominal', sort: [...REGION_NAMES], title: 'region' },
      order: { field: 'order', type: 'quantitative' },
      tooltip: [
        { field: 'workload', type: 'nominal' },
        { field: 'series', type: 'nominal' },
        { field: 'region', type: 'nominal' },
        { field: 'host_insns', type: 'quantitative' },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  };
}
