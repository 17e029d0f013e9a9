/**
 * E1: the talk's two first-execution flows, measured on a real program: the event sequence
 * from program start through the first system calls, per runtime.
 */
import { traceTimelineChart } from '../charts';
import type { Experiment } from './experiment';
import { configLabel } from './grid';

const FIRST = 60;

export const e1FirstExecution: Experiment = {
  name: 'e1-first-execution',
  title: 'First execution: the event flow of each scheme',
  needs: { configs: () => false, traced: true },
  analyze({ traced }) {
    const records = traced.flatMap((r) =>
      (r.events ?? []).slice(0, FIRST).map((e, step) => ({
        workload: r.workload,
        runtime: r.runtime,
        config: r.config,
        step,
        event: e.kind,
        pc: e.pc === undefined ? '' : `0x${e.pc.toString(16)}`,
        detail: e.detail ?? '',
        host_insns: e.hostInsns,
      })),
    );
    const after = (runtime: string) => {
      const ev = traced.find((r) => r.runtime === runtime && r.config === 'default')?.events ?? [];
      const i = ev.findIndex((e) => e.kind === 'syscall' || e.kind === 'unwind');
      return ev.slice(i, i + 4).map((e) => e.kind).join(' -> ');
    };
    const q = after('qemu-style');
    const x = after('x86tomips-style');
    return {
      name: this.name,
      title: this.title,
      columns: ['workload', 'runtime', 'config', 'step', 'event', 'pc', 'detail', 'host_insns'],
      records,
      charts: {
        timeline: traceTimelineChart(traced.map((r) => ({ series: configLabel(r), events: r.events ?? [] })), FIRST),
      },
      findings: [
        {
          claim: 'QEMU: the system-call helper unwinds to cpu_exec, which performs the call and looks up the next TB',
          measured: `qemu-style: ${q}`,
          holds: q.startsWith('unwind') && q.includes('syscall'),
        },
        {
          claim: 'X86toMips: the helper performs the system call and returns into the same TB',
          measured: `x86tomips-style: ${x}`,
          holds: x.startsWith('syscall') && x.includes('context-restore') && !x.includes('unwind'),
        },
      ],
    };
  },
};
