/**
 * `dbtlab run` executes the guest on a worker thread so that the main thread stays free to
 * receive the signals sent to dbtlab (SIGTERM, SIGINT, SIGHUP, SIGWINCH ...): Node runs a
 * signal listener only when its event loop turns, which a synchronous guest run never lets it
 * do. The main thread counts each signal in a SharedArrayBuffer (the host-signal cell) and
 * wakes the worker with Atomics.notify; the guest takes it at its next TB boundary or wait
 * (LinuxProcess.pollEvents / waitFor). A child process would not do: the signals are sent to
 * dbtlab's pid, and the guest's descriptors are dbtlab's.
 */
import { createHash } from 'node:crypto';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve, sep } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import type { ParsedArgs } from './cli/parse-args';
import { installCodeCache, pruneCodeCaches } from './code-cache';
import type { RunOutcome } from './commands/run';

interface RunRequest {
  args: ParsedArgs;
  /** host fds of the guest's 0, 1, 2 (-1: closed) */
  stdio: number[];
  /** dbtlab's environment in its order (a worker's process.env is a copy in another order) */
  env: string[];
}

/**
 * The signals relayed to the guest: every catchable one Node can listen to, but SIGCHLD
 * (dbtlab's own helper processes) and the stop signals (a terminal's ^Z stops dbtlab, the
 * whole guest tree with it); SIGCONT goes on to the guests too (a stopped guest waits for it).
 */
const RELAYED_SIGNALS: ReadonlyArray<[NodeJS.Signals, number]> = [
  ['SIGHUP', 1], ['SIGINT', 2], ['SIGQUIT', 3], ['SIGUSR1', 10], ['SIGUSR2', 12], ['SIGALRM', 14], ['SIGTERM', 15], ['SIGCONT', 18],
  ['SIGURG', 23], ['SIGVTALRM', 26], ['SIGPROF', 27], ['SIGWINCH', 28], ['SIGIO', 29], ['SIGPWR', 30],
];
/**
 * V8's sampling profiler (node --cpu-prof, --prof) sends SIGPROF to its own threads: a listener
 * would take those and relay them to the guest, which dies of them. Not relayed when profiling.
 */
const PROFILING = process.execArgv.some((a) => a.startsWith('--cpu-prof') || a === '--prof');

/**
 * After a full collection V8 lets the old generation grow to up to 4x what survived it before the
 * next one (its growing factor, from the collector's speed). A guest tree makes garbage in steps
 * (a forked child's TB copies and engine once it execs, a finished process's blocks), so the peak
 * was mostly that slack: bench:rss's bash-static line peaked at 422 MB with ~85 MB live. A fixed
 * 1.5x: 244 MB (dash 385 -> 235, busybox loop 250 -> 154), for more frequent full collections
 * (CPU +10-40% on the longer lines, one run each on a loaded machine). 1.3x gave 217 MB, same CPU.
 */
const HEAP_GROWING_PERCENT = 50;

/** dbtlab's own modules: the packages of this build (code-cache.ts). */
const PACKAGES = resolve(__dirname, '../..') + sep;

/** Where the worker's code caches live: under the user's cache directory. */
function codeCacheRoot(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache');
  return join(base, 'dbtlab', 'code-cache');
}

/** This build's code cache: a folder per V8 version and host, then one per build directory. */
function codeCacheDir(): string {
  const build = createHash('sha256').update(PACKAGES).digest('hex').slice(0, 16);
  return join(codeCacheRoot(), `v8-${process.versions.v8}-${process.arch}`, build);
}

/** The build directories whose caches are kept (the ones used last): ~1.8 MB each. */
const CODE_CACHES_KEPT = 8;

/** Word 0 is bumped on every signal (the worker waits on it), word s counts signal s. */
const CELL_WORDS = 65;

/** Runs the request on a worker, relaying the host's signals to it meanwhile. */
export function runOnWorker(req: RunRequest): Promise<RunOutcome> {
  const hostSignals = new SharedArrayBuffer(4 * CELL_WORDS);
  const cell = new Int32Array(hostSignals);
  const listeners = RELAYED_SIGNALS.filter(([name]) => !(PROFILING && name === 'SIGPROF')).map(([name, nr]) => {
    const fn = (): void => {
      Atomics.add(cell, nr, 1);
      Atomics.add(cell, 0, 1);
      Atomics.notify(cell, 0);
    };
    process.on(name, fn);
    return [name, fn] as const;
  });
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  // a small young generation: most of a guest's allocations (blocks, translations) live as long as
  // its process, and V8's default young generation (up to 48 MB) only added to the peak (busybox
  // sh -c 'seq | wc; echo | tr': 218 -> 195 MB peak RSS, dash pipeline 624 -> 539 MB, CPU within noise)
  const worker = new Worker(__filename, { workerData: { ...req, hostSignals }, resourceLimits: { maxYoungGenerationSizeMb: 3 } });
  return new Promise<RunOutcome>((resolve, reject) => {
    let outcome: RunOutcome | undefined;
    worker.on('message', (m: RunOutcome) => (outcome = m));
    worker.on('error', reject);
    worker.on('exit', () => (outcome ? resolve(outcome) : reject(new Error('the guest worker ended without a result'))));
  }).finally(() => {
    for (const [name, fn] of listeners) process.off(name, fn);
  });
}

const data = workerData as (RunRequest & { hostSignals: SharedArrayBuffer }) | undefined;
if (parentPort && data?.hostSignals) {
  // only the worker loads the runtimes (the main thread loads this file for runOnWorker)
  const cache = installCodeCache(codeCacheDir(), (file) => file.startsWith(PACKAGES) && !file.includes(`${sep}node_modules${sep}`));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runInThisThread } = require('./commands/run-thread') as typeof import('./commands/run-thread');
  const outcome = runInThisThread(data.args, data.stdio, data.env, new Int32Array(data.hostSignals));
  cache.save();
  pruneCodeCaches(codeCacheRoot(), CODE_CACHES_KEPT);
  parentPort.postMessage(outcome);
}
