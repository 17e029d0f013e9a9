/** Chart spec builders: StatsRow[] -> a plain vega-lite spec with its data inline. */
export { codeCacheEntriesChart } from './code-cache-entries';
export { contextSwitchChart } from './context-switch';
export { metricBarsChart } from './metric-bars';
export { tbsPerEntryChart } from './tbs-per-entry';
export { seriesLabel } from './chart-data';
export { traceTimelineChart, type RuntimeTrace } from './trace-timeline';
