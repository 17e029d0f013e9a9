/**
 * Several scalar metrics side by side for each runtime configuration, a panel per workload
 * (independent y scales: workloads differ by orders of magnitude). The shape behind the
 * code-cache-entries and SMC charts.
 */
import type { ScalarMetric } from '@dbtlab/dbt-core';
import type { StatsRow } from '../csv';
import type { VegaLiteSpec } from '../render-svg';
import { CHART_CONFIG, SCHEMA, seriesField, seriesLabel, workloadFacet } from './chart-data';

export function groupedMetricsChart(
  rows: readonly StatsRow[],
  metrics: readonly ScalarMetric[],
  title: string,
  options: { log?: boolean; unit?: string } = {},
): VegaLiteSpec {
  const values = rows.flatMap((row) =>
    metrics.map((metric) => ({
      workload: row.workload,
      series: seriesLabel(row),
      metric,
      count: row.stats[metric],
    })),
  );
  return {
    $schema: SCHEMA,
    config: CHART_CONFIG,
    title,
    data: { values },
    mark: 'bar',
    encoding: {
      facet: workloadFacet(rows),
      x: seriesField(rows),
      xOffset: { field: 'metric', type: 'nominal', sort: [...metrics] },
      // log: counts that span orders of magnitude (TBs executed against TBs translated)
      y: { field: 'count', type: 'quantitative', title: `count (${options.unit ?? 'events'}${options.log ? ', log scale' : ''})`, ...(options.log ? { scale: { type: 'log' } } : {}) },
      color: { field: 'metric', type: 'nominal', sort: [...metrics], title: null },
      tooltip: [
        { field: 'workload', type: 'nominal' },
        { field: 'series', type: 'nominal' },
        { field: 'metric', type: 'nominal' },
        { field: 'count', type: 'quantitative' },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  };
}
