import test from 'ava';
import { KIND_NAMES, REGION_NAMES, SCALAR_METRICS, emptyStats, type Stats } from '@dbtlab/dbt-core';
import { CsvInputError, csvColumns, statsToCsv, tbsPerEntryToCsv, type StatsRow } from '../src/csv';

/** Stats whose every number is distinct, so a column taken from the wrong field shows. */
function numberedStats(runtime: string, base: number): Stats {
  const s = emptyStats(runtime);
  SCALAR_METRICS.forEach((m, i) => (s[m] = base + i));
  KIND_NAMES.forEach((k, i) => (s.host_insns_by_kind[k] = base + 100 + i));
  REGION_NAMES.forEach((r, i) => (s.host_insns_by_region[r] = base + 200 + i));
  return s;
}

const ROWS: StatsRow[] = [
  { workload: 'loop', runtime: 'qemu-style', config: 'default', stats: numberedStats('qemu-style', 1000) },
  { workload: 'loop', runtime: 'qemu-style', config: 'no-chain', stats: numberedStats('qemu-style', 5000) },
  { workload: 'calls', runtime: 'x86tomips-style', config: 'default', stats: numberedStats('x86tomips-style', 9000) },
];

const lines = (csv: string) => csv.split('\n').slice(0, -1);

test('header: identity columns, scalar metrics in SCALAR_METRICS order, then kinds and regions', (t) => {
  const header = lines(statsToCsv(ROWS))[0].split(',');
  t.deepEqual(header, csvColumns());
  t.deepEqual(header.slice(0, 3), ['workload', 'runtime', 'config']);
  t.deepEqual(header.slice(3, 3 + SCALAR_METRICS.length), [...SCALAR_METRICS]);
  t.is(header[3 + SCALAR_METRICS.length], 'host_insns_by_kind.alu');
  t.is(header[header.length - 1], `host_insns_by_region.${REGION_NAMES[REGION_NAMES.length - 1]}`);
  t.is(header.length, 3 + SCALAR_METRICS.length + KIND_NAMES.length + REGION_NAMES.length);
});

test('every cell holds the value of the field its column names', (t) => {
  const [header, ...records] = lines(statsToCsv(ROWS)).map((l) => l.split(','));
  t.is(records.length, ROWS.length);
  records.forEach((cells, i) => {
    const row = ROWS[i];
    t.deepEqual(cells.slice(0, 3), [row.workload, row.runtime, row.config]);
    header.slice(3).forEach((column, j) => {
      const [group, key] = column.split('.');
      const expected =
        key === undefined
          ? row.stats[group as (typeof SCALAR_METRICS)[number]]
          : (row.stats[group as 'host_insns_by_kind'] as Record<string, number>)[key];
      t.is(cells[3 + j], String(expected), column);
    });
  });
});

test('wall_ms can be left out, and then equal stats give byte-identical files', (t) => {
  const noWall = csvColumns({ includeWallMs: false });
  t.false(noWall.includes('wall_ms'));
  t.true(csvColumns().includes('wall_ms'));
  const other = ROWS.map((r) => ({ ...r, stats: { ...r.stats, wall_ms: r.stats.wall_ms + 17.25 } }));
  t.is(statsToCsv(ROWS, { includeWallMs: false }), statsToCsv(other, { includeWallMs: false }));
  t.not(statsToCsv(ROWS), statsToCsv(other));
});

test('numbers are printed exactly, names with commas or quotes are quoted', (t) => {
  const stats = numberedStats('qemu-style', 0);
  stats.host_insns = 2 ** 40 + 3;
  stats.modeled_cycles = 1234.5;
  const csv = statsToCsv([{ workload: 'a,"b', runtime: 'qemu-style', config: 'x', stats }]);
  const record = lines(csv)[1];
  t.true(record.startsWith('"a,""b",qemu-style,x,'));
  t.true(record.includes(',1099511627779,'));
  t.true(record.includes(',1234.5,'));
});

test('a missing or non-finite metric is a CsvInputError naming the row and column', (t) => {
  const broken = numberedStats('qemu-style', 0) as Partial<Stats>;
  delete broken.syscalls;
  const e = t.throws(() => statsToCsv([{ workload: 'w', runtime: 'r', config: 'c', stats: broken as Stats }]), {
    instanceOf: CsvInputError,
  });
  t.regex(e.message, /w\/r\/c: metric syscalls is missing/);
  const nan = { ...numberedStats('qemu-style', 0), host_insns: Number.NaN };
  t.throws(() => statsToCsv([{ workload: 'w', runtime: 'r', config: 'c', stats: nan }]), {
    instanceOf: CsvInputError,
    message: /host_insns is NaN/,
  });
});

test('tbs_per_entry histograms: one line per bucket, numerically ordered', (t) => {
  const a = numberedStats('qemu-style', 0);
  a.tbs_per_entry = { '10': 2, '2': 7, '1': 40 };
  const b = numberedStats('x86tomips-style', 0);
  b.tbs_per_entry = { '1': 49 };
  const csv = tbsPerEntryToCsv([
    { workload: 'loop', runtime: 'qemu-style', config: 'default', stats: a },
    { workload: 'loop', runtime: 'x86tomips-style', config: 'default', stats: b },
  ]);
  t.deepEqual(lines(csv), [
    'workload,runtime,config,tbs_per_entry,entries',
    'loop,qemu-style,default,1,40',
    'loop,qemu-style,default,2,7',
    'loop,qemu-style,default,10,2',
    'loop,x86tomips-style,default,1,49',
  ]);
  const bad = numberedStats('qemu-style', 0);
  bad.tbs_per_entry = { many: 3 };
  t.throws(() => tbsPerEntryToCsv([{ workload: 'w', runtime: 'r', config: 'c', stats: bad }]), { instanceOf: CsvInputError });
});
