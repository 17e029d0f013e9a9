/**
 * Runs a guest with its stdio on temporary files, and reads back what it wrote. The files
 * have no name (O_TMPFILE), so nothing is left in /tmp however dbtlab ends, SIGINT and SIGTERM
 * included.
 */
import { closeSync, constants, fstatSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RuntimeScheme } from '@dbtlab/dbt-core';
import { runGuest, type GuestRunOptions, type GuestRunResult } from './run-guest';

export interface CapturedRun extends GuestRunResult {
  scheme: RuntimeScheme;
  stdout: Buffer;
  stderr: Buffer;
}

/** Linux's O_TMPFILE (__O_TMPFILE | O_DIRECTORY): a file made without a name in a directory. */
const O_TMPFILE = 0o20000000 | constants.O_DIRECTORY;

/**
 * A read-write file without a name (the fd keeps it alive until closed): O_TMPFILE, so no name
 * exists at any moment a signal could end dbtlab; where the filesystem refuses it, a file made in a
 * private directory removed at once.
 */
function anonymousFile(name: string): number {
  try {
    return openSync(tmpdir(), O_TMPFILE | constants.O_RDWR, 0o600);
  } catch {
    const dir = mkdtempSync(join(tmpdir(), 'dbtlab-'));
    try {
      return openSync(join(dir, name), 'w+');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
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
  const [stdout, stderr] = [anonymousFile('stdout'), anonymousFile('stderr')];
  try {
    const r = runGuest(scheme, { ...o, stdin, stdout, stderr });
    return { ...r, scheme, stdout: readAll(stdout), stderr: readAll(stderr) };
  } finally {
    for (const fd of [stdin, stdout, stderr]) closeSync(fd);
  }
}
