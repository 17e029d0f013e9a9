/** dbtlab trace: the event sequence of a first execution, as text. */
import { writeFileSync, writeSync } from 'node:fs';
import { traceTimelineChart } from '../charts';
import { renderSvg } from '../render-svg';
import type { TraceEvent } from '@dbtlab/dbt-core';
import type { ParsedArgs } from '../cli/cli-config';
import { cpuOption, sysrootOption, UsageError } from '../cli/cli-config';
import { runCaptured } from '../capture';
import { createScheme } from '../runtimes';

export function formatEvent(e: TraceEvent): string {
  const pc = e.pc === undefined ? '' : ` 0x${e.pc.toString(16)}`;
  return `${String(e.hostInsns).padStart(10)}  ${e.kind}${pc}${e.detail ? `  (${e.detail})` : ''}`;
}

export async function traceCommand(args: ParsedArgs): Promise<number> {
  const [elf, ...guestArgs] = args.positionals;
  if (!elf) throw new UsageError('trace: missing <elf>');
  const scheme = createScheme(String(args.options.runtime ?? 'qemu-style'), {
    noChain: !!args.options['no-chain'],
    syscallEndsTb: !!args.options['syscall-ends-tb'],
    chain: !!args.options.chain,
  });
  const limit = Number(args.options.limit ?? 200);
  const r = runCaptured(scheme, { elf, argv: [elf, ...guestArgs], envp: [], sysroot: sysrootOption(args), trace: true, deterministicClock: true, cpu: cpuOption(args) });
  const svg = args.options.svg;
  if (typeof svg === 'string') {
    const spec = traceTimelineChart([{ series: `${scheme.name} (${scheme.config})`, events: r.events }], Math.min(limit, 80));
    writeFileSync(svg, await renderSvg(spec));
  }
  const lines = [`# ${scheme.name} (${scheme.config}): host_insns  event`, ...r.events.slice(0, limit).map(formatEvent)];
  if (r.events.length > limit) lines.push(`# ... ${r.events.length - limit} more events`);
  if (r.error) lines.push(`# error: ${r.error}`);
  writeSync(1, `${lines.join('\n')}\n`);
  return r.error ? 125 : 0;
}
