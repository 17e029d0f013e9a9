/**
 * One TB per entry versus many: TBs executed next to code-cache entries (cpu_tb_exec
 * calls) for each runtime configuration, a panel per workload. Where the two bars are equal
 * every TB paid a round trip through the exec loop.
 */
import type { StatsRow } from '../csv';
import type { VegaLiteSpec } from '../render-svg';
import { groupedMetricsChart } from './grouped-metrics';

export function codeCacheEntriesChart(rows: readonly StatsRow[]): VegaLiteSpec {
  return groupedMetricsChart(rows, ['tb_executions', 'code_cache_entries'], 'TB executions vs code-cache entries');
}
