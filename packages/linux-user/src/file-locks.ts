/**
 * Advisory locks between the guests of a run (fs/locks.c), one table keyed by the file's
 * identity (dev, ino; the object itself for a pipe or an anon file) and read by every guest:
 *   - flock locks belong to an open file description: shared by dup and fork, gone with its
 *     last descriptor; a new flock replaces the description's own one first (not atomically);
 *   - POSIX record locks (fcntl F_SETLK) belong to the process's descriptor table (fl_owner =
 *     current->files): not inherited by fork, all of them on a file gone at ANY close of a
 *     descriptor of that file by the process; a request merges with the owner's adjacent or
 *     overlapping ranges of the same type and splits those of the other type;
 *   - OFD locks (F_OFD_SETLK) are record locks owned by the open file description (l_pid -1).
 * flock and record locks never conflict with one another; record locks of different owners do
 * when they overlap and either is a write lock. Owners waiting in F_SETLKW are remembered for
 * posix_locks_deadlock's EDEADLK.
 */
import { fstatSync } from 'node:fs';
import type { OpenFile } from './fd-table';

export const F_RDLCK = 0;
export const F_WRLCK = 1;
export const F_UNLCK = 2;

export type LockKey = string | object;

/** A byte range lock; `end` inclusive, Infinity up to any end of file (OFFSET_MAX). */
export interface RecordLock {
  owner: object;
  /** The locker's pid, -1 for an OFD lock. */
  pid: number;
  type: number;
  start: number;
  end: number;
}

interface FileLocks {
  flocks: Array<{ owner: OpenFile; exclusive: boolean }>;
  records: RecordLock[];
}

const table = new Map<LockKey, FileLocks>();
/** Record-lock owners blocked in F_SETLKW, and the lock each waits for. */
const waiting = new Map<object, RecordLock>();
const MAX_DEADLK_ITERATIONS = 10;

/**
 * A run that ended without its processes exiting (dbtlab gave up): its locks are never released
 * by a close, so they go, and no later run in this host process meets them on a file of the same
 * identity (as dropPageCache).
 */
export function dropFileLocks(): void {
  table.clear();
  waiting.clear();
}

/** The identity locks are kept under. */
export function lockKey(file: OpenFile): LockKey {
  if (file.pipe) return file.pipe;
  if (file.anon) return file.anon;
  if (file.hostFd < 0) return file;
  const st = fstatSync(file.hostFd, { bigint: true });
  return `${st.dev}:${st.ino}`;
}

function locksOf(key: LockKey): FileLocks {
  let l = table.get(key);
  if (!l) table.set(key, (l = { flocks: [], records: [] }));
  return l;
}

function prune(key: LockKey): void {
  const l = table.get(key);
  if (l && l.flocks.length === 0 && l.records.length === 0) table.delete(key);
}

/**
 * flock: `exclusive` (LOCK_EX) or shared, or undefined to unlock. The description's own lock
 * goes first (unchanged if of the same kind); false when another description's lock conflicts.
 */
export function flockFile(key: LockKey, owner: OpenFile, exclusive: boolean | undefined): boolean {
  const l = locksOf(key);
  const own = l.flocks.findIndex((f) => f.owner === owner);
  if (own >= 0 && l.flocks[own].exclusive === exclusive) return true;
  if (own >= 0) l.flocks.splice(own, 1);
  if (exclusive === undefined) {
    prune(key);
    return true;
  }
  if (l.flocks.some((f) => f.exclusive || exclusive)) return false;
  l.flocks.push({ owner, exclusive });
  return true;
}

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean => a.start <= b.end && b.start <= a.end;

/** The first lock of another owner that `req` (F_RDLCK or F_WRLCK) conflicts with. */
export function conflictingLock(key: LockKey, req: RecordLock): RecordLock | undefined {
  return table.get(key)?.records.find((r) => r.owner !== req.owner && overlaps(r, req) && (r.type === F_WRLCK || req.type === F_WRLCK));
}

/** F_GETLK's answer (posix_test_lock): the conflicting lock, or for F_UNLCK (F_OFD_GETLK only) the first of the owner's own locks over the range. */
export function testLock(key: LockKey, req: RecordLock): RecordLock | undefined {
  if (req.type !== F_UNLCK) return conflictingLock(key, req);
  return table.get(key)?.records.find((r) => r.owner === req.owner && overlaps(r, req));
}

/** Would waiting for `blocker` close a cycle back to `owner` (posix_locks_deadlock)? */
export function wouldDeadlock(owner: object, blocker: RecordLock): boolean {
  let b: RecordLock | undefined = blocker;
  for (let i = 0; (b = waiting.get(b.owner)) !== undefined; i++) {
    if (i > MAX_DEADLK_ITERATIONS) return false;
    if (b.owner === owner) return true;
  }
  return false;
}

/** `owner` waits for `blocker` (undefined: no longer waits). */
export function setWaiting(owner: object, blocker: RecordLock | undefined): void {
  if (blocker) waiting.set(owner, blocker);
  else waiting.delete(owner);
}

/**
 * Sets `req` (F_UNLCK: unlocks its range) for its owner, assumed free of conflicts: the owner's
 * locks of the same type that overlap or touch it merge into it, those of the other type keep
 * only their parts outside it (posix_lock_inode).
 */
export function setRecordLock(key: LockKey, req: RecordLock): void {
  const l = locksOf(key);
  let { start, end } = req;
  const kept: RecordLock[] = [];
  for (const r of l.records) {
    if (r.owner !== req.owner) kept.push(r);
    else if (r.type === req.type && r.start <= end + 1 && start <= r.end + 1) {
      start = Math.min(start, r.start);
      end = Math.max(end, r.end);
    } else if (!overlaps(r, req)) kept.push(r);
    else {
      if (r.start < req.start) kept.push({ ...r, end: req.start - 1 });
      if (r.end > req.end) kept.push({ ...r, start: req.end + 1 });
    }
  }
  if (req.type !== F_UNLCK) kept.push({ ...req, start, end });
  l.records = kept.sort((a, b) => a.start - b.start);
  prune(key);
}

/** A close of a descriptor of the file by the process whose descriptor table is `owner`: its POSIX locks on the file go (locks_remove_posix). */
export function closeRecordLocks(file: OpenFile, owner: object): void {
  if (table.size === 0) return;
  const key = lockKey(file);
  const l = table.get(key);
  if (!l) return;
  l.records = l.records.filter((r) => r.owner !== owner);
  prune(key);
}

/** The last descriptor of an open file description went: its flock and OFD locks go (locks_remove_file). */
export function releaseDescriptionLocks(file: OpenFile): void {
  if (table.size === 0) return;
  for (const [key, l] of table) {
    l.flocks = l.flocks.filter((f) => f.owner !== file);
    l.records = l.records.filter((r) => r.owner !== file);
    prune(key);
  }
}
