/**
 * Self-modifying code: write faults on protected code pages, TBs invalidated, and TB
 * executions of stale code (host code whose guest bytes had changed) per runtime
 * configuration, a panel per workload. A non-zero stale bar is a wrong execution.
 */
import type { StatsRow } from '../csv';
import type { VegaLiteSpec } from '../render-svg';
import { groupedMetricsChart } from './grouped-metrics';

export function smcInvalidationsChart(rows: readonly StatsRow[]): VegaLiteSpec {
  return groupedMetricsChart(
    rows,
    ['smc_faults', 'tb_invalidations', 'stale_tb_executions'],
    'Self-modifying code: faults, invalidations, stale executions',
  );
}
