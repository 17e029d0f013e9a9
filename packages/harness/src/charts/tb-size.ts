/**
 * Does a system call end the TB? TBs translated and their mean size in guest instructions
 * (translate_guest_insns / tbs_translated), per runtime configuration, side by side per
 * workload: x86tomips-style translates fewer, longer TBs when system calls stay inside them.
 */
import type { StatsRow } from '../csv';
import type { VegaLiteSpec } from '../render-svg';
import { CHART_CONFIG, SCHEMA, firstAppearanceOrder, seriesLabel } from './chart-data';

export function tbSizeChart(rows: readonly StatsRow[]): VegaLiteSpec {
  const values = rows.map((row) => ({
    workload: row.workload,
    series: seriesLabel(row),
    tbs_translated: row.stats.tbs_translated,
    guest_insns_per_tb:
      row.stats.tbs_translated === 0 ? 0 : row.stats.translate_guest_insns / row.stats.tbs_translated,
  }));
  const series = firstAppearanceOrder(rows.map(seriesLabel));
  const bars = (field: string, title: string) => ({
    mark: 'bar' as const,
    encoding: {
      x: {
        field: 'workload',
        type: 'nominal' as const,
        sort: firstAppearanceOrder(rows.map((r) => r.workload)),
        title: null,
      },
      xOffset: { field: 'series', type: 'nominal' as const, sort: series },
      y: { field, type: 'quantitative' as const, title },
      color: { field: 'series', type: 'nominal' as const, sort: series, title: null },
      tooltip: [
        { field: 'workload', type: 'nominal' as const },
        { field: 'series', type: 'nominal' as const },
        { field, type: 'quantitative' as const, title, format: '.2f' },
      ],
    },
  });
  return {
    $schema: SCHEMA,
    config: CHART_CONFIG,
    title: 'TBs translated and their size',
    data: { values },
    vconcat: [bars('tbs_translated', 'TBs translated'), bars('guest_insns_per_tb', 'guest instructions per TB')],
  };
}
