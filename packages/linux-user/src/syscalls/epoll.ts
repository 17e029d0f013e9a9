/**
 * epoll: epoll_create/create1, epoll_ctl, epoll_wait, epoll_pwait, epoll_pwait2. An epoll
 * instance is an anon file holding an interest list keyed, as in Linux, by (open file
 * description, fd): closing one fd of a dup'd description leaves the entry, releasing the
 * description removes it. Readiness is each file's poll mask (readiness.ts).
 *
 * The ready list is kept as Linux's rdllist is: a file that becomes ready joins its tail, a
 * level-triggered one goes back to the tail after it is reported, so a maxevents smaller
 * than the ready set takes them round-robin. Edge-triggered entries report a readiness bit
 * when it appears between two looks (a file that stays readable while more data arrives
 * is not reported again; Linux would, on each wakeup). EPOLLONESHOT disables after one report.
 */
import { anonOf, installAnon, type AnonFile } from '../anon-file';
import { EBADF, EEXIST, EINVAL, ENOENT, EPERM } from '../errno';
import { OpenFile, O_CLOEXEC, O_PATH, O_RDWR } from '../fd-table';
import type { LinuxProcess } from '../process';
import { POLLERR, POLLHUP, POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM, readiness, readSigmask, waitReady, wakesOf } from '../readiness';
import { monotonic, readTimespec } from './time';
import type { SyscallArgs } from '../syscall-args';

const EPOLL_CTL_ADD = 1;
const EPOLL_CTL_DEL = 2;
const EPOLL_CTL_MOD = 3;
const EPOLLEXCLUSIVE = 1 << 28;
const EPOLLWAKEUP = 1 << 29;
const EPOLLONESHOT = 1 << 30;
const EPOLLET = 1 << 31;
/** The bits that are modes, not events (EP_PRIVATE_BITS). */
const PRIVATE_BITS = EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE;
/** struct epoll_event is packed on x86: u32 events, u64 data. */
const EVENT_SIZE = 12;
/** The bits a reader's wake-up (data, hang-up) and a writer's (room) bring. */
const IN_EDGE = POLLIN | POLLRDNORM | POLLHUP | POLLERR | 0x2000; /* EPOLLRDHUP */
const OUT_EDGE = POLLOUT | POLLWRNORM | POLLERR;
const EP_MAX_EVENTS = Math.floor(0x7fffffff / EVENT_SIZE);

interface EpollEntry {
  fd: number;
  file: OpenFile;
  events: number;
  data: Uint8Array;
  /** The readiness seen at the last look (edge-triggered: what is new since). */
  seen: number;
  /** The file's wake-ups at the last look: one since is a new edge for its bits. */
  wakesIn: number;
  wakesOut: number;
  queued: boolean;
}

export class Epoll implements AnonFile {
  readonly name = '[eventpoll]';
  readonly entries: EpollEntry[] = [];
  private readyList: EpollEntry[] = [];

  find(fd: number, file: OpenFile): EpollEntry | undefined {
    return this.entries.find((e) => e.fd === fd && e.file === file);
  }

  remove(e: EpollEntry): void {
    this.entries.splice(this.entries.indexOf(e), 1);
    this.readyList = this.readyList.filter((r) => r !== e);
  }

  /** The entries whose file is ready for what they wait for, in ready-list order (ep_poll_callback's queueing). */
  private collect(): void {
    for (const e of this.entries.slice()) {
      if (e.file.refs === 0) {
        this.remove(e); // the description was released (eventpoll_release)
        continue;
      }
      const now = readiness(e.file) & e.events;
      // a new edge: a bit that appeared, or a wake-up for its side (more data, more room)
      const w = wakesOf(e.file);
      const woke = (w.in !== e.wakesIn ? IN_EDGE : 0) | (w.out !== e.wakesOut ? OUT_EDGE : 0);
      const fresh = now & (~e.seen | woke);
      e.seen = now;
      e.wakesIn = w.in;
      e.wakesOut = w.out;
      if (!e.queued && (e.events & EPOLLET ? fresh : now)) {
        e.queued = true;
        this.readyList.push(e);
      }
    }
  }

  /** Takes up to `max` events (ep_send_events): {events, data} pairs. */
  take(max: number): Uint8Array[] {
    this.collect();
    const out: Uint8Array[] = [];
    const again: EpollEntry[] = [];
    while (out.length < max && this.readyList.length > 0) {
      const e = this.readyList.shift()!;
      e.queued = false;
      const revents = readiness(e.file) & e.events;
      if (!revents) continue;
      const ev = new Uint8Array(EVENT_SIZE);
      new DataView(ev.buffer).setUint32(0, revents, true);
      ev.set(e.data, 4);
      out.push(ev);
      if (e.events & EPOLLONESHOT) e.events &= PRIVATE_BITS;
      else if (!(e.events & EPOLLET)) again.push(e);
    }
    for (const e of again) {
      e.queued = true;
      this.readyList.push(e);
    }
    return out;
  }

  read(): number {
    return -EINVAL;
  }

  write(): number {
    return -EINVAL;
  }

  /** Readable while the ready list holds an entry still ready (ep_eventpoll_poll). */
  poll(): number {
    this.collect();
    return this.readyList.some((e) => readiness(e.file) & e.events) ? POLLIN | POLLRDNORM : 0;
  }
}

function create(p: LinuxProcess, flags: number): number {
  if (flags & ~O_CLOEXEC) return -EINVAL;
  return installAnon(p, new Epoll(), O_RDWR, (flags & O_CLOEXEC) !== 0);
}
export const sysEpollCreate = (p: LinuxProcess, a: SyscallArgs): number => ((a[0] | 0) <= 0 ? -EINVAL : create(p, 0));
export const sysEpollCreate1 = (p: LinuxProcess, a: SyscallArgs): number => create(p, a[0]);

/** epoll_ctl(epfd, op, fd, event), checked in do_epoll_ctl's order. */
export function sysEpollCtl(p: LinuxProcess, a: SyscallArgs): number {
  const [op, fd] = [a[1], a[2] | 0];
  const event = op !== EPOLL_CTL_DEL ? p.mem.readBytes(a[3], EVENT_SIZE) : undefined;
  const epFile = p.fds.get(a[0] | 0);
  const target = p.fds.get(fd);
  // fdget: an O_PATH descriptor is none, for either
  if (!epFile || !target || (epFile.flags | target.flags) & O_PATH) return -EBADF;
  // regular files and directories have no poll: epoll refuses them
  if (target.kind === 'file' || target.kind === 'dir') return -EPERM;
  const ep = anonOf(p, a[0] | 0, Epoll);
  if (!ep || epFile === target) return -EINVAL;
  const existing = ep.find(fd, target);
  const events = event ? new DataView(event.buffer).getUint32(0, true) : 0;
  switch (op) {
    case EPOLL_CTL_ADD:
      if (existing) return -EEXIST;
      ep.entries.push({ fd, file: target, events: (events & ~EPOLLWAKEUP) | POLLERR | POLLHUP, data: event!.slice(4), seen: 0, queued: false, wakesIn: wakesOf(target).in, wakesOut: wakesOf(target).out });
      return 0;
    case EPOLL_CTL_DEL:
      if (!existing) return -ENOENT;
      ep.remove(existing);
      return 0;
    case EPOLL_CTL_MOD:
      if (!existing) return -ENOENT;
      if (events & EPOLLEXCLUSIVE || existing.events & EPOLLEXCLUSIVE) return -EINVAL;
      existing.events = (events & ~EPOLLWAKEUP) | POLLERR | POLLHUP;
      existing.data = event!.slice(4);
      existing.seen = 0;
      return 0;
    default:
      return -EINVAL;
  }
}

/** do_epoll_wait: `until` undefined waits forever; `mask` is epoll_pwait's. */
function epollWait(p: LinuxProcess, epfd: number, events: number, max: number, timeout: bigint | undefined, mask: bigint | undefined): number {
  if ((max | 0) <= 0 || max > EP_MAX_EVENTS) return -EINVAL;
  if (!p.fds.get(epfd)) return -EBADF;
  const ep = anonOf(p, epfd, Epoll);
  if (!ep) return -EINVAL;
  let got = ep.take(max);
  if (got.length === 0 && timeout !== 0n) {
    const until = timeout === undefined ? undefined : p.callStart() + timeout;
    for (;;) {
      const r = waitReady(p, () => ep.poll() !== 0, mask, until, ep.entries.map((e) => e.file));
      if (r < 0) return r;
      got = ep.take(max);
      // an edge already consumed or a one-shot entry: nothing to report yet, wait on
      if (got.length > 0 || (until !== undefined && monotonic(p) >= until)) break;
    }
  }
  p.mem.writeBytes(events, Buffer.concat(got));
  return got.length;
}

const msTimeout = (ms: number): bigint | undefined => ((ms | 0) < 0 ? undefined : BigInt(ms | 0) * 1_000_000n);

export const sysEpollWait = (p: LinuxProcess, a: SyscallArgs): number => epollWait(p, a[0] | 0, a[1], a[2], msTimeout(a[3]), undefined);

/** epoll_pwait(epfd, events, maxevents, timeout ms, sigmask, sigsetsize) */
export function sysEpollPwait(p: LinuxProcess, a: SyscallArgs): number {
  const mask = readSigmask(p, a[4], a[5]);
  if (typeof mask === 'number') return mask;
  return epollWait(p, a[0] | 0, a[1], a[2], msTimeout(a[3]), mask);
}

/** epoll_pwait2(epfd, events, maxevents, struct __kernel_timespec *, sigmask, sigsetsize) */
export function sysEpollPwait2(p: LinuxProcess, a: SyscallArgs): number {
  let timeout: bigint | undefined;
  if (a[3] !== 0) {
    const t = readTimespec(p, a[3], true);
    if (typeof t === 'number') return t;
    timeout = t;
  }
  const mask = readSigmask(p, a[4], a[5]);
  if (typeof mask === 'number') return mask;
  return epollWait(p, a[0] | 0, a[1], a[2], timeout, mask);
}
