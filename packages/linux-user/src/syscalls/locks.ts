/**
 * flock and fcntl's record locks (F_GETLK, F_SETLK, F_SETLKW, their 64-bit and OFD forms) over
 * the run's lock table (file-locks.ts). A lock another guest holds makes LOCK_NB and F_SETLK
 * fail with EAGAIN, and blocks flock and F_SETLKW through the scheduler; a signal ends that wait
 * with the kernel's -ERESTARTSYS (restarted under SA_RESTART). A POSIX F_SETLKW that would wait
 * for an owner itself waiting for the caller is EDEADLK.
 */
import { fstatSync } from 'node:fs';
import { EAGAIN, EBADF, EDEADLK, EINVAL, EOVERFLOW } from '../errno';
import { O_ACCMODE, O_PATH, O_RDONLY, O_WRONLY, type FdEntry, type OpenFile } from '../fd-table';
import { conflictingLock, flockFile, testLock, F_RDLCK, F_UNLCK, F_WRLCK, lockKey, setRecordLock, setWaiting, wouldDeadlock, type RecordLock } from '../file-locks';
import type { LinuxProcess } from '../process';
import type { SyscallArgs } from '../syscall-args';
import { WouldBlock } from '../would-block';
import { seek } from './io';

const LOCK_SH = 1;
const LOCK_EX = 2;
const LOCK_NB = 4;
const LOCK_UN = 8;
const LOCK_MAND = 32;

export const F_GETLK = 5;
export const F_SETLK = 6;
export const F_SETLKW = 7;
export const F_GETLK64 = 12;
export const F_SETLK64 = 13;
export const F_SETLKW64 = 14;
export const F_OFD_GETLK = 36;
export const F_OFD_SETLK = 37;
export const F_OFD_SETLKW = 38;
const SEEK_SET = 0;
const SEEK_CUR = 1;
const SEEK_END = 2;
const OFFSET_MAX = 2 ** 63 - 1;

const readable = (f: OpenFile): boolean => (f.flags & O_ACCMODE) !== O_WRONLY;
const writable = (f: OpenFile): boolean => (f.flags & O_ACCMODE) !== O_RDONLY;

/** A wait for a lock: retried by the scheduler, -ERESTARTSYS under a signal. */
const blockFor = (what: string, cancel?: () => void): WouldBlock => new WouldBlock(what, undefined, cancel, false, undefined, false, true);

/** flock(fd, operation). */
export function sysFlock(p: LinuxProcess, a: SyscallArgs): number {
  const file = p.fds.get(a[0] | 0);
  if (!file || file.flags & O_PATH) return -EBADF;
  // LOCK_MAND is accepted and ignored, as the kernel does
  if (a[1] & LOCK_MAND) return 0;
  const op = a[1] & ~LOCK_NB;
  if (op !== LOCK_SH && op !== LOCK_EX && op !== LOCK_UN) return -EINVAL;
  if (flockFile(lockKey(file), file, op === LOCK_UN ? undefined : op === LOCK_EX)) return 0;
  if (a[1] & LOCK_NB) return -EAGAIN;
  throw blockFor(`flock of fd ${a[0] | 0}`);
}

/** struct flock's fields in guest memory for command `cmd`: 32-bit offsets for i386's F_GETLK..F_SETLKW, 64-bit otherwise. */
function layoutOf(p: LinuxProcess, cmd: number): { start: number; len: number; pid: number; wide: boolean } {
  if (p.abi === 'x86_64') return { start: 8, len: 16, pid: 24, wide: true };
  return cmd <= F_SETLKW ? { start: 4, len: 8, pid: 12, wide: false } : { start: 4, len: 12, pid: 20, wide: true };
}

/** The record-lock commands of fcntl (fcntl_getlk, fcntl_setlk): 0, or -errno; F_SETLKW may block. */
export function fcntlLock(p: LinuxProcess, entry: FdEntry, fd: number, cmd: number, arg: number): number {
  const file = entry.file;
  if (file.flags & O_PATH) return -EBADF;
  const at = layoutOf(p, cmd);
  const v = new DataView(p.mem.readBytes(arg, at.pid + 4).buffer);
  const type = v.getInt16(0, true);
  const whence = v.getInt16(2, true);
  const rawStart = at.wide ? Number(v.getBigInt64(at.start, true)) : v.getInt32(at.start, true);
  const len = at.wide ? Number(v.getBigInt64(at.len, true)) : v.getInt32(at.len, true);
  const ofd = cmd >= F_OFD_GETLK;
  // an OFD request's l_pid must be 0 (EINVAL: for F_OFD_SETLK after the access check)
  const pidSet = v.getInt32(at.pid, true) !== 0;
  const getlk = cmd === F_GETLK || cmd === F_GETLK64 || cmd === F_OFD_GETLK;
  // F_UNLCK: unlock, or for F_OFD_GETLK a question about the description's own locks (Linux 6.7)
  if (type !== F_RDLCK && type !== F_WRLCK && (type !== F_UNLCK || cmd === F_GETLK || cmd === F_GETLK64)) return -EINVAL;
  // flock_to_posix_lock: the range from l_whence, l_start and a signed l_len
  let base: number;
  if (whence === SEEK_SET) base = 0;
  else if (whence === SEEK_CUR) base = Math.max(seek(file, 0, SEEK_CUR), 0);
  else if (whence === SEEK_END) base = file.hostFd >= 0 ? fstatSync(file.hostFd).size : 0;
  else return -EINVAL;
  let start = base + rawStart;
  let end: number;
  if (len > 0) end = start + len - 1;
  else if (len === 0) end = Infinity;
  else {
    end = start - 1;
    start += len;
  }
  if (start < 0) return -EINVAL;
  if (end !== Infinity && end > OFFSET_MAX) return -EOVERFLOW;
  const owner: object = ofd ? file : p.fds;
  const req: RecordLock = { owner, pid: ofd ? -1 : p.pid, type, start, end };
  const key = lockKey(file);
  if (getlk) {
    if (ofd && pidSet) return -EINVAL;
    const c = testLock(key, req);
    if (!c) {
      p.mem.write16(arg, F_UNLCK);
      return 0;
    }
    const cLen = c.end === Infinity ? 0 : c.end - c.start + 1;
    if (!at.wide && (c.start > 0x7fffffff || cLen > 0x7fffffff)) return -EOVERFLOW;
    const out = new DataView(new ArrayBuffer(at.pid + 4));
    out.setInt16(0, c.type, true);
    out.setInt16(2, SEEK_SET, true);
    if (at.wide) {
      out.setBigInt64(at.start, BigInt(c.start), true);
      out.setBigInt64(at.len, BigInt(cLen), true);
    } else {
      out.setInt32(at.start, c.start, true);
      out.setInt32(at.len, cLen, true);
    }
    out.setInt32(at.pid, c.pid, true);
    p.mem.writeBytes(arg, new Uint8Array(out.buffer));
    return 0;
  }
  if ((type === F_RDLCK && !readable(file)) || (type === F_WRLCK && !writable(file))) return -EBADF;
  if (ofd && pidSet) return -EINVAL;
  const blocker = type === F_UNLCK ? undefined : conflictingLock(key, req);
  if (blocker) {
    if (cmd === F_SETLK || cmd === F_SETLK64 || cmd === F_OFD_SETLK) return -EAGAIN;
    if (!ofd && wouldDeadlock(owner, blocker)) {
      setWaiting(owner, undefined);
      return -EDEADLK;
    }
    setWaiting(owner, blocker);
    throw blockFor(`record lock on fd ${fd}`, () => setWaiting(owner, undefined));
  }
  setWaiting(owner, undefined);
  setRecordLock(key, req);
  return 0;
}
