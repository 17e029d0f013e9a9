/**
 * Runs a guest with its stdio on temporary files, and reads back what it wrote. The files
 * have no name while the guest runs (created in a private directory that is removed at
 * once), so nothing is left in /tmp however dbtlab ends, SIGINT and SIGTERM included.
 */
import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuntimeScheme } from '@dbtlab/dbt-core';
import { runGuest, type GuestRunOptions, type GuestRunResult } from './run-guest';

export interface CapturedRun extends GuestRunResult {
  scheme: RuntimeScheme;
  stdout: Buffer;
  stderr: Buffer;
}

/** Two read-write files without a name (the fds keep them alive until closed). */
function anonymousFiles(): [number, number] {
  const dir = mkdtempSync(join(tmpdir(), 'dbtlab-'));
  try {
    return [openSync(join(dir, 'stdout'), 'w+'), openSync(join(dir, 'stderr'), 'w+')];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readAll(fd: number): Buffer {
  const buf = Buffer.alloc(fstatSync(fd).size);
  let done = 0;
  while (done < buf.length) {
    const n = readSync(fd, buf, done, buf.length - done, done);
    if (n === 0) break;
    done += n;
  }
  return buf.subarray(0, done);
}

export function runCaptured(
  scheme: RuntimeScheme,
  o: Omit<GuestRunOptions, 'stdin' | 'stdout' | 'stderr'>,
  stdinFile?: string,
): CapturedRun {
  const stdin = openSync(stdinFile ?? '/dev/null', 'r');
  const [stdout, stderr] = anonymousFiles();
  try {
    const r = runGuest(scheme, { ...o, stdin, stdout, stderr });
    return { ...r, scheme, stdout: readAll(stdout), stderr: readAll(stderr) };
  } finally {
    for (const fd of [stdin, stdout, stderr]) closeSync(fd);
  }
}
