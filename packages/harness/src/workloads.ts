/**
 * The built-in workloads: one manifest, workloads/workloads.json (see manifest.ts), read at
 * start-up; and what every workload, built-in or a user's, is run against. Binaries are
 * built by workloads/build.sh into workloads/build/; their expected outputs are the native
 * runs recorded by `build.sh --record` into workloads/ref/ (QEMU tests/tcg `.ref` style): the
 * oracle is the real CPU, never a hand-written string. A user's workload without a recorded
 * reference is judged against its native run, made when first needed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { loadManifest, type Workload } from './manifest';

export type { RuntimeExpectation, RuntimeName, Workload, WorkloadCategory, WorkloadKind } from './manifest';

export interface RefOutput {
  stdout: Buffer;
  stderr: Buffer;
  /** Exit status, or 128 + signal number for a program killed by a signal (shell style). */
  status: number;
}

const WORKLOADS_DIR = resolve(__dirname, '..', 'workloads');
export const BUILTIN_MANIFEST = join(WORKLOADS_DIR, 'workloads.json');
/** Where the built-in programs are built (runs go through a fixed link to it). */
export const BUILD_DIR = join(WORKLOADS_DIR, 'build');

export const WORKLOADS: readonly Workload[] = loadManifest(BUILTIN_MANIFEST);

const BY_NAME: ReadonlyMap<string, Workload> = new Map(WORKLOADS.map((w) => [w.name, w]));

export class UnknownWorkloadError extends Error {
  constructor(readonly workloadName: string) {
    super(`unknown workload '${workloadName}' (known: ${WORKLOADS.map((w) => w.name).join(', ')})`);
    this.name = 'UnknownWorkloadError';
  }
}

export class WorkloadNotBuiltError extends Error {
  constructor(
    readonly workloadName: string,
    readonly path: string,
  ) {
    super(`workload '${workloadName}' is not built: ${path} is missing (run packages/harness/workloads/build.sh)`);
    this.name = 'WorkloadNotBuiltError';
  }
}

export class MissingRefError extends Error {
  constructor(
    readonly workloadName: string,
    readonly path: string,
  ) {
    super(`no reference output for '${workloadName}': ${path} is missing (run packages/harness/workloads/build.sh --record)`);
    this.name = 'MissingRefError';
  }
}

/** A built-in workload by name; a Workload is returned as it is. */
export function getWorkload(w: string | Workload): Workload {
  if (typeof w !== 'string') return w;
  const found = BY_NAME.get(w);
  if (!found) throw new UnknownWorkloadError(w);
  return found;
}

/** Path of the i386 ELF; throws if unknown or not built. */
export function workloadPath(name: string | Workload): string {
  const w = getWorkload(name);
  if (!existsSync(w.program)) throw new WorkloadNotBuiltError(w.name, w.program);
  return w.program;
}

/** Writes the workload's files (manifest `files`) into its folder: before each run. */
export function setUpFiles(w: Workload): void {
  for (const f of w.files ?? []) writeFileSync(join(dirname(w.program), f.path), f.content);
}

/**
 * Where a run's own TMPDIR is made: always /tmp, never os.tmpdir(), so that its path has one
 * length on every machine (the guest's environment strings are on its stack: their lengths move counts).
 */
const RUN_TMPDIR_PREFIX = '/tmp/dbtlab-tmpdir-';

/**
 * The environment of one run of `w`: the manifest's, and for a workload with `tmpdir` TMPDIR, a
 * fresh directory of the run's own, which `done` removes. A program that names its temporary
 * files with mkstemp/mkdtemp draws the same name in every dbtlab run (fixed-seed randomness,
 * virtual clock), so runs at the same time in one shared /tmp would collide and one retry,
 * a count that would depend on scheduling.
 */
export function runEnv(w: Workload): { env: Record<string, string>; done: () => void } {
  if (!w.tmpdir) return { env: { ...w.env }, done: () => undefined };
  const dir = mkdtempSync(RUN_TMPDIR_PREFIX);
  return { env: { ...w.env, TMPDIR: dir }, done: () => rmSync(dir, { recursive: true, force: true }) };
}

const nativeRefs = new Map<string, RefOutput>();

/** The native output: recorded (<reference>.{stdout,stderr,status}), else run now once. */
export function refOutput(name: string | Workload): RefOutput {
  const w = getWorkload(name);
  if (w.reference === undefined) {
    const key = JSON.stringify(w);
    if (!nativeRefs.has(key)) nativeRefs.set(key, runNative(w));
    return nativeRefs.get(key)!;
  }
  const file = (ext: string) => `${w.reference}.${ext}`;
  if (!existsSync(file('status'))) throw new MissingRefError(w.name, file('status'));
  return {
    stdout: readFileSync(file('stdout')),
    stderr: readFileSync(file('stderr')),
    status: Number(readFileSync(file('status'), 'utf8').trim()),
  };
}

/** Runs the workload on the real CPU (the oracle): its environment (else empty), args, stdin, files. */
export function runNative(name: string | Workload, timeoutMs = 60_000): RefOutput {
  const w = getWorkload(name);
  setUpFiles(w);
  const { env, done } = runEnv(w);
  let r;
  try {
    r = spawnSync(workloadPath(w), [...w.args], { cwd: dirname(w.program), input: w.stdin ?? '', env, timeout: timeoutMs, maxBuffer: 64 << 20 });
  } finally {
    done();
  }
  if (r.error) throw r.error;
  let status = r.status;
  if (status === null) {
    // the host's signal numbers: x86-64 and i386 Linux number the signals alike
    status = 128 + constants.signals[r.signal as NodeJS.Signals];
  }
  // through qemu-i386 (a kernel without ia32 emulation), QEMU itself reports a fatal signal on stderr
  const stderr = i386RunsNatively() ? r.stderr : Buffer.from(r.stderr.toString('latin1').replace(QEMU_FATAL_SIGNAL, ''), 'latin1');
  return { stdout: r.stdout, stderr, status };
}

const QEMU_FATAL_SIGNAL = /^qemu: uncaught target signal \d+ \([^)]*\) - core dumped\n/m;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { i386RunsNatively } = require(resolve(WORKLOADS_DIR, '..', '..', '..', 'tools', 'host-runs-i386.cjs')) as { i386RunsNatively: () => boolean };
