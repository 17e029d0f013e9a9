/**
 * One row per workload (or other label), one dot per series, on a shared x axis: readable at
 * page width whatever the number of workloads. For ratios: a log axis and a dashed rule at
 * 1 (no difference), and a "geometric mean" row first; for counts spanning orders of
 * magnitude: a log axis.
 */
import type { VegaLiteSpec } from '../render-svg';
import { CHART_CONFIG, SCHEMA } from './chart-data';

export interface Dot {
  /** The row: a workload, or e.g. a cost-model variant. */
  label: string;
  series: string;
  value: number;
}

export interface DotChartOptions {
  title: string;
  /** Axis title, with its unit. */
  xTitle: string;
  /** What the rows are ('workload' rows are filtered by the HTML report's workload filter). */
  labelField: 'workload' | 'variant';
  labelOrder: readonly string[];
  seriesOrder: readonly string[];
  log?: boolean;
  /** Draw the reference line x = ruleAt (1 for ratios). */
  ruleAt?: number;
}

export function dotChart(dots: readonly Dot[], o: DotChartOptions): VegaLiteSpec {
  const values = dots.map((d) => ({ [o.labelField]: d.label, series: d.series, value: d.value }));
  const x = { field: 'value', type: 'quantitative' as const, title: o.xTitle, scale: o.log ? { type: 'log' as const } : { zero: false } };
  return {
    $schema: SCHEMA,
    config: CHART_CONFIG,
    title: o.title,
    width: 420,
    height: { step: 14 },
    data: { values },
    layer: [
      ...(o.ruleAt === undefined ? [] : [{ mark: { type: 'rule' as const, strokeDash: [4, 4], color: '#555' }, encoding: { x: { datum: o.ruleAt } } }]),
      {
        mark: { type: 'point' as const, filled: true, size: 45, opacity: 0.85 },
        encoding: {
          x,
          y: { field: o.labelField, type: 'nominal' as const, sort: [...o.labelOrder], title: null },
          color: { field: 'series', type: 'nominal' as const, sort: [...o.seriesOrder], title: null },
          tooltip: [
            { field: o.labelField, type: 'nominal' as const },
            { field: 'series', type: 'nominal' as const },
            { field: 'value', type: 'quantitative' as const, title: o.xTitle, format: o.ruleAt === undefined ? ',' : '.3f' },
          ],
        },
      },
    ],
  };
}
