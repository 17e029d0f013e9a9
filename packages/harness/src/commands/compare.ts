/** dbtlab compare: native vs both runtimes, outputs checked, metrics side by side. */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeSync } from 'node:fs';
import { SCALAR_METRICS, type Stats } from '@dbtlab/dbt-core';
import { join } from 'node:path';
import { INTERPRETER_I386, Sysroot, SYSROOT_LIBRARY_DIRS } from '@dbtlab/linux-user';
import type { ParsedArgs } from '../cli/cli-config';
import { cpuOption, sysrootOption, UsageError } from '../cli/cli-config';
import { runCaptured, type CapturedRun } from '../capture';
import { createScheme, RUNTIME_NAMES } from '../runtimes';

export interface NativeRun {
  stdout: Buffer;
  status: number;
}

const SIGNALS: Record<string, number> = { SIGILL: 4, SIGTRAP: 5, SIGABRT: 6, SIGBUS: 7, SIGFPE: 8, SIGKILL: 9, SIGSEGV: 11, SIGPIPE: 13 };

/**
 * The native command line for a program: itself, or with a sysroot, the sysroot's own
 * ld.so started directly with the sysroot's library directories (the kernel cannot look
 * the interpreter up under a prefix; absolute paths the program opens stay the host's).
 */
export function nativeCommand(elf: string, args: string[], sysroot?: string): [string, string[]] {
  const path = elf.includes('/') ? elf : `./${elf}`;
  if (!sysroot) return [path, args];
  const root = new Sysroot(sysroot);
  const libDirs = SYSROOT_LIBRARY_DIRS.map((d) => join(sysroot, d)).join(':');
  return [root.hostPath(INTERPRETER_I386), ['--library-path', libDirs, root.hostPath(path), ...args]];
}

export function runNativeElf(elf: string, args: string[], stdinFile?: string, sysroot?: string): NativeRun {
  const [cmd, argv] = nativeCommand(elf, args, sysroot);
  const r = spawnSync(cmd, argv, { input: stdinFile ? readFileSync(stdinFile) : '', env: {}, maxBuffer: 256 << 20 });
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
  const cpu = cpuOption(args);
  const stdinFile = typeof args.options.stdin === 'string' ? args.options.stdin : undefined;
  const sysroot = sysrootOption(args);
  const native = runNativeElf(elf, guestArgs, stdinFile, sysroot);
  const ablations = { noChain: !!args.options['no-chain'], syscallEndsTb: !!args.options['syscall-ends-tb'], chain: !!args.options.chain };
  const runs: CapturedRun[] = RUNTIME_NAMES.map((name) =>
    runCaptured(createScheme(name, ablations), { elf, argv: [elf, ...guestArgs], envp: [], sysroot, deterministicClock: true, cpu }, stdinFile),
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
