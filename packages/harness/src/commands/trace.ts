/** dbtlab trace: the event sequence of a first execution, as text. */
import { writeFileSync, writeSync } from 'node:fs';
import { traceTimelineChart } from '../charts';
import { renderSvg } from '../render-svg';
import type { TraceEvent } from '@dbtlab/dbt-core';
import { cpuOption, guestEnvironment, schemeOf, sysrootOption } from '../cli/guest-options';
import { requireOperand, stringOption, type ParsedArgs } from '../cli/parse-args';
import { runCaptured } from '../capture';

export function formatEvent(e: TraceEvent): string {
  const pc = e.pc === undefined ? '' : ` 0x${e.pc.toString(16)}`;
  return `${String(e.hostInsns).padStart(10)}  ${e.kind}${pc}${e.detail ? `  (${e.detail})` : ''}`;
}

export async function traceCommand(args: ParsedArgs): Promise<number> {
  const elf = requireOperand(args);
  const guestArgs = args.positionals.slice(1);
  const scheme = schemeOf(args);
  const limit = Number(args.options.limit);
  const envp = guestEnvironment(args, []);
  const r = runCaptured(scheme, { elf, argv: [elf, ...guestArgs], envp, sysroot: sysrootOption(args), cpu: cpuOption(args), trace: true, deterministicClock: true });
  const svg = stringOption(args, 'svg');
  if (svg !== undefined) {
    const spec = traceTimelineChart([{ series: `${scheme.name} (${scheme.config})`, events: r.events }], Math.min(limit, 80));
    writeFileSync(svg, await renderSvg(spec));
  }
  const lines = [`# ${scheme.name} (${scheme.config}): host_insns  event`, ...r.events.slice(0, limit).map(formatEvent)];
  if (r.events.length > limit) lines.push(`# ... ${r.events.length - limit} more events`);
  if (r.error) lines.push(`# error: ${r.error}`);
  writeSync(1, `${lines.join('\n')}\n`);
  return r.error ? 125 : 0;
}
