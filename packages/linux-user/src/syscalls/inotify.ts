/**
 * inotify_init, inotify_init1, inotify_add_watch, inotify_rm_watch: an inotify instance is an
 * anon file whose read(2) gives struct inotify_event records (wd, mask, cookie, len, then the
 * name NUL-padded to a multiple of 16; the same layout for i386 and x86-64). The events come
 * from fsnotify.ts. As fs/notify/inotify does: an event equal to the last one queued is merged
 * into it; past max_queued_events one IN_Q_OVERFLOW (wd -1) stands for what was dropped; a
 * read too small for the next event is EINVAL; watch descriptors count up from 1, not reused.
 */
import { accessSync, constants, lstatSync, statSync } from 'node:fs';
import { callerOf, installAnon, Wakes, type AnonFile } from '../anon-file';
import { EAGAIN, EEXIST, EINVAL, ENOTDIR } from '../errno';
import { O_CLOEXEC, O_NONBLOCK, O_RDONLY } from '../fd-table';
import { addMark, IN_ALL_EVENTS, IN_ISDIR, IN_Q_OVERFLOW, inodeKey, removeMark, type Watch, type WatchGroup } from '../fsnotify';
import type { LinuxProcess } from '../process';
import { POLLIN, POLLRDNORM, waitReady } from '../readiness';
import { AT_FDCWD, guestPathAt } from './paths';
import type { SyscallArgs } from '../syscall-args';

const IN_UNMOUNT = 0x2000;
const IN_IGNORED = 0x8000;
const IN_ONLYDIR = 0x0100_0000;
const IN_DONT_FOLLOW = 0x0200_0000;
const IN_EXCL_UNLINK = 0x0400_0000;
const IN_MASK_CREATE = 0x1000_0000;
const IN_MASK_ADD = 0x2000_0000;
const IN_ONESHOT = 0x8000_0000;
/** Every bit inotify_add_watch knows (ALL_INOTIFY_BITS). */
const ALL_INOTIFY_BITS = IN_ALL_EVENTS | IN_UNMOUNT | IN_Q_OVERFLOW | IN_IGNORED | IN_ONLYDIR | IN_DONT_FOLLOW | IN_EXCL_UNLINK | IN_MASK_CREATE | IN_MASK_ADD | IN_ISDIR | IN_ONESHOT;
/** /proc/sys/fs/inotify/max_queued_events */
const MAX_QUEUED_EVENTS = 16384;
const EVENT_SIZE = 16;

interface InotifyEvent {
  wd: number;
  mask: number;
  cookie: number;
  name: string;
}

const recordSize = (e: InotifyEvent): number => EVENT_SIZE + (e.name ? (Buffer.byteLength(e.name) + EVENT_SIZE) & ~(EVENT_SIZE - 1) : 0);

export class Inotify implements AnonFile, WatchGroup {
  readonly name = 'inotify';
  readonly wakes = new Wakes();
  private readonly queue: InotifyEvent[] = [];
  readonly watches = new Map<number, Watch>();
  private lastWd = 0;
  constructor(private readonly p: LinuxProcess) {}

  deliver(watch: Watch, mask: number, cookie: number, name: string): void {
    let e: InotifyEvent = { wd: watch.wd, mask, cookie, name };
    if (this.queue.length >= MAX_QUEUED_EVENTS) {
      // one IN_Q_OVERFLOW stands for every event dropped while it is queued
      if (this.queue.some((q) => q.mask === IN_Q_OVERFLOW)) return;
      e = { wd: -1, mask: IN_Q_OVERFLOW, cookie: 0, name: '' };
    }
    const last = this.queue.at(-1);
    if (last && last.wd === e.wd && last.mask === e.mask && last.cookie === e.cookie && last.name === e.name) return;
    this.queue.push(e);
    this.wakes.in++;
  }

  forget(watch: Watch): void {
    this.watches.delete(watch.wd);
  }

  /** inotify_add_watch on the inode `key`: the existing watch updated, or a new one. */
  watch(key: string, mask: number): number {
    const events = mask & (IN_ALL_EVENTS | IN_ONESHOT | IN_EXCL_UNLINK);
    const old = [...this.watches.values()].find((w) => w.key === key);
    if (old) {
      if (mask & IN_MASK_CREATE) return -EEXIST;
      old.mask = mask & IN_MASK_ADD ? old.mask | events : events;
      return old.wd;
    }
    const w: Watch = { wd: ++this.lastWd, mask: events, key, group: this };
    this.watches.set(w.wd, w);
    addMark(w);
    return w.wd;
  }

  read(len: number, nonblock: boolean): Uint8Array | number {
    if (this.queue.length === 0) {
      if (nonblock) return -EAGAIN;
      const r = waitReady(callerOf(this.p), () => this.queue.length > 0, undefined, undefined, [], true);
      if (r < 0) return r;
    }
    const parts: Buffer[] = [];
    let used = 0;
    while (this.queue.length > 0) {
      const e = this.queue[0];
      const size = recordSize(e);
      if (size > len - used) break;
      const rec = Buffer.alloc(size);
      rec.writeInt32LE(e.wd, 0);
      rec.writeUInt32LE(e.mask >>> 0, 4);
      rec.writeUInt32LE(e.cookie, 8);
      rec.writeUInt32LE(size - EVENT_SIZE, 12);
      rec.write(e.name, EVENT_SIZE);
      parts.push(rec);
      used += size;
      this.queue.shift();
    }
    return used === 0 ? -EINVAL : Buffer.concat(parts);
  }

  write(): number {
    return -EINVAL;
  }

  poll(): number {
    return this.queue.length > 0 ? POLLIN | POLLRDNORM : 0;
  }

  /** FIONREAD: the bytes of the queued events. */
  pending(): number {
    return this.queue.reduce((n, e) => n + recordSize(e), 0);
  }

  release(): void {
    for (const w of [...this.watches.values()]) removeMark(w, false);
  }
}

function inotifyInit(p: LinuxProcess, flags: number): number {
  if (flags & ~(O_CLOEXEC | O_NONBLOCK)) return -EINVAL;
  return installAnon(p, new Inotify(p), O_RDONLY | (flags & O_NONBLOCK), (flags & O_CLOEXEC) !== 0);
}

export const sysInotifyInit = (p: LinuxProcess): number => inotifyInit(p, 0);
export const sysInotifyInit1 = (p: LinuxProcess, a: SyscallArgs): number => inotifyInit(p, a[0]);

function inotifyOf(p: LinuxProcess, fd: number): Inotify | number {
  const file = p.file(fd);
  if (typeof file === 'number') return file;
  return file.anon instanceof Inotify ? file.anon : -EINVAL;
}

/** inotify_add_watch(fd, pathname, mask) */
export function sysInotifyAddWatch(p: LinuxProcess, a: SyscallArgs): number {
  const mask = a[2];
  if (mask & IN_MASK_ADD && mask & IN_MASK_CREATE) return -EINVAL;
  if (!(mask & ALL_INOTIFY_BITS)) return -EINVAL;
  const group = inotifyOf(p, a[0] | 0);
  if (typeof group === 'number') return group;
  const path = guestPathAt(p, AT_FDCWD, a[1]);
  if (typeof path === 'number') return path;
  const st = mask & IN_DONT_FOLLOW ? lstatSync(path, { bigint: true }) : statSync(path, { bigint: true });
  if (mask & IN_ONLYDIR && !st.isDirectory()) return -ENOTDIR;
  accessSync(path, constants.R_OK); // inotify_find_inode: MAY_READ
  return group.watch(inodeKey(st), mask);
}

/** inotify_rm_watch(fd, wd) */
export function sysInotifyRmWatch(p: LinuxProcess, a: SyscallArgs): number {
  const group = inotifyOf(p, a[0] | 0);
  if (typeof group === 'number') return group;
  const w = group.watches.get(a[1] | 0);
  if (!w) return -EINVAL;
  removeMark(w);
  return 0;
}
