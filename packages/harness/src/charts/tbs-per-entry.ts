/**
 * The distribution behind "one TB per entry vs many": for each runtime configuration, how
 * many code-cache entries ran k TBs before returning to the exec loop (the tbs_per_entry
 * histogram), log-log, a panel per workload. x86tomips-style is a single point at k = 1 (and
 * k = 0 where an entry ends before any TB starts, seen with several guests: the x axis is a symmetric log,
 * which shows 0).
 */
import type { StatsRow } from '../csv';
import type { VegaLiteSpec } from '../render-svg';
import { CHART_CONFIG, SCHEMA, firstAppearanceOrder, seriesLabel, workloadFacet } from './chart-data';

export function tbsPerEntryChart(rows: readonly StatsRow[]): VegaLiteSpec {
  const values = rows.flatMap((row) =>
    Object.entries(row.stats.tbs_per_entry)
      .map(([tbs, entries]) => ({ workload: row.workload, series: seriesLabel(row), tbs: Number(tbs), entries }))
      .sort((a, b) => a.tbs - b.tbs),
  );
  return {
    $schema: SCHEMA,
    config: CHART_CONFIG,
    title: 'TBs executed per code-cache entry',
    data: { values },
    mark: { type: 'line', point: true },
    encoding: {
      facet: workloadFacet(rows),
      x: { field: 'tbs', type: 'quantitative', scale: { type: 'symlog' }, title: 'TBs executed per entry (symmetric log scale)' },
      y: { field: 'entries', type: 'quantitative', scale: { type: 'log' }, title: 'code-cache entries (count, log scale)' },
      color: {
        field: 'series',
        type: 'nominal',
        sort: firstAppearanceOrder(rows.map(seriesLabel)),
        title: null,
      },
      tooltip: [
        { field: 'series', type: 'nominal' },
        { field: 'tbs', type: 'quantitative' },
        { field: 'entries', type: 'quantitative' },
      ],
    },
  };
}
