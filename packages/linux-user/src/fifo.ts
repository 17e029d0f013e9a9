/**
 * Named pipes (FIFOs) opened by guests. The bytes go through the host's FIFO, so a host
 * process at the other end works too, but its host fd is always opened non-blocking: a guest
 * that waits for the other end, for bytes or for room must not hold the host thread, because
 * the other end may be another guest of the same tree. The guests' ends are also counted here
 * per FIFO (fifo_open's readers, writers, r_counter and w_counter), for what the host cannot
 * tell through Node: a writer still waiting in open (it has no host fd yet), and whether the
 * writers left while bytes remain (POLLHUP beside POLLIN, which uvwasi's poll does not report).
 */
import { closeSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { EAGAIN, ENXIO, EPIPE, errnoOfHostError } from './errno';
import { O_ACCMODE, O_NONBLOCK, O_RDONLY, O_RDWR, O_WRONLY, type OpenFile } from './fd-table';
import { hostPoll } from './host-poll';
import { POLLHUP, POLLIN } from './poll-events';
import type { LinuxProcess } from './process';
import { WouldBlock } from './would-block';

/** The guests' ends of one FIFO (by host device and inode). */
class FifoEnds {
  readers = 0;
  writers = 0;
  rCounter = 0;
  wCounter = 0;
  constructor(readonly key: string) {}
}
const fifos = new Map<string, FifoEnds>();

/** One open file description's end of a FIFO. */
export class FifoEnd {
  /** A reader opened without a writer sees POLLHUP only once a writer came and left (f_pipe). */
  readonly version: number;
  constructor(
    readonly ends: FifoEnds,
    readonly mode: number,
    nonblock: boolean,
  ) {
    if (mode !== O_WRONLY) {
      ends.readers++;
      ends.rCounter++;
    }
    if (mode !== O_RDONLY) {
      ends.writers++;
      ends.wCounter++;
    }
    this.version = nonblock && mode === O_RDONLY && ends.writers === 0 ? ends.wCounter : -1;
  }

  release(): void {
    if (this.mode !== O_WRONLY) this.ends.readers--;
    if (this.mode !== O_RDONLY) this.ends.writers--;
    if (this.ends.readers + this.ends.writers === 0) fifos.delete(this.ends.key);
  }
}

/** The path names a FIFO (followed unless O_NOFOLLOW asks not to). */
export function isFifoPath(path: string, flags: number): boolean {
  const NOFOLLOW = 0o400000;
  try {
    return statSync(path, { throwIfNoEntry: false })?.isFIFO() === true && !(flags & NOFOLLOW);
  } catch {
    return false;
  }
}

/** An open still waiting for the other end (its end already counted, as Linux counts it while it waits). */
interface PendingOpen {
  end: FifoEnd;
  hostFd: number | undefined;
  wCounter: number;
}
const pendingOpens = new WeakMap<LinuxProcess, PendingOpen>();

function openHost(path: string, flags: number): number | undefined {
  try {
    return openSync(path, flags | O_NONBLOCK);
  } catch (e) {
    if (errnoOfHostError(e) === ENXIO) return undefined;
    throw e;
  }
}

/**
 * fifo_open: O_RDWR never waits; a reader waits for a writer unless O_NONBLOCK; a writer
 * waits for a reader, or with O_NONBLOCK fails with ENXIO. `install` makes the description.
 * The wait is the scheduler's (WouldBlock, looked at again on the host's clock: a host
 * process may be the other end).
 */
export function openFifo(p: LinuxProcess, path: string, flags: number, install: (hostFd: number, end: FifoEnd) => number): number {
  const mode = flags & O_ACCMODE;
  const nonblock = (flags & O_NONBLOCK) !== 0;
  let pending = pendingOpens.get(p);
  pendingOpens.delete(p);
  if (!pending) {
    const hostFd = openHost(path, flags);
    if (hostFd === undefined && nonblock) return -ENXIO;
    const st = statSync(path, { bigint: true });
    const key = `${st.dev}:${st.ino}`;
    let ends = fifos.get(key);
    if (!ends) fifos.set(key, (ends = new FifoEnds(key)));
    pending = { end: new FifoEnd(ends, mode, nonblock), hostFd, wCounter: ends.wCounter };
  }
  const { end } = pending;
  if (mode === O_WRONLY) pending.hostFd ??= openHost(path, flags);
  // a reader's partner: a guest writer came (w_counter moved) or a host one wrote or left
  const ready =
    mode === O_WRONLY
      ? pending.hostFd !== undefined
      : mode === O_RDWR || nonblock || end.ends.writers > 0 || end.ends.wCounter !== pending.wCounter || hostPoll([{ fd: pending.hostFd!, events: POLLIN }], 0n)[0] !== 0;
  if (ready) return install(pending.hostFd!, end);
  const waiting = pending;
  pendingOpens.set(p, waiting);
  const cancel = (): void => {
    pendingOpens.delete(p);
    waiting.end.release();
    if (waiting.hostFd !== undefined) closeSync(waiting.hostFd);
  };
  throw new WouldBlock(`open of a FIFO for ${mode === O_WRONLY ? 'writing' : 'reading'}`, undefined, cancel, false, undefined, true, true);
}

/**
 * read(2) on a FIFO: bytes, or at its end (no writer left, the guests' own counted too) 0;
 * with writers but nothing to read -EAGAIN or a wait.
 */
export function fifoRead(file: OpenFile, len: number): Uint8Array | number {
  const buf = Buffer.alloc(len);
  let n: number;
  try {
    n = readSync(file.hostFd, buf, 0, len, null);
  } catch (e) {
    if (errnoOfHostError(e) !== EAGAIN) throw e;
    n = -1;
  }
  if (n > 0 || len === 0 || (n === 0 && file.fifo!.ends.writers === 0)) return buf.subarray(0, Math.max(n, 0));
  if (file.flags & O_NONBLOCK) return -EAGAIN;
  throw new WouldBlock('read from an empty FIFO', undefined, undefined, false, undefined, true, true);
}

/**
 * write(2) on a FIFO: what the host takes (all of it up to PIPE_BUF, atomically), -EPIPE
 * with no reader; a blocking write to a full FIFO waits. A larger write may return a short
 * count where Linux would sleep until all of it is written.
 */
export function fifoWrite(file: OpenFile, bytes: Uint8Array): number {
  let n: number;
  try {
    n = writeSync(file.hostFd, bytes, 0, bytes.length, null);
  } catch (e) {
    const errno = errnoOfHostError(e);
    if (errno === EPIPE) return -EPIPE;
    if (errno !== EAGAIN) throw e;
    n = 0;
  }
  if (n > 0 || bytes.length === 0) return n;
  if (file.flags & O_NONBLOCK) return -EAGAIN;
  throw new WouldBlock('write to a full FIFO', undefined, undefined, false, undefined, true, true);
}

/** The host's poll mask of a FIFO's read end, with the guests' writers taken into account. */
export function fifoReadiness(file: OpenFile, hostMask: number): number {
  const end = file.fifo!;
  if (end.mode === O_WRONLY) return hostMask;
  if (end.ends.writers > 0) return hostMask & ~POLLHUP;
  return end.ends.wCounter !== end.version && hostMask & POLLIN ? hostMask | POLLHUP : hostMask;
}
