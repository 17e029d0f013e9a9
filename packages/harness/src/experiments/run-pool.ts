/**
 * Runs many (workload, configuration) pairs on worker threads, one per core, and returns the
 * rows in request order, so the output never depends on which worker finished first.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { RuntimeConfig } from './grid';
import type { ExperimentRow } from './run-workload';

export interface RunRequest {
  id: number;
  workload: string;
  config: RuntimeConfig;
  trace?: boolean;
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
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const w = new Worker(script, ts ? { execArgv: ['-r', 'ts-node/register/transpile-only'] } : {});
      const next = () => {
        const req = queue.shift();
        if (req) w.postMessage(req);
        else void w.terminate().then(() => resolve());
      };
      w.on('message', (m: { id: number; row: ExperimentRow }) => {
        rows[m.id] = m.row;
        onDone(++done, requests.length, m.row);
        next();
      });
      w.on('error', reject);
      next();
    });
  await Promise.all(Array.from({ length: Math.min(workers, requests.length) }, one));
  return rows;
}
