/** Chart spec builders: StatsRow[] (or traces) -> a plain vega-lite spec with its data inline. */
export { geomean, seriesLabel, spearman } from './chart-data';
export { dotChart, type Dot } from './dot-chart';
export { codeCacheEntriesChart } from './code-cache-entries';
export { contextSwitchChart } from './context-switch';
export { groupedMetricsChart } from './grouped-metrics';
export { metricBarsChart } from './metric-bars';
export { smcInvalidationsChart } from './smc-invalidations';
export { tbSizeChart } from './tb-size';
export { tbsPerEntryChart } from './tbs-per-entry';
export { traceTimelineChart, type RuntimeTrace } from './trace-timeline';
