/**
 * fsnotify for inotify: the watches guests hold on host inodes, and the events the guests' own
 * file-system calls raise (the kernel's fsnotify_* hooks, called by the system call handlers
 * after the host call succeeded). Inodes are the host's (device, inode), and the marks are
 * this Node.js process's, as the kernel's are every process's: a watch of one guest sees what
 * another guest of the run does. Changes made by host processes are not seen.
 * Nothing is looked up while no watch exists, so a run without inotify pays nothing.
 */
import { fstatSync, lstatSync, realpathSync, type BigIntStats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { hostPathOf, type OpenFile } from './fd-table';

const DELETED = ' (deleted)';

export const IN_ACCESS = 0x1;
export const IN_MODIFY = 0x2;
export const IN_ATTRIB = 0x4;
export const IN_CLOSE_WRITE = 0x8;
export const IN_CLOSE_NOWRITE = 0x10;
export const IN_OPEN = 0x20;
export const IN_MOVED_FROM = 0x40;
export const IN_MOVED_TO = 0x80;
export const IN_CREATE = 0x100;
export const IN_DELETE = 0x200;
export const IN_DELETE_SELF = 0x400;
export const IN_MOVE_SELF = 0x800;
export const IN_ALL_EVENTS = 0xfff;
export const IN_Q_OVERFLOW = 0x4000;
export const IN_IGNORED = 0x8000;
export const IN_ISDIR = 0x4000_0000;

/** One inotify watch: a mark of a group (an inotify instance) on an inode. */
export interface Watch {
  readonly wd: number;
  mask: number;
  readonly key: string;
  readonly group: WatchGroup;
}

/** What an inotify instance does with the events of its watches. */
export interface WatchGroup {
  /** Queues an event for `watch` (name '' for an event on the watched inode itself). */
  deliver(watch: Watch, mask: number, cookie: number, name: string): void;
  /** The watch is gone (IN_IGNORED was queued by the caller). */
  forget(watch: Watch): void;
}

/** The marks, by inode. */
const marks = new Map<string, Set<Watch>>();
/** Open file descriptions the guests hold, by inode: an unlinked inode lives until the last closes. */
const openCount = new Map<string, number>();
/** Pairs IN_MOVED_FROM with IN_MOVED_TO (the kernel's global inotify cookie). */
let cookies = 0;

export const inodeKey = (st: BigIntStats): string => `${st.dev}:${st.ino}`;

export function addMark(w: Watch): void {
  let set = marks.get(w.key);
  if (!set) marks.set(w.key, (set = new Set()));
  set.add(w);
}

/** Takes `w` off its inode (rm_watch, the inode gone, IN_ONESHOT): IN_IGNORED, unless its group is being closed. */
export function removeMark(w: Watch, ignored = true): void {
  const set = marks.get(w.key);
  if (!set?.delete(w)) return;
  if (set.size === 0) marks.delete(w.key);
  if (ignored) w.group.deliver(w, IN_IGNORED, 0, '');
  w.group.forget(w);
}

const IN_EXCL_UNLINK = 0x0400_0000;

/**
 * fsnotify(): the event to the watches of the directory (with the child's name), then to those
 * of the inode. `unlinked`: the child has no name any more (IN_EXCL_UNLINK watches skip it).
 */
function send(dirKey: string | undefined, name: string, key: string | undefined, mask: number, cookie = 0, unlinked = false): void {
  const to = (k: string | undefined, n: string): void => {
    for (const w of [...(k !== undefined ? (marks.get(k) ?? []) : [])]) {
      if (!(w.mask & mask & IN_ALL_EVENTS) || (n && unlinked && w.mask & IN_EXCL_UNLINK)) continue;
      w.group.deliver(w, mask, cookie, n);
      if (w.mask & 0x8000_0000 /* IN_ONESHOT */) removeMark(w);
    }
  };
  to(dirKey, name);
  to(key, '');
}

/** A directory entry as the kernel's dentry names it: its parent's inode, its name, its own inode. */
interface Entry {
  dirKey: string | undefined;
  name: string;
  key: string;
  isDir: boolean;
  nlink: bigint;
}

/** The entry at `path` (the last component a symbolic link when `follow` is false), or undefined if it is gone. */
function entryAt(path: string, follow: boolean): Entry | undefined {
  try {
    const real = follow ? realpathSync(path) : join(realpathSync(dirname(path)), basename(path));
    const st = lstatSync(real, { bigint: true });
    const dir = dirname(real);
    const dirKey = dir === real ? undefined : inodeKey(lstatSync(dir, { bigint: true }));
    return { dirKey, name: basename(real), key: inodeKey(st), isDir: st.isDirectory(), nlink: st.nlink };
  } catch {
    return undefined;
  }
}

const isDirBit = (e: { isDir: boolean }): number => (e.isDir ? IN_ISDIR : 0);

/** An event on the object at `path` (chmod, truncate, utimes ...): to its directory's watches and its own. */
export function notifyPath(path: string, mask: number, follow = true): void {
  if (marks.size === 0) return;
  const e = entryAt(path, follow);
  if (e) send(e.dirKey, e.name, e.key, mask | isDirBit(e));
}

/** The entry at `path` before a call removes or replaces it (undefined while nothing watches). */
export function entryBefore(path: string): Entry | undefined {
  return marks.size === 0 ? undefined : entryAt(path, false);
}

/** An event on an open file (open, read, write, close, ftruncate ...). */
export function notifyFile(file: OpenFile, mask: number): void {
  if (marks.size === 0 || file.inode === undefined) return;
  const st = fstatSync(file.hostFd, { bigint: true });
  // the dentry's name now (renames followed; an unlinked file keeps its last name): the host's
  // /proc/self/fd link, " (deleted)" taken off
  const link = hostPathOf(file);
  const path = st.nlink === 0n && link.endsWith(DELETED) ? link.slice(0, -DELETED.length) : link;
  const e = path ? entryAt(path, true) : undefined;
  const dir = st.isDirectory() ? IN_ISDIR : 0;
  if (e && e.key === file.inode) send(e.dirKey, e.name, file.inode, mask | dir);
  else {
    // unlinked: the kernel's dentry still names the last place
    const parent = path ? entryAt(dirname(path), true) : undefined;
    send(parent?.key, basename(path), file.inode, mask | dir, 0, true);
  }
}

/** A new entry at `path` (creat, mkdir, symlink, link, mknod): IN_CREATE to its directory. */
export function notifyCreate(path: string): void {
  if (marks.size === 0) return;
  const e = entryAt(path, false);
  if (e) send(e.dirKey, e.name, undefined, IN_CREATE | isDirBit(e));
}

/** link(): the inode's link count changed (IN_ATTRIB to its own watches only), then its new name's IN_CREATE. */
export function notifyLink(path: string): void {
  if (marks.size === 0) return;
  const e = entryAt(path, false);
  if (!e) return;
  send(undefined, '', e.key, IN_ATTRIB);
  send(e.dirKey, e.name, undefined, IN_CREATE | isDirBit(e));
}

/** An inode that lost a name: gone (IN_DELETE_SELF, its watches ignored) once no name and no open file holds it. */
function dropLink(e: Entry): void {
  if ((e.isDir || e.nlink <= 1n) && !openCount.get(e.key)) inodeGone(e.key);
}

function inodeGone(key: string): void {
  send(undefined, '', key, IN_DELETE_SELF);
  for (const w of [...(marks.get(key) ?? [])]) removeMark(w);
}

/** unlink/rmdir of the entry `e` was done: its link count, the directory's IN_DELETE, the inode's end. */
export function notifyUnlink(e: Entry | undefined): void {
  if (!e) return;
  if (!e.isDir) send(undefined, '', e.key, IN_ATTRIB);
  // d_delete: an inode nothing else holds ends before the directory hears of it
  dropLink(e);
  send(e.dirKey, e.name, undefined, IN_DELETE | isDirBit(e));
}

/** fsnotify_move: `moved` (the entry it was) is now at `dest`'s place, over the inode `replaced`. */
function move(moved: Entry, dest: Entry | undefined, replaced: Entry | undefined): void {
  const cookie = ++cookies >>> 0;
  send(moved.dirKey, moved.name, undefined, IN_MOVED_FROM | isDirBit(moved), cookie);
  if (dest) send(dest.dirKey, dest.name, undefined, IN_MOVED_TO | isDirBit(moved), cookie);
  if (replaced) send(undefined, '', replaced.key, IN_ATTRIB);
  send(undefined, '', moved.key, IN_MOVE_SELF);
}

/** rename of `from` over `to` (undefined: no entry was there) was done. Two names of one inode: nothing happened (vfs_rename). */
export function notifyRename(from: Entry | undefined, toPath: string, to: Entry | undefined): void {
  if (!from || to?.key === from.key) return;
  move(from, entryAt(toPath, false), to);
  if (to) dropLink(to);
}

/** renameat2(RENAME_EXCHANGE) of the entries `a` and `b` was done: two moves, each into the other's place, nothing replaced. */
export function notifyExchange(a: Entry | undefined, b: Entry | undefined): void {
  if (!a || !b || a.key === b.key) return;
  move(a, b, undefined);
  move(b, a, undefined);
}

/** A guest opened the inode of `hostFd`: its key, which the description keeps until it is released. */
export function holdInode(hostFd: number): string {
  const key = inodeKey(fstatSync(hostFd, { bigint: true }));
  openCount.set(key, (openCount.get(key) ?? 0) + 1);
  return key;
}

/** The last descriptor of `file` is being closed (__fput): IN_CLOSE_*, then the inode's end if it has no name left. */
export function releaseInode(file: OpenFile, writable: boolean): void {
  const key = file.inode!;
  const left = (openCount.get(key) ?? 1) - 1;
  if (left === 0) openCount.delete(key);
  else openCount.set(key, left);
  if (marks.size === 0) return;
  notifyFile(file, writable ? IN_CLOSE_WRITE : IN_CLOSE_NOWRITE);
  if (left === 0 && marks.has(key) && fstatSync(file.hostFd).nlink === 0) inodeGone(key);
}
