/**
 * The talk's first-execution flow diagrams, drawn from a measured event trace: each event
 * is a point in the lane where control is (exec loop, translated code, helper, system
 * call), joined in order, one panel per runtime. Where qemu-style drops from translated code
 * to the exec loop before the system call, x86tomips-style goes helper -> system call ->
 * back into the same TB.
 */
import type { TraceEvent, TraceEventKind } from '@dbtlab/dbt-core';
import type { VegaLiteSpec } from '../render-svg';
import { CHART_CONFIG, SCHEMA, firstAppearanceOrder } from './chart-data';

export interface RuntimeTrace {
  /** Panel label: a runtime, or a runtime with its config. */
  series: string;
  events: readonly TraceEvent[];
}

const LANES = ['exec loop', 'translated code', 'helper', 'system call'] as const;
type Lane = (typeof LANES)[number];

/** Where control is when each event happens. */
const LANE_OF = {
  'lookup-miss': 'exec loop',
  translate: 'exec loop',
  enter: 'exec loop',
  exit: 'exec loop',
  unwind: 'exec loop',
  'chain-patch': 'exec loop',
  invalidate: 'exec loop',
  'tb-start': 'translated code',
  'context-save': 'translated code',
  'context-restore': 'translated code',
  'indirect-hit': 'translated code',
  'helper-call': 'helper',
  'smc-fault': 'helper',
  syscall: 'system call',
} as const satisfies Record<TraceEventKind, Lane>;

const hex = (pc: number | undefined) => (pc === undefined ? '' : `0x${pc.toString(16)}`);

/** The first `maxEvents` events of each trace (a first execution is short; whole runs are not). */
export function traceTimelineChart(traces: readonly RuntimeTrace[], maxEvents = 60): VegaLiteSpec {
  const values = traces.flatMap((trace) =>
    trace.events.slice(0, maxEvents).map((e, step) => ({
      series: trace.series,
      step,
      kind: e.kind,
      lane: LANE_OF[e.kind],
      pc: hex(e.pc),
      detail: e.detail ?? '',
      host_insns: e.hostInsns,
    })),
  );
  const kinds = firstAppearanceOrder(values.map((v) => v.kind));
  return {
    $schema: SCHEMA,
    config: CHART_CONFIG,
    title: 'First execution: where control goes, event by event',
    data: { values },
    facet: { row: { field: 'series', type: 'nominal', sort: traces.map((t) => t.series), title: null } },
    spec: {
      width: 720,
      height: 140,
      encoding: {
        x: { field: 'step', type: 'quantitative', title: 'event number (in order)' },
        y: { field: 'lane', type: 'nominal', sort: [...LANES], title: null },
      },
      layer: [
        // one path through the lanes in event order: every return to the exec loop shows
        { mark: { type: 'line', interpolate: 'step-after', color: '#888' }, encoding: { order: { field: 'step', type: 'quantitative' } } },
        {
          mark: { type: 'point', filled: true, size: 50 },
          encoding: {
            color: { field: 'kind', type: 'nominal', sort: kinds, title: 'event' },
            tooltip: [
              { field: 'step', type: 'quantitative' },
              { field: 'kind', type: 'nominal' },
              { field: 'pc', type: 'nominal' },
              { field: 'detail', type: 'nominal' },
              { field: 'host_insns', type: 'quantitative' },
            ],
          },
        },
      ],
    },
  };
}
