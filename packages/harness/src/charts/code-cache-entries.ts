/**
 * One TB per entry versus many: TBs executed next to code-cache entries (cpu_tb_exec
 * calls) for each runtime configuration, a panel per workload. Where the two bars are equal
 * every TB paid a round trip through the exec loop.
 */
import type { StatsRow } from '../csv';
import type { VegaLiteSpec } from '../render-svg';
import { CHART_CONFIG, SCHEMA, firstAppearanceOrder, seriesLabel } from './chart-data';

const MEASURES = ['tb_executions', 'code_cache_entries'] as const;

export function codeCacheEntriesChart(rows: readonly StatsRow[]): VegaLiteSpec {
  const values = rows.flatMap((row) =>
    MEASURES.map((measure) => ({
      workload: row.workload,
      series: seriesLabel(row),
      measure,
      count: row.stats[measure],
    })),
  );
  return {
    $schema: SCHEMA,
    config: CHART_CONFIG,
    title: 'TB executions vs code-cache entries',
    data: { values },
    mark: 'bar',
    encoding: {
      column: {
        field: 'workload',
        type: 'nominal',
        sort: firstAppearanceOrder(rows.map((r) => r.workload)),
        title: null,
      },
      x: {
        field: 'series',
        type: 'nominal',
        sort: firstAppearanceOrder(rows.map(seriesLabel)),
        title: null,
      },
      xOffset: { field: 'measure', type: 'nominal', sort: [...MEASURES] },
      y: { field: 'count', type: 'quantitative', title: 'count' },
      color: { field: 'measure', type: 'nominal', sort: [...MEASURES], title: null },
      tooltip: [
        { field: 'workload', type: 'nominal' },
        { field: 'series', type: 'nominal' },
        { field: 'measure', type: 'nominal' },
        { field: 'count', type: 'quantitative' },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  };
}
