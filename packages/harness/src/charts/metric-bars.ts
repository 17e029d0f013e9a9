/**
 * Any one scalar metric (modeled_cycles, context_switch_host_insns, syscalls, ...) as
 * grouped bars: a group per workload, a bar per runtime configuration.
 */
import type { ScalarMetric } from '@dbtlab/dbt-core';
import type { StatsRow } from '../csv';
import type { VegaLiteSpec } from '../render-svg';
import { CHART_CONFIG, SCHEMA, firstAppearanceOrder, seriesLabel } from './chart-data';

export function metricBarsChart(rows: readonly StatsRow[], metric: ScalarMetric): VegaLiteSpec {
  const series = firstAppearanceOrder(rows.map(seriesLabel));
  const values = rows.map((row) => ({ workload: row.workload, series: seriesLabel(row), value: row.stats[metric] }));
  return {
    $schema: SCHEMA,
    config: CHART_CONFIG,
    title: metric,
    data: { values },
    mark: 'bar',
    encoding: {
      x: {
        field: 'workload',
        type: 'nominal',
        sort: firstAppearanceOrder(rows.map((r) => r.workload)),
        title: null,
      },
      xOffset: { field: 'series', type: 'nominal', sort: series },
      y: { field: 'value', type: 'quantitative', title: metric },
      color: { field: 'series', type: 'nominal', sort: series, title: null },
      tooltip: [
        { field: 'workload', type: 'nominal' },
        { field: 'series', type: 'nominal' },
        { field: 'value', type: 'quantitative', title: metric },
      ],
    },
  };
}
