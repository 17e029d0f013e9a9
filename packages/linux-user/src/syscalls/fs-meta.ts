/**
 * File metadata and whole-file transfers: the chmod and chown families, truncate, utimes and
 * utimensat, links, the old struct-stat calls, statfs, fsync, fallocate, sendfile,
 * copy_file_range, splice and tee. Paths resolve as in paths.ts; a host error is its errno.
 */
import { spawnSync } from 'node:child_process';
import {
  chmodSync, chownSync, fchmodSync, fchownSync, fdatasyncSync, fsyncSync, fstatSync, ftruncateSync, futimesSync, lchownSync, linkSync,
  lstatSync, lutimesSync, readlinkSync, statfsSync, statSync, symlinkSync, truncateSync, utimesSync,
} from 'node:fs';
import { EBADF, EFAULT, EINVAL, EISDIR, ENODEV, ENOENT, ENOSYS, EOPNOTSUPP, EOVERFLOW, EPERM, EPIPE, ESPIPE } from '../errno';
import { F_SEAL_EXEC } from './memfd';
import { capable, CAP_CHOWN, CAP_DAC_READ_SEARCH } from '../capabilities';
import { HOST_NR, hostCall } from '../host-call';
import { growLimited } from './fsize-limit';
import { SI_USER, SIGPIPE } from '../signal';
import { fileRead, fileWrite, MAX_TRANSFER } from '../file-io';
import { OpenFile, O_ACCMODE, O_APPEND, O_PATH, O_RDONLY, O_WRONLY, type GuestPipe } from '../fd-table';
import { IN_ACCESS, IN_ATTRIB, IN_MODIFY, notifyCreate, notifyFile, notifyLink, notifyPath } from '../fsnotify';
import { countTransfer } from '../io-accounting';
import { chmodMode, fsCreds, MAY_WRITE, mayCreate, mayUtime, ownNew, permission, removePrivs } from '../permission';
import { fileIdentity, truncateCache, truncateCacheOfFd } from '../page-cache';
import type { LinuxProcess } from '../process';
import { AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_FOLLOW, AT_SYMLINK_NOFOLLOW, guestPathAt, magicPipeAt, NOFOLLOW } from './paths';
import type { SyscallArgs } from '../syscall-args';

const NS = 1_000_000_000n;
const off64 = (lo: number, hi: number): number => (hi | 0) * 0x1_0000_0000 + lo;

/** The host path of a descriptor's file (for the calls Node only offers by path), or -errno. */
function fdPath(p: LinuxProcess, fd: number): string | number {
  const file = p.file(fd);
  if (typeof file === 'number') return file;
  return file.path || `/proc/self/fd/${file.hostFd}`;
}

// ---- chmod ----

function chmodAt(p: LinuxProcess, dirfd: number, pathAddr: number, mode: number, flags = 0): number {
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  const pipe = magicPipeAt(p, pathAddr, !(flags & AT_SYMLINK_NOFOLLOW));
  if (pipe) return chmodPipe(p, pipe, mode);
  const path = guestPathAt(p, dirfd, pathAddr, (flags & AT_EMPTY_PATH) !== 0, !(flags & AT_SYMLINK_NOFOLLOW));
  if (typeof path === 'number') return path;
  // AT_EMPTY_PATH: the cwd, or the fd's file whatever it was opened for (O_PATH too)
  if (path === '') return dirfd === AT_FDCWD ? chmodPath(p, p.cwd, mode, true) : fchmodFd(p, dirfd, mode, true);
  return chmodPath(p, path, mode, !(flags & AT_SYMLINK_NOFOLLOW));
}
function chmodPath(p: LinuxProcess, path: string, mode: number, follow: boolean): number {
  // a symbolic link's own mode cannot be changed on Linux
  if (!follow && lstatSync(path).isSymbolicLink()) return -EOPNOTSUPP;
  const m = chmodMode(p, statSync(path), mode);
  if (m < 0) return m;
  chmodSync(path, m);
  notifyPath(path, IN_ATTRIB, follow);
  return 0;
}
/** fchmod, or with `anyOpen` (fchmodat2's AT_EMPTY_PATH) an O_PATH descriptor's file as well, a symlink's included (EOPNOTSUPP). */
function fchmodFd(p: LinuxProcess, fd: number, mode: number, anyOpen = false): number {
  const file = p.file(fd);
  if (typeof file === 'number') return file;
  if (file.pipe) return chmodPipe(p, file.pipe, mode);
  const st = fstatSync(file.hostFd);
  // the host's fchmod refuses an O_PATH fd; its magic link names the file
  const byLink = anyOpen && (file.flags & O_PATH) !== 0;
  if (byLink && st.isSymbolicLink()) return -EOPNOTSUPP;
  const m = chmodMode(p, st, mode);
  if (m < 0) return m;
  // F_SEAL_EXEC: a memfd's exec bits stay as they are (shmem_setattr)
  if (file.memfd && file.memfd.seals & F_SEAL_EXEC && (m ^ st.mode) & 0o111) return -EPERM;
  if (byLink) chmodSync(`/proc/self/fd/${file.hostFd}`, m);
  else fchmodSync(file.hostFd, m);
  notifyFile(file, IN_ATTRIB);
  return 0;
}

/**
 * Whether the guest may give an inode owner `uid` and group `gid` (-1: kept) (chown_ok, chgrp_ok):
 * CAP_CHOWN, or its owner keeping the owner and giving the inode its group or one of its own.
 */
function mayChown(p: LinuxProcess, inode: { uid: number; gid: number }, uid: number, gid: number, wide: boolean): boolean {
  if (capable(p, CAP_CHOWN)) return true;
  const owner = p.ids.fsuid === inode.uid;
  const uidOk = keepId(uid, wide) || (owner && uid === inode.uid);
  const gidOk = keepId(gid, wide) || (owner && (gid === inode.gid || gid === p.ids.fsgid || p.ids.groups.includes(gid)));
  return uidOk && gidOk;
}

/** A pipefs inode's mode (the host never sees this inode). */
function chmodPipe(p: LinuxProcess, pipe: GuestPipe, mode: number): number {
  const m = chmodMode(p, pipe, mode);
  if (m < 0) return m;
  pipe.mode = m;
  return 0;
}
/** A pipefs inode's owner. */
function chownPipe(p: LinuxProcess, pipe: GuestPipe, uid: number, gid: number, wide: boolean): number {
  if (!mayChown(p, pipe, uid, gid, wide)) return -EPERM;
  [pipe.uid, pipe.gid] = [keepId(uid, wide) ? pipe.uid : uid, keepId(gid, wide) ? pipe.gid : gid];
  return 0;
}
export const sysChmod = (p: LinuxProcess, a: SyscallArgs): number => chmodAt(p, AT_FDCWD, a[0], a[1]);
export const sysFchmod = (p: LinuxProcess, a: SyscallArgs): number => fchmodFd(p, a[0] | 0, a[1]);
export const sysFchmodat = (p: LinuxProcess, a: SyscallArgs): number => chmodAt(p, a[0] | 0, a[1], a[2]);
export const sysFchmodat2 = (p: LinuxProcess, a: SyscallArgs): number => chmodAt(p, a[0] | 0, a[1], a[2], a[3]);

// ---- chown ----

/** -1 leaves the id alone; the 16-bit calls' 0xffff is -1 too. */
const keepId = (id: number, wide: boolean): boolean => (wide ? id === 0xffffffff : (id & 0xffff) === 0xffff);

function chownAt(p: LinuxProcess, dirfd: number, pathAddr: number, uid: number, gid: number, flags: number, wide: boolean): number {
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  const pipe = magicPipeAt(p, pathAddr, !(flags & AT_SYMLINK_NOFOLLOW));
  if (pipe) return chownPipe(p, pipe, uid, gid, wide);
  const path = guestPathAt(p, dirfd, pathAddr, (flags & AT_EMPTY_PATH) !== 0, !(flags & AT_SYMLINK_NOFOLLOW));
  if (typeof path === 'number') return path;
  if (path === '') return fchownFd(p, dirfd, uid, gid, wide);
  const st = flags & AT_SYMLINK_NOFOLLOW ? lstatSync(path) : statSync(path);
  if (!mayChown(p, st, uid, gid, wide)) return -EPERM;
  const u = keepId(uid, wide) ? st.uid : uid;
  const g = keepId(gid, wide) ? st.gid : gid;
  if (flags & AT_SYMLINK_NOFOLLOW) lchownSync(path, u, g);
  else chownSync(path, u, g);
  if (!keepId(uid, wide) || !keepId(gid, wide)) notifyPath(path, IN_ATTRIB, !(flags & AT_SYMLINK_NOFOLLOW));
  return 0;
}
function fchownFd(p: LinuxProcess, fd: number, uid: number, gid: number, wide: boolean): number {
  const file = p.file(fd);
  if (typeof file === 'number') return file;
  if (file.pipe) return chownPipe(p, file.pipe, uid, gid, wide);
  const st = fstatSync(file.hostFd);
  if (!mayChown(p, st, uid, gid, wide)) return -EPERM;
  fchownSync(file.hostFd, keepId(uid, wide) ? st.uid : uid, keepId(gid, wide) ? st.gid : gid);
  if (!keepId(uid, wide) || !keepId(gid, wide)) notifyFile(file, IN_ATTRIB);
  return 0;
}
export const sysChown16 = (p: LinuxProcess, a: SyscallArgs): number => chownAt(p, AT_FDCWD, a[0], a[1] & 0xffff, a[2] & 0xffff, 0, false);
export const sysLchown16 = (p: LinuxProcess, a: SyscallArgs): number => chownAt(p, AT_FDCWD, a[0], a[1] & 0xffff, a[2] & 0xffff, AT_SYMLINK_NOFOLLOW, false);
export const sysFchown16 = (p: LinuxProcess, a: SyscallArgs): number => fchownFd(p, a[0] | 0, a[1] & 0xffff, a[2] & 0xffff, false);
export const sysChown = (p: LinuxProcess, a: SyscallArgs): number => chownAt(p, AT_FDCWD, a[0], a[1], a[2], 0, true);
export const sysLchown = (p: LinuxProcess, a: SyscallArgs): number => chownAt(p, AT_FDCWD, a[0], a[1], a[2], AT_SYMLINK_NOFOLLOW, true);
export const sysFchown = (p: LinuxProcess, a: SyscallArgs): number => fchownFd(p, a[0] | 0, a[1], a[2], true);
export const sysFchownat = (p: LinuxProcess, a: SyscallArgs): number => chownAt(p, a[0] | 0, a[1], a[2], a[3], a[4], true);

// ---- truncate ----

function truncatePath(p: LinuxProcess, pathAddr: number, len: number): number {
  if (len < 0) return -EINVAL;
  if (magicPipeAt(p, pathAddr, true)) return -EINVAL; // not a regular file
  const path = guestPathAt(p, AT_FDCWD, pathAddr);
  if (typeof path === 'number') return path;
  // vfs_truncate: a directory EISDIR, then write permission (the host process, root, has it)
  const st = statSync(path);
  if (st.isDirectory()) return -EISDIR;
  const denied = permission(fsCreds(p), st, MAY_WRITE);
  if (denied < 0) return denied;
  const big = growLimited(p, st.size, len);
  if (big < 0) return big;
  removePrivs(p, path);
  truncateSync(path, len);
  truncateCache(fileIdentity(st), Math.min(st.size, len));
  notifyPath(path, IN_MODIFY);
  return 0;
}
export function ftruncateFd(p: LinuxProcess, fd: number, len: number): number {
  const file = p.file(fd);
  if (typeof file === 'number') return file;
  if (len < 0) return -EINVAL;
  if (file.kind !== 'file' || (file.flags & O_ACCMODE) === O_RDONLY) return -EINVAL;
  const size = fstatSync(file.hostFd).size;
  const big = growLimited(p, size, len);
  if (big < 0) return big;
  const sealed = file.memfd?.resizable(size, len);
  if (sealed) return sealed;
  removePrivs(p, file.hostFd);
  ftruncateSync(file.hostFd, len);
  truncateCacheOfFd(file.hostFd, Math.min(size, len));
  notifyFile(file, IN_MODIFY);
  return 0;
}
export const sysTruncate = (p: LinuxProcess, a: SyscallArgs): number => truncatePath(p, a[0], a[1] | 0);
export const sysTruncate64 = (p: LinuxProcess, a: SyscallArgs): number => truncatePath(p, a[0], off64(a[1], a[2]));
export const sysFtruncate = (p: LinuxProcess, a: SyscallArgs): number => ftruncateFd(p, a[0] | 0, a[1] | 0);
/** ftruncate64(fd, length_low, length_high) */
export const sysFtruncate64 = (p: LinuxProcess, a: SyscallArgs): number => ftruncateFd(p, a[0] | 0, off64(a[1], a[2]));

// ---- times ----

const UTIME_NOW = (1 << 30) - 1;
const UTIME_OMIT = (1 << 30) - 2;

/**
 * Sets atime/mtime (ns, or undefined to keep) on a path or fd. Node takes seconds as doubles,
 * exact to the microsecond for today's dates; a time with nanoseconds, or far from today, is set by coreutils
 * `touch -d @sec.nsec` on the host, since no Node API reaches utimensat's precision.
 */
function setTimes(path: string | undefined, hostFd: number | undefined, nofollow: boolean, atime: bigint | undefined, mtime: bigint | undefined): void {
  const target = path ?? `/proc/${process.pid}/fd/${hostFd}`;
  // a double holds seconds to the microsecond only for times in [0, 2^31) seconds (x86-64's 64-bit time_t reaches beyond)
  const needsNs = [atime, mtime].some((t) => t !== undefined && (t % 1000n !== 0n || t < 0n || t >= 0x8000_0000n * NS));
  if (needsNs) {
    const stamp = (ns: bigint): string => `@${ns / NS}.${(ns % NS).toString().padStart(9, '0')}`;
    for (const [flag, t] of [['-a', atime], ['-m', mtime]] as const) {
      if (t === undefined) continue;
      const r = spawnSync('touch', [...(nofollow ? ['-h'] : []), '-c', flag, '-d', stamp(t), '--', target], { stdio: ['ignore', 'ignore', 'pipe'] });
      if (r.status !== 0) throw Object.assign(new Error(`touch: ${r.stderr}`), { code: 'EPERM' });
    }
    return;
  }
  const st = hostFd !== undefined ? fstatSync(hostFd, { bigint: true }) : nofollow ? lstatSync(target, { bigint: true }) : statSync(target, { bigint: true });
  const sec = (ns: bigint): number => Number(ns / NS) + Number(ns % NS) / 1e9;
  const at = sec(atime ?? st.atimeNs);
  const mt = sec(mtime ?? st.mtimeNs);
  if (hostFd !== undefined) futimesSync(hostFd, at, mt);
  else if (nofollow) lutimesSync(target, at, mt);
  else utimesSync(target, at, mt);
}

/** timeval (32-bit fields; 'tv64' x86-64's longs), timespec (32-bit) or 64-bit timespec. */
type TimesLayout = 'tv' | 'tv64' | 'ts32' | 'ts64';

/** Two times from guest memory (timeval, timespec or 64-bit timespec); undefined = keep (UTIME_OMIT). */
function readTimes(p: LinuxProcess, addr: number, layout: TimesLayout): Array<bigint | undefined> | number {
  const now = BigInt(Date.now()) * 1_000_000n;
  if (addr === 0) return [now, now];
  const wide = layout === 'ts64' || layout === 'tv64';
  const tv = layout === 'tv' || layout === 'tv64';
  const step = wide ? 16 : 8;
  const raw = p.mem.readBytes(addr, 2 * step);
  const v = new DataView(raw.buffer);
  const out: Array<bigint | undefined> = [];
  for (let i = 0; i < 2; i++) {
    const sec = wide ? v.getBigInt64(step * i, true) : BigInt(v.getInt32(step * i, true));
    const frac = wide ? Number(v.getBigInt64(step * i + 8, true)) : v.getInt32(step * i + 4, true);
    if (!tv && frac === UTIME_NOW) out.push(now);
    else if (!tv && frac === UTIME_OMIT) out.push(undefined);
    else {
      if (frac < 0 || frac >= (tv ? 1_000_000 : 1_000_000_000)) return -EINVAL;
      out.push(sec * NS + BigInt(frac) * (tv ? 1000n : 1n));
    }
  }
  return out;
}

/** Whether the times at `addr` set a time of their own (not NULL, not both UTIME_NOW), which only the owner may (vfs_utimes). */
function explicitTimes(p: LinuxProcess, addr: number, layout: TimesLayout): boolean {
  if (addr === 0) return false;
  if (layout === 'tv' || layout === 'tv64') return true;
  const step = layout === 'ts64' ? 16 : 8;
  const frac = (i: number): number => p.mem.read32(addr + step * i + step / 2); // a 64-bit tv_nsec's low half: UTIME_NOW fits
  return frac(0) !== UTIME_NOW || frac(1) !== UTIME_NOW;
}

/**
 * The order of the kernel's checks: the times are copied in first (EFAULT); a bad timeval is
 * EINVAL at once (utimes, futimesat), both timespecs UTIME_OMIT is 0 without a look at the path,
 * then the flags, the descriptor or path, and only then a bad timespec's EINVAL (vfs_utimes).
 */
function utimesAt(p: LinuxProcess, dirfd: number, pathAddr: number, timesAddr: number, flags: number, layout: TimesLayout): number {
  const times = readTimes(p, timesAddr, layout);
  if (typeof times === 'number' && (layout === 'tv' || layout === 'tv64')) return times;
  if (typeof times !== 'number' && times[0] === undefined && times[1] === undefined) return 0;
  if (pathAddr === 0 && dirfd !== AT_FDCWD) {
    // utimensat(fd, NULL, ...): the descriptor's own file (futimens)
    if (flags) return -EINVAL;
    const file = p.file(dirfd);
    if (typeof file === 'number') return file;
    if (typeof times === 'number') return times;
    if (file.pipe) return 0; // a pipefs inode's times are not kept (fstat shows 0)
    const denied = mayUtime(p, fstatSync(file.hostFd), explicitTimes(p, timesAddr, layout));
    if (denied < 0) return denied;
    setTimes(undefined, file.hostFd, false, times[0], times[1]);
    notifyFile(file, timesEvent(times));
    return 0;
  }
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  if (magicPipeAt(p, pathAddr, !(flags & AT_SYMLINK_NOFOLLOW))) return typeof times === 'number' ? times : 0;
  const found = guestPathAt(p, dirfd, pathAddr, (flags & AT_EMPTY_PATH) !== 0, !(flags & AT_SYMLINK_NOFOLLOW));
  if (typeof found === 'number') return found;
  if (found === '' && dirfd !== AT_FDCWD) return utimesAt(p, dirfd, 0, timesAddr, 0, layout);
  if (typeof times === 'number') return times;
  const path = found === '' ? p.cwd : found;
  const denied = mayUtime(p, flags & AT_SYMLINK_NOFOLLOW ? lstatSync(path) : statSync(path), explicitTimes(p, timesAddr, layout));
  if (denied < 0) return denied;
  setTimes(path, undefined, (flags & AT_SYMLINK_NOFOLLOW) !== 0, times[0], times[1]);
  notifyPath(path, timesEvent(times), !(flags & AT_SYMLINK_NOFOLLOW));
  return 0;
}
/** What notify_change reports for new times: both is IN_ATTRIB, atime alone IN_ACCESS, mtime alone IN_MODIFY. */
const timesEvent = ([atime, mtime]: Array<bigint | undefined>): number => (atime === undefined ? IN_MODIFY : mtime === undefined ? IN_ACCESS : IN_ATTRIB);
export const sysUtimensat = (p: LinuxProcess, a: SyscallArgs): number => utimesAt(p, a[0] | 0, a[1], a[2], a[3], 'ts32');
export const sysUtimensat64 = (p: LinuxProcess, a: SyscallArgs): number => utimesAt(p, a[0] | 0, a[1], a[2], a[3], 'ts64');
const timeval = (p: LinuxProcess): TimesLayout => (p.abi === 'x86_64' ? 'tv64' : 'tv');
export const sysUtimes = (p: LinuxProcess, a: SyscallArgs): number => (a[0] === 0 ? -EFAULT : utimesAt(p, AT_FDCWD, a[0], a[1], 0, timeval(p)));
export const sysFutimesat = (p: LinuxProcess, a: SyscallArgs): number => utimesAt(p, a[0] | 0, a[1], a[2], 0, timeval(p));
/** utime(path, struct utimbuf {long actime, long modtime}) in whole seconds. */
export function sysUtime(p: LinuxProcess, a: SyscallArgs): number {
  const path = guestPathAt(p, AT_FDCWD, a[0]);
  if (typeof path === 'number') return path;
  const denied = mayUtime(p, statSync(path), a[1] !== 0);
  if (denied < 0) return denied;
  if (a[1] === 0) {
    const now = BigInt(Date.now()) * 1_000_000n;
    setTimes(path, undefined, false, now, now);
    notifyPath(path, IN_ATTRIB);
    return 0;
  }
  const v = new DataView(p.mem.readBytes(a[1], p.abi === 'x86_64' ? 16 : 8).buffer);
  const [actime, modtime] = p.abi === 'x86_64' ? [v.getBigInt64(0, true), v.getBigInt64(8, true)] : [BigInt(v.getInt32(0, true)), BigInt(v.getInt32(4, true))];
  setTimes(path, undefined, false, actime * NS, modtime * NS);
  notifyPath(path, IN_ATTRIB);
  return 0;
}

// ---- links ----

function linkAt(p: LinuxProcess, oldDir: number, oldAddr: number, newDir: number, newAddr: number, flags: number): number {
  if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  const follow = (flags & AT_SYMLINK_FOLLOW) !== 0;
  // AT_EMPTY_PATH names oldDir's file itself, for a caller with CAP_DAC_READ_SEARCH (an empty name, ENOENT, otherwise)
  const from = guestPathAt(p, oldDir, oldAddr, (flags & AT_EMPTY_PATH) !== 0 && capable(p, CAP_DAC_READ_SEARCH), follow);
  if (typeof from === 'number') return from;
  const to = guestPathAt(p, newDir, newAddr, false, NOFOLLOW);
  if (typeof to === 'number') return to;
  const file = from === '' ? p.fds.get(oldDir) : undefined;
  if (from === '' && !file) return -EBADF;
  if (from !== '') (follow ? statSync : lstatSync)(from); // the source's lookup errors come before the target's may_create
  const denied = mayCreate(fsCreds(p), to);
  if (denied < 0) return denied;
  // a descriptor's file (AT_EMPTY_PATH, or a followed /proc/self/fd link: what resolveAt gives for one) has no
  // name to link by when it is unnamed (O_TMPFILE) or deleted: the host links the open file itself
  const hostFd = file ? file.hostFd : follow ? Number(/^\/proc\/self\/fd\/(\d+)$/.exec(from)?.[1] ?? -1) : -1;
  if (file && hostFd < 0) return -ENOENT;
  if (hostFd >= 0) {
    const nr = HOST_NR[process.arch]?.linkat;
    if (nr === undefined) return -ENOSYS;
    const r = hostCall('my ($f, $t) = ("/proc/self/fd/3", $ARGV[1]); syscall($ARGV[0] + 0, -100, $f, -100, $t, 0x400) == 0 or exit($! + 0);', [`${nr}`, to], hostFd);
    if (typeof r === 'number') return r;
  } else {
    // link(2) does not follow a symbolic link unless AT_SYMLINK_FOLLOW; Node's linkSync does not either
    linkSync(follow ? followLink(from) : from, to);
  }
  notifyLink(to);
  return 0;
}
function followLink(path: string): string {
  for (let i = 0; i < 40 && lstatSync(path).isSymbolicLink(); i++) {
    const t = readlinkSync(path);
    path = t.startsWith('/') ? t : `${path.slice(0, path.lastIndexOf('/') + 1)}${t}`;
  }
  return path;
}
export const sysLink = (p: LinuxProcess, a: SyscallArgs): number => linkAt(p, AT_FDCWD, a[0], AT_FDCWD, a[1], 0);
export const sysLinkat = (p: LinuxProcess, a: SyscallArgs): number => linkAt(p, a[0] | 0, a[1], a[2] | 0, a[3], a[4]);

function symlinkAt(p: LinuxProcess, targetAddr: number, newDir: number, newAddr: number): number {
  const target = p.mem.readCString(targetAddr, 4097);
  if (target === '') return -ENOENT;
  const to = guestPathAt(p, newDir, newAddr, false, NOFOLLOW);
  if (typeof to === 'number') return to;
  const denied = mayCreate(fsCreds(p), to);
  if (denied < 0) return denied;
  symlinkSync(target, to);
  ownNew(p, to);
  notifyCreate(to);
  return 0;
}
export const sysSymlink = (p: LinuxProcess, a: SyscallArgs): number => symlinkAt(p, a[0], AT_FDCWD, a[1]);
export const sysSymlinkat = (p: LinuxProcess, a: SyscallArgs): number => symlinkAt(p, a[0], a[1] | 0, a[2]);

// ---- statfs ----

/** Names the kernel uses for f_namelen and the fragment size: Node's statfs does not report them. */
const NAME_MAX = 255;

/**
 * struct statfs (32-bit fields, 64 bytes), struct statfs64 (84 bytes) or x86-64's struct statfs
 * (every field a long, 120 bytes). Node reports type, bsize, blocks, bfree, bavail, files,
 * ffree; f_fsid and f_flags are not available (0).
 */
function encodeStatfs(path: string, wide: boolean, abi: LinuxProcess['abi']): Uint8Array | number {
  const s = statfsSync(path, { bigint: true });
  const counts = [s.blocks, s.bfree, s.bavail, s.files, s.ffree];
  if (abi === 'x86_64') {
    const out = new Uint8Array(120);
    const v = new DataView(out.buffer);
    // f_type f_bsize f_blocks f_bfree f_bavail f_files f_ffree, f_fsid (0), f_namelen f_frsize
    [s.type, s.bsize, ...counts, 0n, BigInt(NAME_MAX), s.bsize].forEach((f, i) => v.setBigUint64(8 * i, f, true));
    return out;
  }
  const out = new Uint8Array(wide ? 84 : 64);
  const v = new DataView(out.buffer);
  v.setUint32(0, Number(s.type & 0xffffffffn), true);
  v.setUint32(4, Number(s.bsize), true);
  if (wide) {
    counts.forEach((c, i) => v.setBigUint64(8 + 8 * i, c, true));
    v.setUint32(56, NAME_MAX, true);
    v.setUint32(60, Number(s.bsize), true);
  } else {
    if (counts.some((c) => c > 0xffffffffn && c !== 0xffffffffffffffffn)) return -EOVERFLOW;
    counts.forEach((c, i) => v.setUint32(8 + 4 * i, Number(c & 0xffffffffn), true));
    v.setUint32(36, NAME_MAX, true);
    v.setUint32(40, Number(s.bsize), true);
  }
  return out;
}
function putStatfs(p: LinuxProcess, path: string | number, addr: number, wide: boolean): number {
  if (typeof path === 'number') return path;
  const out = encodeStatfs(path, wide, p.abi);
  if (typeof out === 'number') return out;
  p.mem.writeBytes(addr, out);
  return 0;
}
const STATFS64_SIZE = 84;
export const sysStatfs = (p: LinuxProcess, a: SyscallArgs): number => putStatfs(p, guestPathAt(p, AT_FDCWD, a[0]), a[1], false);
export const sysFstatfs = (p: LinuxProcess, a: SyscallArgs): number => putStatfs(p, fdPath(p, a[0] | 0), a[1], false);
/** statfs64(path, sz, buf): sz must be sizeof(struct statfs64). */
export const sysStatfs64 = (p: LinuxProcess, a: SyscallArgs): number => (a[1] !== STATFS64_SIZE ? -EINVAL : putStatfs(p, guestPathAt(p, AT_FDCWD, a[0]), a[2], true));
export const sysFstatfs64 = (p: LinuxProcess, a: SyscallArgs): number => (a[1] !== STATFS64_SIZE ? -EINVAL : putStatfs(p, fdPath(p, a[0] | 0), a[2], true));

// ---- sync ----

function syncFd(p: LinuxProcess, fd: number, data: boolean): number {
  const file = p.file(fd);
  if (typeof file === 'number') return file;
  if (file.pipe || file.kind === 'stream') return -EINVAL;
  (data ? fdatasyncSync : fsyncSync)(file.hostFd);
  return 0;
}
export const sysFsync = (p: LinuxProcess, a: SyscallArgs): number => syncFd(p, a[0] | 0, false);
export const sysFdatasync = (p: LinuxProcess, a: SyscallArgs): number => syncFd(p, a[0] | 0, true);
export const sysSync = (): number => 0;
export const sysSyncfs = (p: LinuxProcess, a: SyscallArgs): number => (p.fds.get(a[0] | 0) ? 0 : -EBADF);
// ---- advice ----

const POSIX_FADV_NOREUSE = 5;
function fadvise(p: LinuxProcess, fd: number, advice: number): number {
  const file = p.file(fd);
  if (typeof file === 'number') return file;
  if (file.pipe || (file.kind === 'stream' && fstatSync(file.hostFd).isFIFO())) return -ESPIPE;
  return advice > POSIX_FADV_NOREUSE ? -EINVAL : 0;
}
/** fadvise64(fd, offset lo, hi, len, advice): advice changes nothing a program can see. */
export const sysFadvise64 = (p: LinuxProcess, a: SyscallArgs): number => fadvise(p, a[0] | 0, a[4]);
/** fadvise64_64(fd, offset lo, hi, len lo, hi, advice) */
export const sysFadvise64_64 = (p: LinuxProcess, a: SyscallArgs): number => (off64(a[3], a[4]) < 0 ? -EINVAL : fadvise(p, a[0] | 0, a[5]));

/**
 * readahead(fd, offset lo, hi, count): readable regular files and block devices only (EINVAL for
 * the rest, EBADF unreadable); the page cache it fills is not something a program can see.
 */
export function sysReadahead(p: LinuxProcess, a: SyscallArgs): number {
  const file = p.file(a[0] | 0);
  if (typeof file === 'number') return file;
  if ((file.flags & O_ACCMODE) === O_WRONLY) return -EBADF;
  return file.kind === 'file' ? 0 : -EINVAL;
}

const SYNC_FILE_RANGE_VALID = 7;
/**
 * sync_file_range(fd, offset lo, hi, nbytes lo, hi, flags): the flags, then the range (offset and
 * end non-negative, no wrap), then the file: regular, block device or directory, else ESPIPE.
 * Every write reached the host file when it was made, so nothing is left to start or wait for.
 */
export function sysSyncFileRange(p: LinuxProcess, a: SyscallArgs): number {
  const file = p.file(a[0] | 0);
  if (typeof file === 'number') return file;
  if (a[5] & ~SYNC_FILE_RANGE_VALID) return -EINVAL;
  const offset = BigInt.asIntN(64, (BigInt(a[2] >>> 0) << 32n) | BigInt(a[1] >>> 0));
  const nbytes = BigInt.asIntN(64, (BigInt(a[4] >>> 0) << 32n) | BigInt(a[3] >>> 0));
  const end = BigInt.asIntN(64, offset + nbytes);
  if (offset < 0n || end < 0n || end < offset) return -EINVAL;
  return file.kind === 'file' || file.kind === 'dir' ? 0 : -ESPIPE;
}

// ---- fallocate ----

const FALLOC_FL_KEEP_SIZE = 1;
const FALLOC_FL_PUNCH_HOLE = 2;

/**
 * fallocate(fd, mode, offset, len) with 64-bit offset and length split in two registers each.
 * Allocation itself is not observable here except through the size: mode 0 extends the file,
 * KEEP_SIZE changes nothing, PUNCH_HOLE|KEEP_SIZE zeroes the range; other modes EOPNOTSUPP.
 */
export function sysFallocate(p: LinuxProcess, a: SyscallArgs): number {
  const file = p.file(a[0] | 0);
  if (typeof file === 'number') return file;
  const mode = a[1];
  const offset = off64(a[2], a[3]);
  const len = off64(a[4], a[5]);
  if (offset < 0 || len <= 0) return -EINVAL;
  if ((file.flags & O_ACCMODE) === O_RDONLY) return -EBADF;
  if (file.pipe || file.kind === 'stream') return -ESPIPE;
  if (file.kind !== 'file') return -ENODEV; // not a regular file
  const size = fstatSync(file.hostFd).size;
  if (mode === 0 && offset + len > size) ftruncateSync(file.hostFd, offset + len);
  if (mode === (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE)) {
    const end = Math.min(size, offset + len);
    for (let at = offset; at < end; at += MAX_TRANSFER) fileWrite(file, new Uint8Array(Math.min(MAX_TRANSFER, end - at)), at);
  }
  if (mode === 0 || mode === FALLOC_FL_KEEP_SIZE || mode === (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE)) {
    notifyFile(file, IN_MODIFY);
    return 0;
  }
  return mode & FALLOC_FL_PUNCH_HOLE && !(mode & FALLOC_FL_KEEP_SIZE) ? -EINVAL : -EOPNOTSUPP;
}

// ---- transfers between descriptors ----

const readable = (f: OpenFile): boolean => (f.flags & O_ACCMODE) !== O_WRONLY;
const writable = (f: OpenFile): boolean => (f.flags & O_ACCMODE) !== O_RDONLY;

/**
 * Copies up to `count` bytes from `src` (at *inOff when given, else its offset) to `dst` (at
 * *outOff when given): the common body of sendfile, copy_file_range and splice. Offsets
 * are 32 or 64 bits wide in guest memory and are updated there.
 */
function transfer(p: LinuxProcess, src: OpenFile, inOffAddr: number, dst: OpenFile, outOffAddr: number, count: number, offWidth: 4 | 8): number {
  const readOff = (addr: number): number => (offWidth === 4 ? p.mem.read32(addr) | 0 : off64(p.mem.read32(addr), p.mem.read32(addr + 4)));
  const writeOff = (addr: number, v: number): void => {
    if (offWidth === 4) p.mem.write32(addr, v);
    else {
      p.mem.write32(addr, v >>> 0);
      p.mem.write32(addr + 4, Math.floor(v / 0x1_0000_0000));
    }
  };
  const inPos = inOffAddr ? readOff(inOffAddr) : undefined;
  const outPos = outOffAddr ? readOff(outOffAddr) : undefined;
  if ((inPos !== undefined && inPos < 0) || (outPos !== undefined && outPos < 0)) return -EINVAL;
  const data = fileRead(src, Math.min(count, MAX_TRANSFER), inPos);
  if (typeof data === 'number') return data;
  if (data.length === 0) return 0;
  if (dst.kind === 'file') removePrivs(p, dst.hostFd);
  const n = fileWrite(dst, data, outPos);
  if (n === -EPIPE) p.queueSignal(SIGPIPE, SI_USER);
  if (n < 0) return n;
  // bytes read but not written go back, as the kernel never takes more than it wrote
  if (inPos === undefined && src.kind === 'file') src.pos -= data.length - n;
  if (inOffAddr) writeOff(inOffAddr, inPos! + n);
  if (outOffAddr) writeOff(outOffAddr, outPos! + n);
  return n;
}

function endpoints(p: LinuxProcess, inFd: number, outFd: number): [OpenFile, OpenFile] | number {
  const src = p.file(inFd);
  if (typeof src === 'number') return src;
  const dst = p.file(outFd);
  if (typeof dst === 'number') return dst;
  if (!readable(src) || !writable(dst)) return -EBADF;
  return [src, dst];
}

/** sendfile(out_fd, in_fd, off_t *offset, count): in_fd must be a file (mmap-able). */
function sendfile(p: LinuxProcess, a: SyscallArgs, offWidth: 4 | 8): number {
  const ends = endpoints(p, a[1] | 0, a[0] | 0);
  if (typeof ends === 'number') return ends;
  // do_sendfile counts every call that got past the descriptors, a refused splice too
  if (ends[0].kind !== 'file') return countTransfer(p.io, -EINVAL);
  if (ends[1].flags & O_APPEND) return countTransfer(p.io, -EINVAL);
  return countTransfer(p.io, transfer(p, ends[0], a[2], ends[1], 0, a[3], offWidth));
}
export const sysSendfile = (p: LinuxProcess, a: SyscallArgs): number => sendfile(p, a, 4);
export const sysSendfile64 = (p: LinuxProcess, a: SyscallArgs): number => sendfile(p, a, 8);

/** copy_file_range(fd_in, loff_t *off_in, fd_out, loff_t *off_out, len, flags): regular files. */
export function sysCopyFileRange(p: LinuxProcess, a: SyscallArgs): number {
  if (a[5] !== 0) return -EINVAL;
  const ends = endpoints(p, a[0] | 0, a[2] | 0);
  if (typeof ends === 'number') return ends;
  if (ends[0].kind === 'dir' || ends[1].kind === 'dir') return -EISDIR;
  if (ends[0].kind !== 'file' || ends[1].kind !== 'file') return -EINVAL;
  if (ends[1].flags & O_APPEND) return -EBADF;
  // vfs_copy_file_range counts a call past its checks that asks for bytes
  const r = transfer(p, ends[0], a[1], ends[1], a[3], a[4], 8);
  return a[4] === 0 ? r : countTransfer(p.io, r);
}

const isPipe = (f: OpenFile): boolean => f.kind === 'pipe' || (f.kind === 'stream' && fstatSync(f.hostFd).isFIFO());

/** splice(fd_in, loff_t *off_in, fd_out, loff_t *off_out, len, flags): one end a pipe, no offset on it. */
export function sysSplice(p: LinuxProcess, a: SyscallArgs): number {
  const ends = endpoints(p, a[0] | 0, a[2] | 0);
  if (typeof ends === 'number') return ends;
  const [src, dst] = ends;
  if (!isPipe(src) && !isPipe(dst)) return -EINVAL;
  if ((isPipe(src) && a[1]) || (isPipe(dst) && a[3])) return -ESPIPE;
  return transfer(p, src, a[1], dst, a[3], a[4], 8);
}

/** tee(fd_in, fd_out, len, flags): copies between two guest pipes without consuming the input. */
export function sysTee(p: LinuxProcess, a: SyscallArgs): number {
  const ends = endpoints(p, a[0] | 0, a[1] | 0);
  if (typeof ends === 'number') return ends;
  const [src, dst] = ends;
  if (!src.pipe || !dst.pipe || src.pipe === dst.pipe) return -EINVAL;
  const data = src.pipe.peek(Math.min(a[2], MAX_TRANSFER));
  if (data.length === 0) return 0;
  return fileWrite(dst, data);
}
