/**
 * Descriptor and data-transfer system calls: open/openat/creat/close, read/write and their
 * vector and positioned forms, lseek/_llseek, dup*, pipe*, fcntl64, ioctl.
 */
import { addSeals, getSeals } from './memfd';
import { fcntlLock, F_GETLK, F_GETLK64, F_OFD_GETLK, F_OFD_SETLK, F_OFD_SETLKW, F_SETLK, F_SETLK64, F_SETLKW, F_SETLKW64 } from './locks';
import { closeSync, existsSync, fchmodSync, fstatSync, openSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isatty } from 'node:tty';
import { EACCES, EBADF, EFAULT, EINTR, EINVAL, ENOTTY, ENXIO, EOPNOTSUPP, EOVERFLOW, EPERM, EPIPE, ESPIPE } from '../errno';
import { fileRead, fileWrite, MAX_TRANSFER } from '../file-io';
import { truncateCacheOfFd } from '../page-cache';
import { GuestPipe, kindOfHostFd, OpenFile, O_ACCMODE, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_NOATIME, O_NOCTTY, O_NOFOLLOW, O_NONBLOCK, O_PATH, O_RDONLY, O_TRUNC, O_WRONLY, O_DIRECT, O_APPEND, SETFL_MASK, __O_TMPFILE } from '../fd-table';
import { fcntlPipeSize, F_GETPIPE_SZ, F_SETPIPE_SZ } from './pipe-size';
import { genericIoctl } from './ioctl-generic';
import { writeLimited } from './fsize-limit';
import type { LinuxProcess } from '../process';
import { SIGPIPE, SI_USER } from '../signal';
import { SOCK_DGRAM, UnixSocket } from '../unix-socket';
import { WouldBlock } from '../would-block';
import { recvBytes, recvfrom, sendBytes, sendto } from './socket';
import { AT_FDCWD, magicFdOfPath, magicLinkTarget, procAbsolute, procDirOf, readGuestPath, resolveAt } from './paths';
import { hostSeek } from '../host-call';
import { fsCreds, isOwner, mayOpen, noatimeDenied, ownNew, removePrivs } from '../permission';
import { countRead, countWrite } from '../io-accounting';
import { Inotify } from './inotify';
import { generatedProcText, guestDirListing } from '../proc-pid';
import { FifoEnd, isFifoPath, openFifo } from '../fifo';
import { holdInode, IN_MODIFY, IN_OPEN, notifyCreate, notifyFile } from '../fsnotify';
import { ulong, wordAt, type SyscallArgs } from '../syscall-args';

/** Flags open() consumes; the rest stay as the description's status flags (F_GETFL). */
const OPEN_ONLY_FLAGS = O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC;
const IOV_MAX = 1024;
const O_CREAT_EXCL = O_CREAT | O_EXCL;

const O_TMPFILE_MASK = __O_TMPFILE | O_DIRECTORY | O_CREAT;

/**
 * The flags open() refuses before it reads the path (build_open_flags): __O_TMPFILE without
 * O_DIRECTORY, with O_CREAT, or without write access. O_PATH drops those bits instead.
 */
function openFlagsError(flags: number): number {
  if (flags & O_PATH || !(flags & __O_TMPFILE)) return 0;
  if ((flags & O_TMPFILE_MASK) !== (__O_TMPFILE | O_DIRECTORY)) return -EINVAL;
  return (flags & O_ACCMODE) === O_RDONLY ? -EINVAL : 0;
}

export function doOpenat(p: LinuxProcess, dirfd: number, pathAddr: number, flags: number, mode: number): number {
  const flagsError = openFlagsError(flags);
  if (flagsError < 0) return flagsError;
  return openGuestPath(p, dirfd, readGuestPath(p, pathAddr), flags, mode);
}

/** openat of the guest path `read` (or its -errno from reading it) once the flags passed. */
export function openGuestPath(p: LinuxProcess, dirfd: number, read: string | number, flags: number, mode: number): number {
  // a name relative to a guest's /proc directory is that guest's
  const raw = typeof read === 'string' ? procAbsolute(p, dirfd, read) : read;
  const generated = typeof raw === 'string' ? generatedProcText(p, raw) : undefined;
  if (typeof generated === 'number') return generated;
  if (generated !== undefined) return openGenerated(p, generated, flags);
  // O_NOFOLLOW and O_CREAT|O_EXCL do not follow a symlink in the last component (the host's open then fails on it)
  const follow = !(flags & O_NOFOLLOW) && (flags & O_CREAT_EXCL) !== O_CREAT_EXCL;
  const magic = follow && typeof raw === 'string' ? magicFdOfPath(p, raw, true) : undefined;
  const linked = magic === undefined ? undefined : p.fds.get(magic);
  if (linked?.pipe) return reopenPipe(p, linked.pipe, flags);
  const path = typeof raw === 'number' ? raw : magic === undefined ? resolveAt(p, dirfd, raw, false, follow) : magicLinkTarget(p, magic);
  if (typeof path === 'number') return path;
  // through a magic link the description's own path is the one the new one remembers
  const named = linked ? linked.path : path;
  const denied = magic === undefined ? mayOpen(fsCreds(p), path, flags, follow) : 0;
  if (denied < 0) return denied;
  // before O_TRUNC cuts anything
  const noatime = flags & O_NOATIME && !(flags & O_PATH) ? noatimeDenied(p, path, follow) : 0;
  if (noatime < 0) return noatime;
  if ((flags & O_CREAT_EXCL) !== O_CREAT_EXCL && isFifoPath(path, flags)) {
    return openFifo(p, path, flags & ~OPEN_ONLY_FLAGS, (hostFd, end) => installOpened(p, hostFd, flags, named, false, end));
  }
  // the guest's umask applies to what it creates, not the host process's (which cannot be
  // changed from a worker thread): a file this call creates gets its mode set exactly
  const creates = (flags & O_CREAT) !== 0 && !existsSync(path);
  const hostFd = openSync(path, flags, mode & 0o7777);
  if (creates) {
    fchmodSync(hostFd, mode & 0o7777 & ~p.umask);
    ownNew(p, path);
  } else if (flags & O_TRUNC) {
    removePrivs(p, hostFd); // handle_truncate
    truncateCacheOfFd(hostFd, 0);
  }
  const fd = installOpened(p, hostFd, flags, named, creates);
  // a guest's /proc/<pid>/fd, fdinfo and task list the guest's, not those of Node's /proc/self directory opened
  const listing = fd >= 0 && typeof raw === 'string' ? guestDirListing(p, raw) : undefined;
  if (listing) p.fds.get(fd)!.dirEntries = listing;
  const opened = fd >= 0 ? p.fds.get(fd) : undefined;
  if (opened?.kind === 'dir' && typeof raw === 'string') opened.procPath = procDirOf(p, raw);
  // a memfd reopened through its magic link: the same inode, its name and seals
  if (opened && linked?.memfd) opened.memfd = linked.memfd;
  return fd;
}

/**
 * open of /proc/self/fd/N (/dev/fd/N, /dev/stdin...) where N is a pipe between guests: a new
 * description of the same pipe with the new access mode (bash's <(cmd) handed to a program as
 * /dev/fd/63). fifo_open never waits for the other end of a pipefs pipe, nor fails for its lack.
 */
function reopenPipe(p: LinuxProcess, pipe: GuestPipe, flags: number): number {
  const file = new OpenFile(-1, 'pipe', flags & ~OPEN_ONLY_FLAGS, '', false, pipe);
  const fd = p.fds.install(file, (flags & O_CLOEXEC) !== 0);
  if (fd < 0) file.release();
  return fd;
}

/** The description of a host fd the guest opened by `path`, and its inotify events; the fd or -EMFILE. */
export function installOpened(p: LinuxProcess, hostFd: number, flags: number, path: string, creates: boolean, fifo?: FifoEnd): number {
  const file = new OpenFile(hostFd, kindOfHostFd(hostFd), flags & ~OPEN_ONLY_FLAGS, path, true);
  file.fifo = fifo;
  file.created = creates;
  const fd = p.fds.install(file, (flags & O_CLOEXEC) !== 0);
  if (fd < 0) {
    fifo?.release();
    closeSync(hostFd);
    return fd;
  }
  file.inode = holdInode(hostFd);
  if (creates) notifyCreate(path);
  notifyFile(file, IN_OPEN);
  if (!creates && flags & O_TRUNC && file.kind === 'file') notifyFile(file, IN_MODIFY);
  return fd;
}

let generatedFiles = 0;

/**
 * A file whose text dbtlab writes (/proc/self/maps): an unlinked host file opened read-only, so
 * the guest reads, seeks and stats it as a regular file and nothing is left behind (QEMU's fake_open).
 */
function openGenerated(p: LinuxProcess, text: string, flags: number): number {
  if ((flags & O_ACCMODE) !== O_RDONLY) return -EACCES;
  const tmp = join(tmpdir(), `dbtlab-generated-${process.pid}-${generatedFiles++}`);
  writeFileSync(tmp, text, { mode: 0o400, flag: 'wx' });
  let hostFd: number;
  try {
    hostFd = openSync(tmp, 'r');
  } finally {
    unlinkSync(tmp);
  }
  const fd = p.fds.install(new OpenFile(hostFd, 'file', flags & ~OPEN_ONLY_FLAGS, '', true), (flags & O_CLOEXEC) !== 0);
  if (fd < 0) closeSync(hostFd);
  return fd;
}

export const sysOpen = (p: LinuxProcess, a: SyscallArgs): number => doOpenat(p, AT_FDCWD, a[0], a[1], a[2]);
export const sysOpenat = (p: LinuxProcess, a: SyscallArgs): number => doOpenat(p, a[0] | 0, a[1], a[2], a[3]);
export const sysCreat = (p: LinuxProcess, a: SyscallArgs): number => doOpenat(p, AT_FDCWD, a[0], O_CREAT | O_WRONLY | O_TRUNC, a[1]);
export const sysClose = (p: LinuxProcess, a: SyscallArgs): number => p.fds.close(a[0] | 0);

const readable = (f: OpenFile): boolean => (f.flags & O_ACCMODE) !== O_WRONLY;
const writable = (f: OpenFile): boolean => (f.flags & O_ACCMODE) !== O_RDONLY;

/** A write that hit a closed pipe also raises SIGPIPE, as the kernel does. */
function writeResult(p: LinuxProcess, n: number): number {
  if (n === -EPIPE) p.queueSignal(SIGPIPE, SI_USER);
  return n;
}

function readInto(p: LinuxProcess, fd: number, buf: number, count: number, position?: number): number {
  const file = p.file(fd);
  if (typeof file === 'number') return file;
  if (!readable(file)) return -EBADF;
  if (file.anon instanceof UnixSocket && position === undefined) return countRead(p.io, recvfrom(p, fd, buf, count, 0, 0, 0));
  const data = fileRead(file, count, position);
  if (typeof data === 'number') return countRead(p.io, data);
  p.mem.writeBytes(buf, data);
  return countRead(p.io, data.length);
}

function writeFrom(p: LinuxProcess, fd: number, buf: number, count: number, position?: number): number {
  const file = p.file(fd);
  if (typeof file === 'number') return file;
  if (!writable(file)) return -EBADF;
  const len = Math.min(count, MAX_TRANSFER);
  if (file.anon instanceof UnixSocket && position === undefined) return countWrite(p.io, sendto(p, fd, buf, len, 0, 0, 0));
  if (file.kind === 'pipe' && !(file.flags & O_NONBLOCK) && len > file.pipe!.capacity) return countWrite(p.io, largePipeWrite(p, file, buf, len));
  const allowed = writeLimited(p, file, position, len, (file.flags & O_APPEND) !== 0);
  if (allowed < 0) return countWrite(p.io, allowed);
  const data = p.mem.readBytes(buf, allowed);
  if (file.kind === 'file' && len > 0) removePrivs(p, file.hostFd);
  return countWrite(p.io, writeResult(p, fileWrite(file, data, position)));
}

/** Bytes of a large blocking pipe write already in the pipe, by writer (its retry goes on from there). */
const pipeWritten = new WeakMap<LinuxProcess, number>();

/**
 * A blocking write larger than the pipe (pipe_write): what fits goes in, then the writer
 * sleeps until the reader makes room, until all of it is written (no short count). A reader
 * gone meanwhile: SIGPIPE, and the count written so far (EPIPE if none); a signal that
 * interrupts the sleep: that count too (EINTR if none).
 */
function largePipeWrite(p: LinuxProcess, file: OpenFile, buf: number, len: number): number {
  const done = pipeWritten.get(p) ?? 0;
  pipeWritten.delete(p);
  const pipe = file.pipe!;
  if (pipe.readers === 0) {
    writeResult(p, -EPIPE);
    return done > 0 ? done : -EPIPE;
  }
  const n = pipe.write(p.mem.readBytes(buf + done, len - done), (file.flags & O_DIRECT) !== 0);
  if (done + n === len) return len;
  pipeWritten.set(p, done + n);
  const written = (): number => (pipeWritten.get(p) ?? 0) || -EINTR;
  throw new WouldBlock('write to a full pipe', undefined, () => pipeWritten.delete(p), false, written, false, true);
}

/** A 64-bit file offset passed as two registers, low word first. */
const offset64 = (lo: number, hi: number): number => (hi | 0) * 0x1_0000_0000 + lo;

export const sysRead = (p: LinuxProcess, a: SyscallArgs): number => readInto(p, a[0] | 0, a[1], ulong(a, 2));
export const sysWrite = (p: LinuxProcess, a: SyscallArgs): number => writeFrom(p, a[0] | 0, a[1], ulong(a, 2));

/** pread/pwrite's FMODE_PREAD: guest pipes, FIFOs and anonymous files have none; a host descriptor's own kernel answers. */
const positionable = (file: OpenFile): boolean => file.kind !== 'pipe' && file.kind !== 'anon' && !file.fifo;

function positioned(p: LinuxProcess, a: SyscallArgs, op: typeof readInto): number {
  const file = p.file(a[0] | 0);
  if (typeof file === 'number') return file;
  if (!positionable(file)) return -ESPIPE;
  const pos = offset64(a[3], a[4]);
  return pos < 0 ? -EINVAL : op(p, a[0] | 0, a[1], ulong(a, 2), pos);
}
export const sysPread64 = (p: LinuxProcess, a: SyscallArgs): number => positioned(p, a, readInto);
export const sysPwrite64 = (p: LinuxProcess, a: SyscallArgs): number => positioned(p, a, writeFrom);

export function readIovecs(p: LinuxProcess, iov: number, count: number): Array<{ base: number; len: number }> | number {
  if ((count | 0) < 0 || count > IOV_MAX) return -EINVAL;
  // struct iovec is two pointer-sized fields: 8 bytes for i386, 16 for x86-64
  const size = p.abi === 'x86_64' ? 16 : 8;
  const raw = p.mem.readBytes(iov, count * size);
  const v = new DataView(raw.buffer);
  const out = [];
  for (let i = 0; i < count; i++) {
    const len = wordAt(v, size * i + size / 2, size / 2);
    // a length that is negative as the ABI's ssize_t (rw_copy_check_uvector; i386: compat_ssize_t)
    if (len >= 2 ** (size * 4 - 1)) return -EINVAL;
    out.push({ base: wordAt(v, size * i, size / 2), len });
  }
  return out;
}

/** `data` written over the iovecs in order, as far as it goes (readv, preadv, vmsplice from a pipe). */
export function scatterIovecs(p: LinuxProcess, iovs: ReadonlyArray<{ base: number; len: number }>, data: Uint8Array): void {
  let off = 0;
  for (const { base, len } of iovs) {
    if (off >= data.length) break;
    const part = data.subarray(off, off + len);
    p.mem.writeBytes(base, part);
    off += part.length;
  }
}

const RWF_APPEND = 0x10;
const RWF_NOAPPEND = 0x20;
const RWF_ATOMIC = 0x40;
const RWF_NOSIGNAL = 0x100;
/** RWF_HIPRI, DSYNC, SYNC, NOWAIT, APPEND, NOAPPEND, ATOMIC, DONTCACHE, NOSIGNAL. */
const RWF_SUPPORTED = 0x1ff;

/**
 * kiocb_set_rw_flags: preadv2/pwritev2's flags, checked once there is something to transfer.
 * HIPRI, DSYNC/SYNC, NOWAIT and DONTCACHE change nothing a guest can see here (every write reaches
 * the host file at once; a read never waits on the page cache); RWF_ATOMIC needs O_DIRECT (and a write).
 */
function rwFlagsError(flags: number): number {
  if (flags & ~RWF_SUPPORTED) return -EOPNOTSUPP;
  if (flags & RWF_APPEND && flags & RWF_NOAPPEND) return -EINVAL;
  return flags & RWF_ATOMIC ? -EOPNOTSUPP : 0;
}

/** readv, and preadv at `position`: what was read, scattered over the iovecs. */
function readvUncounted(p: LinuxProcess, a: SyscallArgs, position?: number, flags = 0): number {
  const file = p.file(a[0] | 0);
  if (typeof file === 'number') return file;
  if (position !== undefined && !positionable(file)) return -ESPIPE;
  if (!readable(file)) return -EBADF;
  const iovs = readIovecs(p, a[1], a[2]);
  if (typeof iovs === 'number') return iovs;
  const total = iovs.reduce((s, v) => s + v.len, 0);
  if (total === 0) return 0;
  const bad = rwFlagsError(flags);
  if (bad) return bad;
  const data = file.anon instanceof UnixSocket ? recvBytes(p, a[0] | 0, total) : fileRead(file, total, position);
  if (typeof data === 'number') return data;
  scatterIovecs(p, iovs, data);
  return data.length;
}

/** writev, and pwritev at `position`: the iovecs gathered and written (RWF_APPEND: at the end of a file). */
function writevUncounted(p: LinuxProcess, a: SyscallArgs, position?: number, flags = 0): number {
  const file = p.file(a[0] | 0);
  if (typeof file === 'number') return file;
  if (position !== undefined && !positionable(file)) return -ESPIPE;
  if (!writable(file)) return -EBADF;
  const iovs = readIovecs(p, a[1], a[2]);
  if (typeof iovs === 'number') return iovs;
  const parts = iovs.map(({ base, len }) => p.mem.readBytes(base, len));
  const data = Buffer.concat(parts);
  if (flags && data.length > 0) {
    const bad = rwFlagsError(flags);
    if (bad) return bad;
  }
  if (file.anon instanceof UnixSocket) return sendBytes(p, a[0] | 0, data);
  // RWF_APPEND (IOCB_APPEND): at the end; a write at the file position moves it past what was written
  const end = flags & RWF_APPEND && file.kind === 'file' ? fstatSync(file.hostFd).size : undefined;
  const allowed = writeLimited(p, file, end ?? position, data.length, (file.flags & O_APPEND) !== 0);
  if (allowed < 0) return allowed;
  if (file.kind === 'file' && data.length > 0) removePrivs(p, file.hostFd);
  const n = fileWrite(file, data.subarray(0, allowed), end ?? position);
  if (end !== undefined && position === undefined && n > 0) file.pos = end + n;
  // RWF_NOSIGNAL: a closed pipe is EPIPE without SIGPIPE
  return flags & RWF_NOSIGNAL ? n : writeResult(p, n);
}

/** The vector calls count every call, a refused one too (do_readv, do_writev, do_preadv: inc_syscr/inc_syscw after vfs_readv/vfs_writev or EBADF/ESPIPE). */
function readvAt(p: LinuxProcess, a: SyscallArgs, position?: number, flags = 0): number {
  return countRead(p.io, readvUncounted(p, a, position, flags));
}
function writevAt(p: LinuxProcess, a: SyscallArgs, position?: number, flags = 0): number {
  return countWrite(p.io, writevUncounted(p, a, position, flags));
}

export const sysReadv = (p: LinuxProcess, a: SyscallArgs): number => readvAt(p, a);
export const sysWritev = (p: LinuxProcess, a: SyscallArgs): number => writevAt(p, a);

/** preadv/pwritev(fd, iov, iovcnt, pos_l, pos_h): a negative offset EINVAL before anything else (do_preadv). */
function positionedv(p: LinuxProcess, a: SyscallArgs, op: typeof readvAt): number {
  const pos = offset64(a[3], a[4]);
  return pos < 0 ? -EINVAL : op(p, a, pos);
}
export const sysPreadv = (p: LinuxProcess, a: SyscallArgs): number => positionedv(p, a, readvAt);
export const sysPwritev = (p: LinuxProcess, a: SyscallArgs): number => positionedv(p, a, writevAt);

/** preadv2/pwritev2(fd, iov, iovcnt, pos_l, pos_h, flags): offset -1 is readv/writev's, at the file position. */
function positionedv2(p: LinuxProcess, a: SyscallArgs, op: typeof readvAt): number {
  const pos = offset64(a[3], a[4]);
  if (pos === -1) return op(p, a, undefined, a[5] >>> 0);
  return pos < 0 ? -EINVAL : op(p, a, pos, a[5] >>> 0);
}
export const sysPreadv2 = (p: LinuxProcess, a: SyscallArgs): number => positionedv2(p, a, readvAt);
export const sysPwritev2 = (p: LinuxProcess, a: SyscallArgs): number => positionedv2(p, a, writevAt);

const CLOSE_RANGE_UNSHARE = 1 << 1;
const CLOSE_RANGE_CLOEXEC = 1 << 2;

/**
 * close_range(first, last, flags): the descriptors from first to last closed, or marked
 * close-on-exec; CLOSE_RANGE_UNSHARE first gives the caller its own copy of a table it shares.
 */
export function sysCloseRange(p: LinuxProcess, a: SyscallArgs): number {
  const [first, last, flags] = [a[0] >>> 0, a[1] >>> 0, a[2] >>> 0];
  if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC) || first > last) return -EINVAL;
  if (flags & CLOSE_RANGE_UNSHARE && p.tree?.sharesFileTable(p)) p.fds = p.fds.clone(p.fds.limit);
  for (const fd of p.fds.list()) {
    if (fd < first || fd > last) continue;
    if (flags & CLOSE_RANGE_CLOEXEC) p.fds.entry(fd)!.cloexec = true;
    else p.fds.close(fd);
  }
  return 0;
}

const SEEK_SET = 0;
const SEEK_CUR = 1;
const SEEK_END = 2;
const SEEK_DATA = 3;
const SEEK_HOLE = 4;

/** The new offset, or -errno. A directory only rewinds (SEEK_SET 0 lists it afresh). */
export function seek(file: OpenFile, off: number, whence: number): number {
  // sockets have no llseek (no_llseek); eventfd, timerfd, signalfd and epoll noop_llseek
  if (file.kind === 'pipe' || file.fifo || file.anon instanceof UnixSocket) return -ESPIPE;
  if (file.kind === 'stream') return hostSeek(file.hostFd, off, whence);
  if (file.kind === 'anon') return file.anon?.seek?.(off, whence) ?? 0;
  if (file.kind === 'dir') {
    if (whence !== SEEK_SET || off < 0) return -EINVAL;
    if (off === 0) file.dirEntries = undefined;
    file.pos = off;
    return off;
  }
  const size = fstatSync(file.hostFd).size;
  let pos: number;
  if (whence === SEEK_SET) pos = off;
  else if (whence === SEEK_CUR) pos = file.pos + off;
  else if (whence === SEEK_END) pos = size + off;
  else if (whence === SEEK_DATA || whence === SEEK_HOLE) {
    if (off < 0 || off >= size) return -ENXIO;
    pos = whence === SEEK_DATA ? off : size;
  } else return -EINVAL;
  if (pos < 0) return -EINVAL;
  file.pos = pos;
  return pos;
}

export function sysLseek(p: LinuxProcess, a: SyscallArgs): number {
  const file = p.file(a[0] | 0);
  if (typeof file === 'number') return file;
  const old = file.pos;
  const pos = seek(file, a[1] | 0, a[2]);
  if (pos > 0x7fffffff) {
    file.pos = old;
    return -EOVERFLOW;
  }
  return pos;
}

/** _llseek(fd, offset_high, offset_low, loff_t *result, whence) */
export function sysLlseek(p: LinuxProcess, a: SyscallArgs): number {
  const file = p.file(a[0] | 0);
  if (typeof file === 'number') return file;
  const pos = seek(file, offset64(a[2], a[1]), a[4]);
  if (pos < 0) return pos;
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigInt64(0, BigInt(pos), true);
  p.mem.writeBytes(a[3], out);
  return 0;
}

export function sysDup(p: LinuxProcess, a: SyscallArgs): number {
  const file = p.file(a[0] | 0);
  return typeof file === 'number' ? file : p.fds.install(file, false);
}

function dupTo(p: LinuxProcess, oldFd: number, newFd: number, cloexec: boolean): number {
  const file = p.file(oldFd);
  if (typeof file === 'number') return file;
  if (newFd < 0 || newFd >= p.fds.limit()) return -EBADF;
  if (oldFd !== newFd) p.fds.installAt(newFd, file, cloexec);
  return newFd;
}
export const sysDup2 = (p: LinuxProcess, a: SyscallArgs): number => dupTo(p, a[0] | 0, a[1] | 0, false);
export function sysDup3(p: LinuxProcess, a: SyscallArgs): number {
  if ((a[0] | 0) === (a[1] | 0) || a[2] & ~O_CLOEXEC) return -EINVAL;
  return dupTo(p, a[0] | 0, a[1] | 0, (a[2] & O_CLOEXEC) !== 0);
}

let pipeInodes = 0;
function doPipe(p: LinuxProcess, fdsAddr: number, flags: number): number {
  if (flags & ~(O_CLOEXEC | O_NONBLOCK | O_DIRECT)) return -EINVAL;
  const pipe = new GuestPipe(++pipeInodes, p.ids.fsuid, p.ids.fsgid);
  // O_DIRECT (packets) is the writing end's (create_pipe_files)
  const rd = new OpenFile(-1, 'pipe', O_RDONLY | (flags & O_NONBLOCK), '', false, pipe);
  const wr = new OpenFile(-1, 'pipe', O_WRONLY | (flags & (O_NONBLOCK | O_DIRECT)), '', false, pipe);
  const cloexec = (flags & O_CLOEXEC) !== 0;
  const r = p.fds.install(rd, cloexec);
  if (r < 0) {
    rd.release();
    wr.release();
    return r;
  }
  const w = p.fds.install(wr, cloexec);
  if (w < 0) {
    p.fds.close(r);
    wr.release();
    return w;
  }
  try {
    p.mem.write32(fdsAddr, r);
    p.mem.write32(fdsAddr + 4, w);
  } catch {
    p.fds.close(r);
    p.fds.close(w);
    return -EFAULT;
  }
  return 0;
}
export const sysPipe = (p: LinuxProcess, a: SyscallArgs): number => doPipe(p, a[0], 0);
export const sysPipe2 = (p: LinuxProcess, a: SyscallArgs): number => doPipe(p, a[0], a[1]);

const F_DUPFD = 0;
const F_GETFD = 1;
const F_SETFD = 2;
const F_GETFL = 3;
const F_SETFL = 4;
const F_DUPFD_CLOEXEC = 1030;
const F_CREATED_QUERY = 1028;
const F_ADD_SEALS = 1033;
const F_GET_SEALS = 1034;
const FD_CLOEXEC = 1;

/** fcntl64 (and fcntl). Record locks are the run's guests' (locks.ts; host processes' are not seen). */
export function sysFcntl64(p: LinuxProcess, a: SyscallArgs): number {
  const fd = a[0] | 0;
  const entry = p.fds.entry(fd);
  if (!entry) return -EBADF;
  const arg = a[2];
  switch (a[1]) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
      if ((arg | 0) < 0 || arg >= p.fds.limit()) return -EINVAL;
      return p.fds.install(entry.file, a[1] === F_DUPFD_CLOEXEC, arg);
    case F_GETFD:
      return entry.cloexec ? FD_CLOEXEC : 0;
    case F_SETFD:
      entry.cloexec = (arg & FD_CLOEXEC) !== 0;
      return 0;
    case F_GETFL:
      return entry.file.flags;
    case F_SETFL:
      if (arg & O_NOATIME && !(entry.file.flags & O_NOATIME) && entry.file.hostFd >= 0 && !isOwner(p, fstatSync(entry.file.hostFd))) return -EPERM;
      entry.file.flags = (entry.file.flags & ~SETFL_MASK) | (arg & SETFL_MASK);
      return 0;
    case F_GETLK:
    case F_SETLK:
    case F_SETLKW:
    case F_GETLK64:
    case F_SETLK64:
    case F_SETLKW64:
    case F_OFD_GETLK:
    case F_OFD_SETLK:
    case F_OFD_SETLKW:
      return fcntlLock(p, entry, fd, a[1], arg);
    case F_ADD_SEALS:
      return addSeals(entry.file, arg);
    case F_GET_SEALS:
      return getSeals(entry.file);
    case F_CREATED_QUERY:
      return entry.file.created ? 1 : 0;
    case F_GETPIPE_SZ:
    case F_SETPIPE_SZ:
      return fcntlPipeSize(p, entry.file, a[1], arg);
    default:
      return -EINVAL;
  }
}

const TCGETS = 0x5401;
const TIOCGWINSZ = 0x5413;
const FIONREAD = 0x541b;

/**
 * A cooked-mode terminal as a fresh Linux tty reports it (struct termios, 36 bytes): Node
 * cannot read the host's termios, so these are the kernel's defaults (tty_std_termios, B38400).
 */
function defaultTermios(): Uint8Array {
  const out = new Uint8Array(36);
  const v = new DataView(out.buffer);
  v.setUint32(0, 0o400 | 0o2000, true); // c_iflag ICRNL | IXON
  v.setUint32(4, 0o1 | 0o4, true); // c_oflag OPOST | ONLCR
  v.setUint32(8, 0o17 | 0o60 | 0o200 | 0o2000, true); // c_cflag B38400 | CS8 | CREAD | HUPCL
  v.setUint32(12, 0o1 | 0o2 | 0o10 | 0o20 | 0o40 | 0o1000 | 0o4000 | 0o100000, true); // c_lflag ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN
  out.set([3, 28, 127, 21, 4, 0, 1, 0, 17, 19, 26, 0, 18, 15, 23, 22, 0], 17); // c_cc: INIT_C_CC
  return out;
}

/**
 * ioctl: the generic ones (ioctl-generic.ts), then TCGETS, TIOCGWINSZ (ttys) and FIONREAD (SIOCINQ on a socket); anything
 * else is ENOTTY, as for a plain file. An O_PATH descriptor is EBADF (ioctl's fdget).
 */
export function sysIoctl(p: LinuxProcess, a: SyscallArgs): number {
  const entry = p.fds.entry(a[0] | 0);
  if (!entry || entry.file.flags & O_PATH) return -EBADF; // fdget refuses an O_PATH descriptor
  const generic = genericIoctl(p, entry, a[1], a[2]);
  if (generic !== undefined) return generic;
  const file = entry.file;
  const tty = (file.kind === 'stream' || file.kind === 'file') && isatty(file.hostFd);
  switch (a[1]) {
    case TCGETS:
      if (!tty) return -ENOTTY;
      p.mem.writeBytes(a[2], defaultTermios());
      return 0;
    case TIOCGWINSZ: {
      if (!tty) return -ENOTTY;
      const stream = [process.stdout, process.stderr].find((s) => s.isTTY && (s as unknown as { fd: number }).fd === file.hostFd);
      const [cols, rows] = stream ? stream.getWindowSize() : [80, 24];
      const ws = new Uint8Array(8);
      new DataView(ws.buffer).setUint16(0, rows, true);
      new DataView(ws.buffer).setUint16(2, cols, true);
      p.mem.writeBytes(a[2], ws);
      return 0;
    }
    case FIONREAD: {
      let n: number;
      if (file.kind === 'pipe') n = file.pipe!.length;
      else if (file.kind === 'file') n = Math.max(0, fstatSync(file.hostFd).size - file.pos);
      else if (file.anon instanceof Inotify) n = file.anon.pending();
      else if (file.anon instanceof UnixSocket) {
        // SIOCINQ (unix_inq_len): a stream's or seqpacket's queued bytes, a datagram socket's next datagram; a listener EINVAL
        const s = file.anon;
        if (s.listening) return -EINVAL;
        n = s.type === SOCK_DGRAM ? (s.queue[0]?.bytes.length ?? 0) : s.queue.reduce((sum, c) => sum + c.bytes.length, 0);
      } else return -ENOTTY;
      p.mem.write32(a[2], n);
      return 0;
    }
    default:
      return -ENOTTY;
  }
}
