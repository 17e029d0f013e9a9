/**
 * Runs many (workload, configuration) pairs on worker threads, one per core, and returns the
 * rows in request order, so the output never depends on which worker finished first. Two
 * runs of the same workload never overlap: programs that create files under fixed names
 * (mkstemp with the fixed AT_RANDOM/getrandom seed) would otherwise collide and retry.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RuntimeConfig } from './grid';
import type { ExperimentRow } from './run-workload';
import type { Workload } from '../workloads';

const nameOf = (w: string | Workload) => (typeof w === 'string' ? w : w.name);

export interface RunRequest {
  id: number;
  /** A built-in workload's name, or the workload itself (a user's manifest). */
  workload: string | Workload;
  config: RuntimeConfig;
  trace?: boolean;
  /** The -L directory of the run (dynamically linked workloads find their libraries there). */
  sysroot?: string;
}

export async function runPool(
  requests: Omit<RunRequest, 'id'>[],
  onDone: (done: number, total: number, row: ExperimentRow) => void = () => {},
  workers = availableParallelism(),
): Promise<ExperimentRow[]> {
  const rows: ExperimentRow[] = new Array(requests.length);
  const queue = requests.map((r, id) => ({ ...r, id }));
  // under ts-node (tests) the worker is TypeScript too
  const ts = __filename.endsWith('.ts');
  const script = join(__dirname, `run-worker.${ts ? 'ts' : 'js'}`);
  let done = 0;
  const running = new Set<string>();
  const idle: (() => void)[] = [];
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const w = new Worker(script, ts ? { execArgv: ['-r', 'ts-node/register/transpile-only'] } : {});
      let current: RunRequest | undefined;
      const next = () => {
        const i = queue.findIndex((r) => !running.has(nameOf(r.workload)));
        if (i >= 0) {
          current = queue.splice(i, 1)[0];
          running.add(nameOf(current.workload));
          w.postMessage(current);
        } else if (queue.length) idle.push(next); // wait for a workload to be released
        else void w.terminate().then(() => resolve());
      };
      w.on('message', (m: { id: number; row: ExperimentRow }) => {
        rows[m.id] = m.row;
        if (current) running.delete(nameOf(current.workload));
        onDone(++done, requests.length, m.row);
        for (const wake of idle.splice(0)) wake();
        next();
      });
      w.on('error', reject);
      next();
    });
  await Promise.all(Array.from({ length: Math.min(workers, requests.length) }, one));
  return rows;
}
