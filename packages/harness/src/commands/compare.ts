/** dbtlab compare: native vs both runtimes, outputs checked, metrics side by side. */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeSync } from 'node:fs';
import { SCALAR_METRICS, type Stats } from '@dbtlab/dbt-core';
import type { ParsedArgs } from '../cli/cli-config';
import { UsageError } from '../cli/cli-config';
import { runCaptured, type CapturedRun } from '../capture';
import { createScheme, RUNTIME_NAMES } from '../runtimes';

export interface NativeRun {
  stdout: Buffer;
  status: number;
}

const SIGNALS: Record<string, number> = { SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13 };

export function runNativeElf(elf: string, args: string[], stdinFile?: string): NativeRun {
  const path = elf.includes('/') ? elf : `./${elf}`;
  const r = spawnSync(path, args, { input: stdinFile ? readFileSync(stdinFile) : '', env: {}, maxBuffer: 256 << 20 });
  if (r.error) throw r.error;
  const status = r.status ?? 128 + (SIGNALS[r.signal ?? ''] ?? 0);
  return { stdout: r.stdout, status };
}

/** Metrics shown by compare (all but wall-clock), then the expansion ratio. */
export const COMPARE_METRICS = SCALAR_METRICS.filter((m) => m !== 'wall_ms');

export function expansionRatio(s: Stats): number {
  return s.guest_insns ? s.host_insns / s.guest_insns : 0;
}

export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

export function compareCommand(args: ParsedArgs): number {
  const [elf, ...guestArgs] = args.positionals;
  if (!elf) throw new UsageError('compare: missing <elf>');
  const stdinFile = typeof args.options.stdin === 'string' ? args.options.stdin : undefined;
  const native = runNativeElf(elf, guestArgs, stdinFile);
  const ablations = { noChain: !!args.options['no-chain'], syscallEndsTb: !!args.options['syscall-ends-tb'], chain: !!args.options.chain };
  const runs: CapturedRun[] = RUNTIME_NAMES.map((name) =>
    runCaptured(createScheme(name, ablations), { elf, argv: [elf, ...guestArgs], envp: [], deterministicClock: true }, stdinFile),
  );
  const names = runs.map((r) => `${r.stats.runtime}`);
  const rows = COMPARE_METRICS.map((m) => [m, ...runs.map((r) => String(r.stats[m]))]);
  rows.push(['expansion_ratio', ...runs.map((r) => expansionRatio(r.stats).toFixed(2))]);
  rows.push(['exit_status', ...runs.map((r) => String(r.status ?? 'error'))]);
  let ok = true;
  const verdicts = runs.map((r) => {
    const same = r.status === native.status && r.stdout.equals(native.stdout);
    ok &&= same;
    return r.error ? `error: ${r.error}` : same ? 'matches native' : 'DIFFERS from native';
  });
  rows.push(['output', ...verdicts.map((v) => (v.startsWith('error') ? 'error' : v.startsWith('m') ? 'same' : 'DIFFERS'))]);
  const out = [
    `${elf}: native exit status ${native.status}, ${native.stdout.length} bytes of stdout`,
    formatTable(['metric', ...names], rows),
    ...names.map((n, i) => `${n}: ${verdicts[i]}`),
  ].join('\n');
  writeSync(1, `${out}\n`);
  return ok ? 0 : 1;
}
