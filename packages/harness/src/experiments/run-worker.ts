/** A worker thread of the experiment pool: runs the (workload, configuration) it is sent. */
import { parentPort } from 'node:worker_threads';
import { runWorkload } from './run-workload';
import type { RunRequest } from './run-pool';

parentPort?.on('message', (req: RunRequest) => {
  parentPort?.postMessage({ id: req.id, row: runWorkload(req.workload, req.config, req.trace, req.sysroot) });
});
