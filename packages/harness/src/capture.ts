/** Runs a guest with its stdio on temporary files, and reads back what it wrote. */
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuntimeScheme } from '@dbtlab/dbt-core';
import { runGuest, type GuestRunOptions, type GuestRunResult } from './run-guest';

export interface CapturedRun extends GuestRunResult {
  stdout: Buffer;
  stderr: Buffer;
}

export function runCaptured(
  scheme: RuntimeScheme,
  o: Omit<GuestRunOptions, 'stdin' | 'stdout' | 'stderr'>,
  stdinFile?: string,
): CapturedRun {
  const dir = mkdtempSync(join(tmpdir(), 'dbtlab-'));
  const outPath = join(dir, 'stdout');
  const errPath = join(dir, 'stderr');
  const fds = {
    stdin: openSync(stdinFile ?? '/dev/null', 'r'),
    stdout: openSync(outPath, 'w'),
    stderr: openSync(errPath, 'w'),
  };
  try {
    const r = runGuest(scheme, { ...o, ...fds });
    return { ...r, stdout: readFileSync(outPath), stderr: readFileSync(errPath) };
  } finally {
    for (const fd of Object.values(fds)) closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
}
