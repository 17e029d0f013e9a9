/** One workload in one configuration, checked against its native reference output. */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readlinkSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import type { TraceEvent } from '@dbtlab/dbt-core';
import { runCaptured } from '../capture';
import type { StatsRow } from '../csv';
import { createScheme } from '../runtimes';
import { BUILD_DIR, getWorkload, refOutput, runEnv, setUpFiles, workloadPath, type Workload } from '../workloads';
import type { RuntimeConfig } from './grid';

export interface ExperimentRow extends StatsRow {
  matchesNative: boolean;
  expectedToMatch: boolean;
  error?: string;
  events?: TraceEvent[];
}

/**
 * The guest sees its working directory and executable path (getcwd, /proc/self/exe, which
 * static glibc reads at start-up), so runs go through a fixed link to the build directory:
 * the counts must not depend on where the checkout lives. One link per checkout (a hash of
 * its build directory), so two checkouts running at once do not run each other's programs;
 * always 21 characters, as the single /tmp/dbtlab-workloads link of before was, so a path's
 * length, which is what start-up code's loops depend on, stays the same on every machine.
 */
export function stableWorkloadDir(buildDir: string): string {
  const link = `/tmp/dbtlab-${createHash('sha256').update(buildDir).digest('hex').slice(0, 9)}`;
  try {
    if (readlinkSync(link) === buildDir) return link;
  } catch {
    // absent: create it below
  }
  // atomic replace: worker threads may race to create it
  const tmp = `${link}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  symlinkSync(buildDir, tmp);
  renameSync(tmp, link);
  removeDanglingWorkloadLinks();
  return link;
}

/**
 * A checkout that is deleted (a CI clone, a worktree) leaves its link behind: when a new link is
 * made, the links whose build directory is gone are removed, so /tmp holds one per live checkout.
 */
function removeDanglingWorkloadLinks(): void {
  for (const name of readdirSync('/tmp')) {
    if (!/^dbtlab-[0-9a-f]{9}$/.test(name)) continue;
    const link = `/tmp/${name}`;
    try {
      if (!existsSync(link)) unlinkSync(link);
    } catch {
      // another checkout removed or replaced it meanwhile
    }
  }
}

/** Where a workload runs: its program's folder, through the fixed link when it is in the build tree. */
export function workloadCwd(elf: string): string {
  const dir = dirname(elf);
  const inBuild = relative(BUILD_DIR, dir);
  return inBuild.startsWith('..') || isAbsolute(inBuild) ? dir : join(stableWorkloadDir(BUILD_DIR), inBuild);
}

/**
 * Runs from the workload's directory with an empty environment and the virtual clock: the
 * same counts on every run and every machine.
 */
export function runWorkload(which: string | Workload, c: RuntimeConfig, trace = false, sysroot?: string): ExperimentRow {
  const w = getWorkload(which);
  const name = w.name;
  const elf = workloadPath(w);
  const ref = refOutput(w);
  const tmp = mkdtempSync(join(tmpdir(), 'dbtlab-stdin-'));
  const stdinFile = join(tmp, 'stdin');
  writeFileSync(stdinFile, w.stdin ?? '');
  const { env, done } = runEnv(w);
  try {
    const argv0 = `./${basename(elf)}`;
    const cwd = workloadCwd(elf);
    const envp = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    setUpFiles(w);
    const r = runCaptured(
      createScheme(c.runtime, c.ablations),
      { elf: argv0, argv: [argv0, ...w.args], envp, sysroot: w.sysroot ?? sysroot, cpu: w.cpu, cwd, trace, deterministicClock: true, vdso: c.vdso },
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
    done();
    rmSync(tmp, { recursive: true, force: true });
  }
}
