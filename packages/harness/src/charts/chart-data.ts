/**
 * What every chart shares: the series label of a row (runtime, plus its config when it is
 * not the default) and first-appearance orders, so that charts list workloads and series in
 * the order the experiment ran them instead of alphabetically.
 */
import type { StatsRow } from '../csv';

export const SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** Series labels like "qemu-style (no-chain)" must never be truncated with an ellipsis. */
export const CHART_CONFIG = { legend: { labelLimit: 0 }, axis: { labelLimit: 0 } };

/** Configs named like this are the runtime's normal behaviour and are not spelled out. */
const DEFAULT_CONFIGS: ReadonlySet<string> = new Set(['', 'default']);

export function seriesLabel(row: Pick<StatsRow, 'runtime' | 'config'>): string {
  return DEFAULT_CONFIGS.has(row.config) ? row.runtime : `${row.runtime} (${row.config})`;
}

export function firstAppearanceOrder(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** Panels per row of a wrapped facet: 32 workloads fit a page width as 8 rows of 4. */
export const FACET_COLUMNS = 4;

/** One panel per workload, in the rows' order, wrapped at FACET_COLUMNS (the facet most charts share). */
export function workloadFacet(rows: readonly StatsRow[]) {
  return { field: 'workload', type: 'nominal', sort: firstAppearanceOrder(rows.map((r) => r.workload)), title: null, columns: FACET_COLUMNS } as const;
}

/** Geometric mean: the average of ratios (a sum would let the largest workloads decide). */
export function geomean(xs: readonly number[]): number {
  const pos = xs.filter((x) => x > 0);
  return pos.length ? Math.exp(pos.reduce((a, x) => a + Math.log(x), 0) / pos.length) : 0;
}

/** Ranks 1..n of xs, ties sharing their average rank (what a rank correlation needs). */
function ranks(xs: readonly number[]): number[] {
  const order = xs.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
  const r = new Array<number>(xs.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    for (let k = i; k <= j; k++) r[order[k][1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

/**
 * Spearman's rank correlation of paired samples, in [-1, 1]: whether one grows as the other does,
 * whatever the shape (ratios and rates are far from linear in each other); 0 when undefined.
 */
export function spearman(xs: readonly number[], ys: readonly number[]): number {
  const rx = ranks(xs), ry = ranks(ys);
  const mean = (rx.length + 1) / 2;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < rx.length; i++) {
    sxy += (rx[i] - mean) * (ry[i] - mean);
    sxx += (rx[i] - mean) ** 2;
    syy += (ry[i] - mean) ** 2;
  }
  return sxx && syy ? sxy / Math.sqrt(sxx * syy) : 0;
}

/** One bar or colour per runtime configuration, in the rows' order. */
export function seriesField(rows: readonly StatsRow[]) {
  return { field: 'series', type: 'nominal', sort: firstAppearanceOrder(rows.map(seriesLabel)), title: null } as const;
}
