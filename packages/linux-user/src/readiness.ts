/**
 * What a descriptor is ready for (the poll mask its f_op->poll reports), shared by poll,
 * select and epoll, and the wait of a system call that blocks until something is ready.
 */
import { EINTR } from './errno';
import { OpenFile, O_ACCMODE, O_WRONLY, PIPE_BUF, PIPE_CAPACITY } from './fd-table';
import type { LinuxProcess } from './process';

export const POLLIN = 0x1;
export const POLLPRI = 0x2;
export const POLLOUT = 0x4;
export const POLLERR = 0x8;
export const POLLHUP = 0x10;
export const POLLNVAL = 0x20;
export const POLLRDNORM = 0x40;
export const POLLWRNORM = 0x100;

/**
 * The poll mask of an open file: regular files and directories are always ready, a guest
 * pipe by its buffer and its other end, an anon file by its own rule; a host stream is
 * reported ready (a read or write on it then blocks as the guest expects).
 */
export function readiness(f: OpenFile): number {
  if (f.anon) return f.anon.poll();
  if (!f.pipe) return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM;
  const pipe = f.pipe;
  if ((f.flags & O_ACCMODE) === O_WRONLY) {
    let m = pipe.readers === 0 ? POLLERR : 0;
    if (PIPE_CAPACITY - pipe.length >= PIPE_BUF) m |= POLLOUT | POLLWRNORM;
    return m;
  }
  let m = pipe.length > 0 ? POLLIN | POLLRDNORM : 0;
  if (pipe.writers === 0) m |= POLLHUP;
  return m;
}

/**
 * Blocks the calling system call until `ready()` holds or the monotonic clock reaches
 * `until` (0: the caller looks again), or a signal not blocked by `mask` (default: the
 * blocked set) would interrupt it (-EINTR; a call's own mask, as ppoll, pselect6 and
 * epoll_pwait give, then stays installed until the handler's frame saves it). With nothing
 * that could ever make it ready, Linux would block forever: GuestDeadlock (LinuxProcess.waitFor).
 */
export function waitReady(p: LinuxProcess, ready: () => boolean, mask?: bigint, until?: bigint): number {
  const m = mask ?? p.signals.blocked;
  if (!p.waitFor(() => ready() || p.wakingSignal(m), until) || ready()) return 0;
  if (mask !== undefined) {
    p.signals.savedMask = p.signals.blocked;
    p.signals.blocked = m;
  }
  return -EINTR;
}
