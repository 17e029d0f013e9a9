/**
 * What a descriptor is ready for (the poll mask its f_op->poll reports), shared by poll,
 * select and epoll, and the wait of a system call that blocks until something is ready.
 */
import { EINTR, EINVAL, ERESTARTSYS } from './errno';
import { OpenFile, O_ACCMODE, O_RDONLY, O_WRONLY } from './fd-table';
import { fifoReadiness } from './fifo';
import { hostPoll } from './host-poll';
import type { LinuxProcess } from './process';
import { UNBLOCKABLE } from './signal';

const SIGSET_SIZE = 8;

export { POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT, POLLPRI, POLLRDNORM, POLLWRNORM } from './poll-events';
import { POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM, POLLERR, POLLHUP } from './poll-events';

/** What a host stream is polled for: its access mode's directions. */
function streamEvents(f: OpenFile): number {
  const mode = f.flags & O_ACCMODE;
  return (mode !== O_WRONLY ? POLLIN : 0) | (mode !== O_RDONLY ? POLLOUT : 0);
}

/** A host stream's mask with the RDNORM/WRNORM twins poll(2) reports beside IN/OUT. */
function withNorm(m: number): number {
  return m | (m & POLLIN ? POLLRDNORM : 0) | (m & POLLOUT ? POLLWRNORM : 0);
}

/**
 * The poll mask of an open file: regular files and directories are always ready, a guest
 * pipe by its buffer and its other end, an anon file by its own rule, a host stream as the
 * host's epoll sees it (host-poll.ts).
 */
export function readiness(f: OpenFile): number {
  if (f.anon) return f.anon.poll();
  if (f.kind === 'stream') {
    const m = hostPoll([{ fd: f.hostFd, events: streamEvents(f) }], 0n)[0];
    return withNorm(f.fifo ? fifoReadiness(f, m) : m);
  }
  if (!f.pipe) return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM;
  const pipe = f.pipe;
  if ((f.flags & O_ACCMODE) === O_WRONLY) {
    let m = pipe.readers === 0 ? POLLERR : 0;
    if (pipe.freeSlots > 0) m |= POLLOUT | POLLWRNORM;
    return m;
  }
  let m = pipe.length > 0 ? POLLIN | POLLRDNORM : 0;
  if (pipe.writers === 0) m |= POLLHUP;
  return m;
}

/**
 * How to wait for the host streams among `files` (undefined: none): until one is ready for
 * its direction or `ms` passes.
 */
function hostWaitOn(files: readonly OpenFile[]): ((ms: number | undefined) => void) | undefined {
  const reqs = files.filter((f) => f.kind === 'stream').map((f) => ({ fd: f.hostFd, events: streamEvents(f) }));
  if (reqs.length === 0) return undefined;
  return (ms) => void hostPoll(reqs, ms === undefined ? undefined : BigInt(Math.round(ms * 1e6)));
}

/** The wake-ups of a description's wait queue so far (edge-triggered epoll); none for files and host streams. */
export function wakesOf(f: OpenFile): { in: number; out: number } {
  return f.pipe?.wakes ?? f.anon?.wakes ?? NO_WAKES;
}
const NO_WAKES = { in: 0, out: 0 };

/**
 * Blocks the calling system call until `ready()` holds or the monotonic clock reaches
 * `until` (0: the caller looks again), or a signal not blocked by `mask` (default: the
 * blocked set) would interrupt it (-EINTR, or -ERESTARTSYS for the calls that give it, `restart`: the reads of
 * eventfd, signalfd, timerfd and inotify, eventfd's write, the socket calls without a timeout
 * (sock_intr_errno); the dispatcher then runs the call again after an SA_RESTART handler; a call's own mask, as ppoll, pselect6 and
 * epoll_pwait give, then stays installed until the handler's frame saves it). With nothing
 * that could ever make it ready, Linux would block forever: GuestDeadlock (LinuxProcess.waitFor).
 * The host streams among `files` are waited on for real (data comes in real time).
 */
export function waitReady(p: LinuxProcess, ready: () => boolean, mask?: bigint, until?: bigint, files: readonly OpenFile[] = [], restart = false): number {
  const m = mask ?? p.signals.blocked;
  if (!p.waitFor(() => ready() || p.wakingSignal(m), until, hostWaitOn(files), restart) || ready()) return 0;
  if (mask !== undefined) {
    p.signals.savedMask = p.signals.blocked;
    p.signals.blocked = m;
  }
  return restart ? -ERESTARTSYS : -EINTR;
}

/** The signal mask a call installs while it waits (ppoll, pselect6, epoll_pwait): undefined for NULL, -EINVAL for a size other than 8. */
export function readSigmask(p: LinuxProcess, addr: number, size: number): bigint | number | undefined {
  if (addr === 0) return undefined;
  if (size !== SIGSET_SIZE) return -EINVAL;
  return new DataView(p.mem.readBytes(addr, SIGSET_SIZE).buffer).getBigUint64(0, true) & ~UNBLOCKABLE;
}
