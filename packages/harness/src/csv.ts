/**
 * Stats rows -> CSV. Columns: workload, runtime, config, every scalar metric in
 * SCALAR_METRICS order, then host_insns_by_kind.<kind> and host_insns_by_region.<region>
 * flattened in KIND_NAMES / REGION_NAMES order. Numbers are printed exactly (shortest
 * round-trip form), so equal stats give byte-identical CSV; wall_ms, the one metric that
 * varies between runs, can be left out. The tbs_per_entry histogram, not a scalar, has its
 * own long-format file (one line per bucket).
 */
import { KIND_NAMES, REGION_NAMES, SCALAR_METRICS, type Stats } from '@dbtlab/dbt-core';
import { stringify } from 'csv-stringify/sync';

/** One measured run: a workload under a runtime with a configuration (e.g. an ablation). */
export interface StatsRow {
  workload: string;
  runtime: string;
  config: string;
  stats: Stats;
}

export interface CsvOptions {
  /** Include the wall_ms column (default true); false for reproducible files. */
  includeWallMs?: boolean;
}

/** A row whose stats lack a metric or hold a non-finite number. */
export class CsvInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CsvInputError';
  }
}

type Column = { name: string; value: (s: Stats) => unknown };

function columnsFor(options: CsvOptions): Column[] {
  const includeWallMs = options.includeWallMs ?? true;
  return [
    ...SCALAR_METRICS.filter((m) => includeWallMs || m !== 'wall_ms').map((m) => ({
      name: m,
      value: (s: Stats) => s[m],
    })),
    ...KIND_NAMES.map((k) => ({
      name: `host_insns_by_kind.${k}`,
      value: (s: Stats) => s.host_insns_by_kind?.[k],
    })),
    ...REGION_NAMES.map((r) => ({
      name: `host_insns_by_region.${r}`,
      value: (s: Stats) => s.host_insns_by_region?.[r],
    })),
  ];
}

/** The header row, in file order. */
export function csvColumns(options: CsvOptions = {}): string[] {
  return ['workload', 'runtime', 'config', ...columnsFor(options).map((c) => c.name)];
}

function formatNumber(row: StatsRow, column: string, v: unknown): string {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    throw new CsvInputError(
      `${row.workload}/${row.runtime}/${row.config}: metric ${column} is ${v === undefined ? 'missing' : String(v)}`,
    );
  }
  return String(v);
}

export function statsToCsv(rows: readonly StatsRow[], options: CsvOptions = {}): string {
  const columns = columnsFor(options);
  const records = rows.map((row) => [
    row.workload,
    row.runtime,
    row.config,
    ...columns.map((c) => formatNumber(row, c.name, c.value(row.stats))),
  ]);
  return stringify([csvColumns(options), ...records], { record_delimiter: 'unix' });
}

/** The tbs_per_entry histograms in long format: workload, runtime, config, tbs_per_entry, entries. */
export function tbsPerEntryToCsv(rows: readonly StatsRow[]): string {
  const records = rows.flatMap((row) =>
    Object.entries(row.stats.tbs_per_entry ?? {})
      .map(([tbs, entries]) => [Number(tbs), entries] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([tbs, entries]) => {
        if (!Number.isInteger(tbs) || tbs < 0) {
          throw new CsvInputError(`${row.workload}/${row.runtime}/${row.config}: tbs_per_entry bucket is not a count`);
        }
        return [row.workload, row.runtime, row.config, String(tbs), formatNumber(row, `tbs_per_entry.${tbs}`, entries)];
      }),
  );
  return stringify([['workload', 'runtime', 'config', 'tbs_per_entry', 'entries'], ...records], {
    record_delimiter: 'unix',
  });
}
