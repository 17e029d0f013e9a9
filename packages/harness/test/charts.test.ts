import test from 'ava';
import { REGION_NAMES, emptyStats, type Stats, type TraceEventKind } from '@dbtlab/dbt-core';
import {
  codeCacheEntriesChart,
  contextSwitchChart,
  metricBarsChart,
  seriesLabel,
  smcInvalidationsChart,
  spearman,
  tbSizeChart,
  tbsPerEntryChart,
  traceTimelineChart,
  type RuntimeTrace,
} from '../src/charts';
import type { StatsRow } from '../src/csv';
import { renderSvg, type VegaLiteSpec } from '../src/render-svg';

/** Plausible stats in the two runtimes' shapes: chained (many TBs per entry) or one per entry. */
function stats(runtime: string, tbExecutions: number, tbsPerEntry: Record<string, number>, seed: number): Stats {
  const s = emptyStats(runtime);
  s.tb_executions = tbExecutions;
  s.code_cache_entries = Object.values(tbsPerEntry).reduce((a, b) => a + b, 0);
  s.tbs_per_entry = tbsPerEntry;
  REGION_NAMES.forEach((r, i) => (s.host_insns_by_region[r] = seed * (i + 1) * 10));
  s.host_insns = REGION_NAMES.reduce((a, r) => a + s.host_insns_by_region[r], 0);
  s.modeled_cycles = seed * 1000;
  s.tbs_translated = seed * 4;
  s.translate_guest_insns = seed * 22;
  s.smc_faults = seed;
  s.tb_invalidations = seed * 2;
  s.stale_tb_executions = runtime === 'x86tomips-style' ? seed : 0;
  return s;
}

const ROWS: StatsRow[] = [
  { workload: 'syscalls', runtime: 'qemu-style', config: 'default', stats: stats('qemu-style', 6000, { '1': 10, '3': 1990, '40': 2 }, 3) },
  { workload: 'syscalls', runtime: 'qemu-style', config: 'no-chain', stats: stats('qemu-style', 6000, { '1': 6000 }, 5) },
  { workload: 'syscalls', runtime: 'x86tomips-style', config: 'default', stats: stats('x86tomips-style', 4000, { '1': 4000 }, 7) },
  { workload: 'loop', runtime: 'qemu-style', config: 'default', stats: stats('qemu-style', 400000, { '400020': 1, '2': 3 }, 11) },
  { workload: 'loop', runtime: 'x86tomips-style', config: 'default', stats: stats('x86tomips-style', 400005, { '1': 400005 }, 13) },
];

type Datum = Record<string, string | number>;
const dataOf = (spec: VegaLiteSpec) => (spec.data as { values: Datum[] }).values;

test('spearman: +1/-1 for monotone pairs whatever their shape, ties share ranks, 0 when one side is constant', (t) => {
  t.is(spearman([1, 2, 3, 4], [1, 8, 27, 1000]), 1);
  t.is(spearman([1, 2, 3, 4], [9, 4, 1, 0.5]), -1);
  t.is(spearman([5, 5, 5], [1, 2, 3]), 0);
  // ranks [1.5, 1.5, 3] vs [1, 2, 3]: co-deviation 1.5, squared deviations 1.5 and 2
  t.is(spearman([7, 7, 9], [1, 2, 3]), 1.5 / Math.sqrt(1.5 * 2));
});

test('seriesLabel names the config only when it is not the default', (t) => {
  t.is(seriesLabel({ runtime: 'qemu-style', config: 'default' }), 'qemu-style');
  t.is(seriesLabel({ runtime: 'qemu-style', config: '' }), 'qemu-style');
  t.is(seriesLabel({ runtime: 'qemu-style', config: 'no-chain' }), 'qemu-style (no-chain)');
});

test('context-switch chart: one datum per row and region, summing to host_insns', (t) => {
  const values = dataOf(contextSwitchChart(ROWS));
  t.is(values.length, ROWS.length * REGION_NAMES.length);
  for (const row of ROWS) {
    const mine = values.filter((v) => v.workload === row.workload && v.series === seriesLabel(row));
    t.deepEqual(mine.map((v) => v.region), [...REGION_NAMES]);
    t.is(mine.reduce((a, v) => a + (v.host_insns as number), 0), row.stats.host_insns);
  }
});

test('context-switch share chart stacks to 100%', async (t) => {
  const spec = contextSwitchChart(ROWS, { share: true });
  t.deepEqual(dataOf(spec), dataOf(contextSwitchChart(ROWS)));
  const svg = await renderSvg(spec);
  for (const label of ['>0%<', '>100%<', '>share of host instructions (fraction)<']) t.true(svg.includes(label), label);
  t.false((await renderSvg(contextSwitchChart(ROWS))).includes('>100%<'));
});

test('code-cache-entries chart: tb_executions and code_cache_entries of every row', (t) => {
  const values = dataOf(codeCacheEntriesChart(ROWS));
  t.deepEqual(
    values,
    ROWS.flatMap((r) => [
      { workload: r.workload, series: seriesLabel(r), metric: 'tb_executions', count: r.stats.tb_executions },
      { workload: r.workload, series: seriesLabel(r), metric: 'code_cache_entries', count: r.stats.code_cache_entries },
    ]),
  );
});

test('tbs-per-entry chart: the histogram of every row, ordered by TBs per entry', (t) => {
  const values = dataOf(tbsPerEntryChart(ROWS));
  t.is(values.length, ROWS.reduce((a, r) => a + Object.keys(r.stats.tbs_per_entry).length, 0));
  const loopQemu = values.filter((v) => v.workload === 'loop' && v.series === 'qemu-style');
  t.deepEqual(loopQemu.map((v) => [v.tbs, v.entries]), [
    [2, 3],
    [400020, 1],
  ]);
});

test('smc-invalidations chart: faults, invalidations and stale executions of every row', (t) => {
  const values = dataOf(smcInvalidationsChart(ROWS));
  t.is(values.length, ROWS.length * 3);
  const stale = values.filter((v) => v.metric === 'stale_tb_executions');
  t.deepEqual(stale.map((v) => v.count), ROWS.map((r) => r.stats.stale_tb_executions));
  t.deepEqual(values.slice(0, 3).map((v) => v.count), [ROWS[0].stats.smc_faults, ROWS[0].stats.tb_invalidations, ROWS[0].stats.stale_tb_executions]);
});

test('tb-size chart: TBs translated and guest instructions per TB of every row', (t) => {
  const values = dataOf(tbSizeChart(ROWS));
  t.deepEqual(values.map((v) => v.tbs_translated), ROWS.map((r) => r.stats.tbs_translated));
  t.deepEqual(values.map((v) => v.guest_insns_per_tb), ROWS.map(() => 5.5));
  const none = { ...ROWS[0], stats: { ...ROWS[0].stats, tbs_translated: 0, translate_guest_insns: 0 } };
  t.is(dataOf(tbSizeChart([none]))[0].guest_insns_per_tb, 0);
});

test('metric-bars chart: the chosen metric of every row', (t) => {
  const spec = metricBarsChart(ROWS, 'modeled_cycles');
  t.deepEqual(dataOf(spec).map((v) => v.value), ROWS.map((r) => r.stats.modeled_cycles));
  t.is(spec.title, 'modeled_cycles');
});

const CHARTS: [string, (rows: StatsRow[]) => VegaLiteSpec][] = [
  ['context-switch', (rows) => contextSwitchChart(rows)],
  ['context-switch share', (rows) => contextSwitchChart(rows, { share: true })],
  ['code-cache-entries', codeCacheEntriesChart],
  ['tbs-per-entry', tbsPerEntryChart],
  ['smc-invalidations', smcInvalidationsChart],
  ['tb-size', tbSizeChart],
  ['metric-bars', (rows) => metricBarsChart(rows, 'context_switch_host_insns')],
];

for (const [name, build] of CHARTS) {
  test(`${name} chart renders, labelled with workloads and series, deterministically`, async (t) => {
    t.is(JSON.stringify(build(ROWS)), JSON.stringify(build(structuredClone(ROWS))));
    const svg = await renderSvg(build(ROWS));
    for (const label of ['syscalls', 'loop', 'qemu-style', 'x86tomips-style', 'qemu-style (no-chain)']) {
      t.true(svg.includes(`>${label}<`), label);
    }
    t.is(await renderSvg(build(ROWS)), svg);
  });
}

/** The talk's two first-execution flows, as event kinds. */
const QEMU_FLOW: TraceEventKind[] = ['lookup-miss', 'translate', 'enter', 'tb-start', 'helper-call', 'unwind', 'syscall', 'lookup-miss', 'translate', 'enter', 'tb-start', 'exit'];
const X86TOMIPS_FLOW: TraceEventKind[] = ['lookup-miss', 'translate', 'enter', 'tb-start', 'context-save', 'helper-call', 'syscall', 'context-restore', 'exit', 'lookup-miss', 'translate', 'enter', 'tb-start', 'exit'];
const TRACES: RuntimeTrace[] = [
  { series: 'qemu-style', events: QEMU_FLOW.map((kind, i) => ({ kind, pc: 0x8049000 + i, hostInsns: i * 10 })) },
  { series: 'x86tomips-style', events: X86TOMIPS_FLOW.map((kind, i) => ({ kind, hostInsns: i * 10 })) },
];

test('trace timeline: every event in its lane, in order, cut at maxEvents', (t) => {
  const values = dataOf(traceTimelineChart(TRACES));
  t.deepEqual(
    values.filter((v) => v.series === 'x86tomips-style').map((v) => v.lane),
    ['exec loop', 'exec loop', 'exec loop', 'translated code', 'translated code', 'helper', 'system call',
      'translated code', 'exec loop', 'exec loop', 'exec loop', 'exec loop', 'translated code', 'exec loop'],
  );
  const qemu = values.filter((v) => v.series === 'qemu-style');
  t.deepEqual(qemu.map((v) => v.step), QEMU_FLOW.map((_, i) => i));
  t.is(qemu[4].pc, '0x8049004');
  t.is(dataOf(traceTimelineChart(TRACES, 5)).length, 10);
});

test('trace timeline renders with its lanes and runtimes', async (t) => {
  const svg = await renderSvg(traceTimelineChart(TRACES));
  for (const label of ['exec loop', 'translated code', 'helper', 'system call', 'qemu-style', 'x86tomips-style']) {
    t.true(svg.includes(`>${label}<`), label);
  }
});
