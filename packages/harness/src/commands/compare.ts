/** dbtlab compare: native vs both runtimes, outputs checked, metrics side by side. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { SCALAR_METRICS, type Stats } from '@dbtlab/dbt-core';
import { basename, dirname, join } from 'node:path';
import { INTERPRETER_I386, Sysroot, SYSROOT_LIBRARY_DIRS } from '@dbtlab/linux-user';
import { ablationsOf, cpuOption, guestEnvironment, sysrootOption } from '../cli/guest-options';
import { listOption, requireOperand, stringOption, UsageError, type ParsedArgs } from '../cli/parse-args';
import { isManifestPath } from '../manifest';
import { runEnv, setUpFiles, type Workload } from '../workloads';
import { chosenWorkloads } from './experiment';
import { runCaptured, type CapturedRun } from '../capture';
import { statsToCsv } from '../csv';
import { createScheme, RUNTIME_NAMES } from '../runtimes';
import { statsRecord } from '../stats-record';

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

export function runNativeElf(elf: string, args: string[], stdinFile?: string, sysroot?: string, envp: readonly string[] = []): NativeRun {
  const [cmd, argv] = nativeCommand(elf, args, sysroot);
  const env = Object.fromEntries(envp.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  const r = spawnSync(cmd, argv, { input: stdinFile ? readFileSync(stdinFile) : '', env, maxBuffer: 256 << 20 });
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

export interface Comparison {
  elf: string;
  native: NativeRun;
  runs: CapturedRun[];
  /** Per runtime: exit status and stdout equal to native's. */
  same: boolean[];
}

export function compareElf(args: ParsedArgs, elf: string, guestArgs: string[], stdinFile: string | undefined): Comparison {
  const envp = guestEnvironment(args, []);
  const sysroot = sysrootOption(args);
  const cpu = cpuOption(args);
  const native = runNativeElf(elf, guestArgs, stdinFile, sysroot, envp);
  const ablations = ablationsOf(args);
  const runs = RUNTIME_NAMES.map((name) => runCaptured(createScheme(name, ablations), { elf, argv: [elf, ...guestArgs], envp, sysroot, cpu, deterministicClock: true }, stdinFile));
  return { elf, native, runs, same: runs.map((r) => r.status === native.status && r.stdout.equals(native.stdout)) };
}

function formatComparison(c: Comparison): string {
  const names = c.runs.map((r) => `${r.stats.runtime}`);
  const rows = COMPARE_METRICS.map((m) => [m, ...c.runs.map((r) => String(r.stats[m]))]);
  rows.push(['expansion_ratio', ...c.runs.map((r) => expansionRatio(r.stats).toFixed(2))]);
  rows.push(['exit_status', ...c.runs.map((r) => String(r.status ?? 'error'))]);
  rows.push(['output', ...c.runs.map((r, i) => (r.error ? 'error' : c.same[i] ? 'same' : 'DIFFERS'))]);
  return [
    `${c.elf}: native exit status ${c.native.status}, ${c.native.stdout.length} bytes of stdout`,
    formatTable(['metric', ...names], rows),
    ...names.map((n, i) => `${n}: ${c.runs[i].error ? `error: ${c.runs[i].error}` : c.same[i] ? 'matches native' : 'DIFFERS from native'}`),
  ].join('\n');
}

function comparisonJson(c: Comparison): object {
  return {
    program: c.elf,
    native: { exit_status: c.native.status, stdout_bytes: c.native.stdout.length },
    runs: c.runs.map((r, i) => ({ ...statsRecord(r.stats, r.scheme, c.elf), matches_native: c.same[i], error: r.error ?? null })),
  };
}

/** A manifest's workload: run from its folder with its argv, stdin, environment and files. */
function compareWorkload(args: ParsedArgs, w: Workload): Comparison {
  const dir = mkdtempSync(join(tmpdir(), 'dbtlab-compare-'));
  const stdinFile = join(dir, 'stdin');
  writeFileSync(stdinFile, w.stdin ?? '');
  const cwd = process.cwd();
  const { env, done } = runEnv(w);
  try {
    setUpFiles(w);
    process.chdir(dirname(w.program));
    const withEnv = { ...args, options: { ...args.options, 'set-env': [...listOption(args, 'set-env'), ...Object.entries(env).map(([k, v]) => `${k}=${v}`)] } };
    return { ...compareElf(withEnv, `./${basename(w.program)}`, [...w.args], stdinFile), elf: w.name };
  } finally {
    process.chdir(cwd);
    done();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function compareCommand(args: ParsedArgs): number {
  const elf = args.options.workloads ? '' : requireOperand(args);
  if (args.options.json && args.options.csv) throw new UsageError('--json and --csv: choose one', 'compare');
  // a manifest (operand or --workloads): each of its workloads, from its folder, with its stdin
  const manifest = isManifestPath(elf) ? elf : undefined;
  const cs = manifest || args.options.workloads
    ? chosenWorkloads(manifest ? { ...args, options: { ...args.options, workloads: manifest } } : args).map((w) => compareWorkload(args, w))
    : [compareElf(args, elf, args.positionals.slice(1), stringOption(args, 'stdin'))];
  let out: string;
  if (args.options.json) out = `${JSON.stringify(cs.length === 1 && !manifest ? comparisonJson(cs[0]) : cs.map(comparisonJson), null, 2)}\n`;
  else if (args.options.csv) out = statsToCsv(cs.flatMap((c) => c.runs.map((r) => ({ workload: c.elf, runtime: r.stats.runtime, config: r.scheme.config, stats: r.stats }))), { includeWallMs: false });
  else out = `${cs.map(formatComparison).join('\n\n')}\n`;
  writeSync(1, out);
  return cs.every((c) => c.same.every(Boolean)) ? 0 : 1;
}
