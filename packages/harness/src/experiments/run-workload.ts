/** One workload in one configuration, checked against its native reference output. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { TraceEvent } from '@dbtlab/dbt-core';
import { runCaptured } from '../capture';
import type { StatsRow } from '../csv';
import { createScheme } from '../runtimes';
import { getWorkload, refOutput, workloadPath } from '../workloads';
import type { RuntimeConfig } from './grid';

export interface ExperimentRow extends StatsRow {
  matchesNative: boolean;
  expectedToMatch: boolean;
  error?: string;
  events?: TraceEvent[];
}

/**
 * Runs from the workload's directory with an empty environment and the virtual clock: the
 * same counts on every run and every machine.
 */
export function runWorkload(name: string, c: RuntimeConfig, trace = false): ExperimentRow {
  const w = getWorkload(name);
  const elf = workloadPath(name);
  const ref = refOutput(name);
  const tmp = mkdtempSync(join(tmpdir(), 'dbtlab-stdin-'));
  const stdinFile = join(tmp, 'stdin');
  writeFileSync(stdinFile, w.stdin ?? '');
  try {
    const argv0 = `./${name}`;
    const r = runCaptured(
      createScheme(c.runtime, c.ablations),
      { elf: argv0, argv: [argv0, ...w.args], envp: [], cwd: dirname(elf), trace, deterministicClock: true },
      stdinFile,
    );
    const matchesNative = r.status === ref.status && r.stdout.equals(ref.stdout) && r.stderr.equals(ref.stderr);
    // where a scheme is expected to differ (stale code after a system call), its fix is not
    const expectedToMatch = c.syscall !== 'inside-tb' || (w.expect?.[c.runtime]?.matchesNative ?? true);
    return {
      workload: name,
      runtime: c.runtime,
      config: c.config,
      stats: r.stats,
      matchesNative,
      expectedToMatch,
      error: r.error,
      events: trace ? r.events : undefined,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
