/**
 * File-system system calls on paths and directories: the stat family (stat64, lstat64,
 * fstat64, fstatat64, statx), access/faccessat, readlink(at), getcwd/chdir, unlink(at),
 * rename(at), mkdir, rmdir, umask, ftruncate64, getdents64.
 */
import { chmodSync, Dirent, fstatSync, lstatSync, mkdirSync, opendirSync, readlinkSync, realpathSync, renameSync, rmdirSync, statSync, unlinkSync, accessSync, BigIntStats } from 'node:fs';
import { dirname } from 'node:path';
import { EBADF, EBUSY, EINVAL, EISDIR, ENOENT, ENOSYS, ENOTDIR, ENOTEMPTY, EOVERFLOW, EPERM, ERANGE } from '../errno';
import { hostPathOf } from '../fd-table';
import { hostCall, HOST_NR } from '../host-call';
import { entryBefore, IN_ACCESS, notifyCreate, notifyExchange, notifyFile, notifyRename, notifyUnlink } from '../fsnotify';
import { fsCreds, MAY_EXEC, mayCreate, mayDelete, ownNew, permission, realCreds, unchecked } from '../permission';
import type { LinuxProcess } from '../process';
import { UnixSocket } from '../unix-socket';
import { encodeStatx } from '../stat';
import { guestProcPath, withGuestPids } from '../proc-pid';
import { AT_EMPTY_PATH, AT_FDCWD, AT_REMOVEDIR, AT_SYMLINK_NOFOLLOW, guestPathAt, magicFdOfPath, NOFOLLOW, procAbsolute, procDirOf, readGuestPath, resolveAt } from './paths';
import { pathInRoot } from '../chroot';
import { ulong, type SyscallArgs } from '../syscall-args';

const S_IFIFO = 0o010000;

/** What fstat shows for a file of a pseudo file system, owned by the process (mode 0600 unless given). */
function pseudoStats(p: LinuxProcess, dev: bigint, ino: bigint, type: number, perm = 0o600, owner = { uid: p.ids.euid, gid: p.ids.egid }): BigIntStats {
  const zero = 0n;
  return {
    dev, ino, mode: BigInt(type | perm), nlink: 1n, uid: BigInt(owner.uid), gid: BigInt(owner.gid),
    rdev: zero, size: zero, blksize: 4096n, blocks: zero, atimeNs: zero, mtimeNs: zero, ctimeNs: zero, birthtimeNs: zero,
  } as BigIntStats;
}

export function fdStats(p: LinuxProcess, fd: number): BigIntStats | number {
  const file = p.file(fd);
  if (typeof file === 'number') return file;
  // pipefs: a FIFO with its own inode; anon_inodefs: one shared inode without a file type
  if (file.pipe) return pseudoStats(p, 0xdn, BigInt(file.pipe.ino), S_IFIFO, file.pipe.mode, file.pipe);
  // sockfs: each socket its inode, mode 0777
  if (file.anon instanceof UnixSocket) return pseudoStats(p, 0x8n, BigInt(file.anon.ino), 0o140000, 0o777);
  if (file.anon) return pseudoStats(p, 0x10n, 1n, 0);
  return fstatSync(file.hostFd, { bigint: true });
}

const AT_NO_AUTOMOUNT = 0x800;
const AT_STATX_SYNC_TYPE = 0x6000;
const STATX__RESERVED = 0x80000000;

/** fstatat semantics for (dirfd, path, flags): the stats, or -errno (unknown flags before the path, as vfs_statx). */
export function statAt(p: LinuxProcess, dirfd: number, pathAddr: number, flags: number): BigIntStats | number {
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE)) return -EINVAL;
  const raw = readGuestPath(p, pathAddr);
  if (typeof raw === 'number') return raw;
  // through /proc/self/fd/N to the guest's description, which may be one only dbtlab holds (a pipe)
  const magic = flags & AT_SYMLINK_NOFOLLOW ? undefined : magicFdOfPath(p, procAbsolute(p, dirfd, raw), true);
  if (magic !== undefined) return p.fds.get(magic) ? fdStats(p, magic) : -ENOENT;
  const path = resolveAt(p, dirfd, raw, (flags & AT_EMPTY_PATH) !== 0, !(flags & AT_SYMLINK_NOFOLLOW));
  if (typeof path === 'number') return path;
  if (path === '') return dirfd === AT_FDCWD ? statSync(p.cwd, { bigint: true }) : fdStats(p, dirfd);
  return flags & AT_SYMLINK_NOFOLLOW ? lstatSync(path, { bigint: true }) : statSync(path, { bigint: true });
}

/** statx(dirfd, path, flags, mask, buf): the basic stats whatever the mask asks. */
export function sysStatx(p: LinuxProcess, a: SyscallArgs): number {
  // both sync types at once, or a reserved mask bit: EINVAL before the path is read (do_statx)
  if ((a[2] & AT_STATX_SYNC_TYPE) === AT_STATX_SYNC_TYPE || a[3] & STATX__RESERVED) return -EINVAL;
  const st = statAt(p, a[0] | 0, a[1], a[2]);
  if (typeof st === 'number') return st;
  p.mem.writeBytes(a[4], encodeStatx(st));
  return 0;
}

const F_OK_MASK = 7;
/** access with the real ids (AT_EACCESS: the effective ones), the lookup included; a root caller as the host (root) answers. */
function accessAt(p: LinuxProcess, dirfd: number, pathAddr: number, mode: number, effective = false): number {
  if (mode & ~F_OK_MASK) return -EINVAL;
  const creds = effective ? fsCreds(p) : realCreds(p);
  const path = guestPathAt(p, dirfd, pathAddr, false, true, creds);
  if (typeof path === 'number') return path;
  if (unchecked(creds)) accessSync(path, mode);
  else {
    const st = statSync(path);
    if (mode !== 0) return permission(creds, st, mode);
  }
  return 0;
}
export const sysAccess = (p: LinuxProcess, a: SyscallArgs): number => accessAt(p, AT_FDCWD, a[0], a[1]);
export const sysFaccessat = (p: LinuxProcess, a: SyscallArgs): number => accessAt(p, a[0] | 0, a[1], a[2]);
const AT_EACCESS = 0x200;
export function sysFaccessat2(p: LinuxProcess, a: SyscallArgs): number {
  if (a[3] & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -EINVAL;
  return accessAt(p, a[0] | 0, a[1], a[2], (a[3] & AT_EACCESS) !== 0);
}

function readlinkAt(p: LinuxProcess, dirfd: number, pathAddr: number, buf: number, size: number): number {
  if ((size | 0) <= 0) return -EINVAL;
  const raw = readGuestPath(p, pathAddr);
  if (typeof raw === 'number') return raw;
  const path = resolveAt(p, dirfd, raw, false, NOFOLLOW);
  if (typeof path === 'number') return path;
  // /proc/self/exe links to the guest's executable, not to the Node.js binary; /proc/self/fd/N,
  // cwd and root to what the guest's are
  const procLink = procSelfLink(p, procAbsolute(p, dirfd, raw), path);
  if (typeof procLink === 'number') return procLink;
  const target = procLink ?? readlinkSync(path, { encoding: 'buffer' });
  const n = Math.min(size, target.length);
  p.mem.writeBytes(buf, target.subarray(0, n));
  return n;
}

/** How the kernel names host path `host` to the process (d_path): relative to its root where it lies inside, else whole. */
const dPath = (p: LinuxProcess, host: string): string => (p.fsState.root === undefined ? host : (pathInRoot(p.fsState.root, host) ?? host));

/**
 * readlink of /proc/self/fd/N (or /proc/<pid>/..., /proc/thread-self/..., /dev/fd/N): the guest's fd N as
 * the kernel names it (d_path): a file's path, pipe:[ino], socket:[ino], anon_inode:[eventfd]...;
 * ENOENT for a closed fd; /proc/self/cwd and /proc/self/root the guest's own; undefined for any other path.
 */
function procSelfLink(p: LinuxProcess, raw: string, path: string): Buffer | number | undefined {
  // /proc/self and /proc/thread-self read as the guest's own pid (and tid)
  if (raw === '/proc/self') return Buffer.from(String(p.pid));
  if (raw === '/proc/thread-self') return Buffer.from(`${p.pid}/task/${p.tid}`);
  const g = guestProcPath(p, raw.startsWith('/') ? raw : path);
  if (typeof g === 'number') return g;
  if (g?.rest === '/exe') return Buffer.from(g.q.exePath);
  if (g?.rest === '/cwd' || g?.rest === '/root') return Buffer.from(g.rest === '/cwd' ? dPath(g.q, g.q.cwd) : '/');
  const fdOf = /^\/fd\/(\d+)$/.exec(g?.rest ?? '');
  const q = g && fdOf ? g.q : p;
  const fd = g && fdOf ? Number(fdOf[1]) : magicFdOfPath(p, path, false);
  if (fd === undefined) return undefined;
  const file = q.fds.get(fd);
  if (!file) return -ENOENT;
  if (file.pipe) return Buffer.from(`pipe:[${file.pipe.ino}]`);
  if (file.anon instanceof UnixSocket) return Buffer.from(`socket:[${file.anon.ino}]`);
  if (file.anon) return Buffer.from(file.anon.link?.() ?? `anon_inode:${file.anon.name}`);
  if (file.memfd) return file.memfd.link();
  return Buffer.from(dPath(q, hostPathOf(file)));
}

export const sysReadlink = (p: LinuxProcess, a: SyscallArgs): number => readlinkAt(p, AT_FDCWD, a[0], a[1], a[2]);
export const sysReadlinkat = (p: LinuxProcess, a: SyscallArgs): number => readlinkAt(p, a[0] | 0, a[1], a[2], a[3]);

/**
 * getcwd returns the length including the NUL, as the system call (not the libc function) does;
 * a cwd outside the process's root is "(unreachable)" and its whole path, as Linux's.
 */
export function sysGetcwd(p: LinuxProcess, a: SyscallArgs): number {
  const root = p.fsState.root;
  const seen = p.fsState.procCwd ?? (root === undefined ? p.cwd : (pathInRoot(root, p.cwd) ?? `(unreachable)${p.cwd}`));
  const bytes = Buffer.from(seen + '\0');
  if (ulong(a, 1) < bytes.length) return -ERANGE;
  p.mem.writeBytes(a[0], bytes);
  return bytes.length;
}

export function sysChdir(p: LinuxProcess, a: SyscallArgs): number {
  const raw = readGuestPath(p, a[0]);
  if (typeof raw === 'number') return raw;
  const path = resolveAt(p, AT_FDCWD, raw);
  if (typeof path === 'number') return path;
  const st = statSync(path);
  if (!st.isDirectory()) return -ENOTDIR;
  const denied = permission(fsCreds(p), st, MAY_EXEC);
  if (denied < 0) return denied;
  enter(p, path, procDirOf(p, procAbsolute(p, AT_FDCWD, raw)));
  return 0;
}

/**
 * The threads' cwd becomes host directory `path` (in a guest's /proc view, `procPath` as the guest
 * names it), symlinks resolved: the kernel keeps the directory, not the name, so getcwd after
 * chdir through a symlink gives the target's path. A directory removed meanwhile keeps its name.
 */
function enter(p: LinuxProcess, path: string, procPath: string | undefined): void {
  let real = path;
  try {
    real = realpathSync(path);
  } catch {
    // removed since it was looked up: the name is all there is
  }
  p.forThreads((t) => {
    t.cwd = real;
    t.fsState.procCwd = procPath;
  });
}

export function sysFchdir(p: LinuxProcess, a: SyscallArgs): number {
  const file = p.file(a[0] | 0);
  if (typeof file === 'number') return file;
  if (file.kind !== 'dir') return -ENOTDIR;
  // search permission, as chdir's (file_permission MAY_EXEC | MAY_CHDIR)
  const denied = permission(fsCreds(p), statSync(file.path), MAY_EXEC);
  if (denied < 0) return denied;
  enter(p, file.path, file.procPath);
  return 0;
}

/**
 * What rmdir and unlink refuse once the parent was walked (its ENOENT, ENOTDIR first), by the
 * last component of the name the guest gave (do_rmdir, do_unlinkat): rmdir "." EINVAL, ".."
 * ENOTEMPTY, "/" EBUSY; unlink any of them EISDIR. The host path no longer says: "." and ".."
 * were resolved away.
 */
function lastComponentError(p: LinuxProcess, dirfd: number, raw: string, rmdir: boolean): number {
  const trimmed = raw.replace(/\/+$/, '');
  const cut = trimmed.lastIndexOf('/');
  const last = trimmed === '' ? '/' : trimmed.slice(cut + 1);
  if (last !== '.' && last !== '..' && last !== '/') return 0;
  if (cut > 0) {
    const parent = resolveAt(p, dirfd, trimmed.slice(0, cut));
    if (typeof parent === 'number') return parent;
    if (!statSync(parent).isDirectory()) return -ENOTDIR;
  }
  if (!rmdir) return -EISDIR;
  return last === '.' ? -EINVAL : last === '..' ? -ENOTEMPTY : -EBUSY;
}

function unlinkAt(p: LinuxProcess, dirfd: number, pathAddr: number, flags: number): number {
  if (flags & ~AT_REMOVEDIR) return -EINVAL;
  const path = guestPathAt(p, dirfd, pathAddr, false, NOFOLLOW);
  if (typeof path === 'number') return path;
  const special = lastComponentError(p, dirfd, p.mem.readCString(pathAddr, 4097), (flags & AT_REMOVEDIR) !== 0);
  if (special < 0) return special;
  const denied = mayDelete(fsCreds(p), path, lstatSync(path));
  if (denied < 0) return denied;
  const before = entryBefore(path);
  if (flags & AT_REMOVEDIR) rmdirSync(path);
  else unlinkSync(path);
  notifyUnlink(before);
  return 0;
}
export const sysUnlink = (p: LinuxProcess, a: SyscallArgs): number => unlinkAt(p, AT_FDCWD, a[0], 0);
export const sysUnlinkat = (p: LinuxProcess, a: SyscallArgs): number => unlinkAt(p, a[0] | 0, a[1], a[2]);
export const sysRmdir = (p: LinuxProcess, a: SyscallArgs): number => unlinkAt(p, AT_FDCWD, a[0], AT_REMOVEDIR);

function renameAt(p: LinuxProcess, oldDir: number, oldAddr: number, newDir: number, newAddr: number): number {
  const from = guestPathAt(p, oldDir, oldAddr, false, NOFOLLOW);
  if (typeof from === 'number') return from;
  const to = guestPathAt(p, newDir, newAddr, false, NOFOLLOW);
  if (typeof to === 'number') return to;
  const denied = mayRename(p, from, to);
  if (denied < 0) return denied;
  const [source, target] = [entryBefore(from), entryBefore(to)];
  renameSync(from, to);
  notifyRename(source, to, target);
  return 0;
}
export const sysRename = (p: LinuxProcess, a: SyscallArgs): number => renameAt(p, AT_FDCWD, a[0], AT_FDCWD, a[1]);
export const sysRenameat = (p: LinuxProcess, a: SyscallArgs): number => renameAt(p, a[0] | 0, a[1], a[2] | 0, a[3]);

/** rename's may_delete of the source and may_create (or may_delete of what it replaces) at the target; a missing source the host's ENOENT. */
function mayRename(p: LinuxProcess, from: string, to: string): number {
  const c = fsCreds(p);
  if (unchecked(c)) return 0;
  const denied = mayDelete(c, from, lstatSync(from));
  if (denied < 0) return denied;
  let target;
  try {
    target = lstatSync(to);
  } catch {
    return mayCreate(c, to);
  }
  return mayDelete(c, to, target);
}

const RENAME_NOREPLACE = 1;
const RENAME_EXCHANGE = 2;
const RENAME_WHITEOUT = 4;
const RENAMEAT2_SCRIPT = 'exit(syscall($ARGV[0], -100, $ARGV[1], -100, $ARGV[2], $ARGV[3] + 0) < 0 ? $! + 0 : 0)';

/**
 * renameat2: flags 0 is renameat; NOREPLACE, EXCHANGE (atomic, which Node cannot do) and
 * WHITEOUT are the host's own call on the guest's paths, so EEXIST, ENOENT, EPERM... are its.
 * Bad flags are EINVAL before any path is read (do_renameat2).
 */
export function sysRenameat2(p: LinuxProcess, a: SyscallArgs): number {
  const flags = a[4];
  if (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) return -EINVAL;
  if (flags & RENAME_EXCHANGE && flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) return -EINVAL;
  if (flags === 0) return renameAt(p, a[0] | 0, a[1], a[2] | 0, a[3]);
  const from = guestPathAt(p, a[0] | 0, a[1], false, NOFOLLOW);
  if (typeof from === 'number') return from;
  const to = guestPathAt(p, a[2] | 0, a[3], false, NOFOLLOW);
  if (typeof to === 'number') return to;
  const denied = mayRename(p, from, to);
  if (denied < 0) return denied;
  const nr = HOST_NR[process.arch]?.renameat2;
  if (nr === undefined) return -ENOSYS;
  const [source, target] = [entryBefore(from), entryBefore(to)];
  const r = hostCall(RENAMEAT2_SCRIPT, [`${nr}`, from, to, `${flags}`]);
  if (typeof r === 'number') return r;
  if (flags & RENAME_EXCHANGE) notifyExchange(source, target);
  else notifyRename(source, to, target);
  return 0;
}

function mkdirAt(p: LinuxProcess, dirfd: number, pathAddr: number, mode: number): number {
  const path = guestPathAt(p, dirfd, pathAddr, false, NOFOLLOW);
  if (typeof path === 'number') return path;
  const denied = mayCreate(fsCreds(p), path);
  if (denied < 0) return denied;
  mkdirSync(path, { mode: mode & 0o7777 });
  // the guest's umask, not the host process's; of the special bits only the sticky one asked for
  // (vfs_mkdir) and the set-group-ID bit a set-group-ID parent gives
  chmodSync(path, (mode & 0o1777 & ~p.umask) | (statSync(path).mode & S_ISGID));
  ownNew(p, path);
  notifyCreate(path);
  return 0;
}
export const sysMkdir = (p: LinuxProcess, a: SyscallArgs): number => mkdirAt(p, AT_FDCWD, a[0], a[1]);
export const sysMkdirat = (p: LinuxProcess, a: SyscallArgs): number => mkdirAt(p, a[0] | 0, a[1], a[2]);

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_ISGID = 0o2000;
/** none (a regular file), regular, character, block, FIFO, socket */
const MKNOD_TYPES = new Set([0, 0o100000, 0o020000, 0o060000, 0o010000, 0o140000]);

const MKNOD_SCRIPT = 'umask($ARGV[3]); exit(syscall($ARGV[4], -100, $ARGV[0], $ARGV[1] + 0, $ARGV[2] + 0) < 0 ? $! + 0 : 0)';

/**
 * mknod/mknodat as QEMU makes them: the host's own call on the guest's path, mode and device
 * number (new_encode_dev's 32 bits, as the i386 call passes them) with the guest's umask, so
 * every type and error is the host kernel's (a FIFO, a regular file, a socket inode; device
 * nodes for root, EPERM otherwise; EINVAL for another type, EEXIST, ENOENT...).
 */
function mknodAt(p: LinuxProcess, dirfd: number, pathAddr: number, mode: number, dev: number): number {
  // the type is checked before the path is read (may_mknod): a directory EPERM, an unknown type EINVAL
  const type = mode & S_IFMT;
  if (type === S_IFDIR) return -EPERM;
  if (!MKNOD_TYPES.has(type)) return -EINVAL;
  const path = guestPathAt(p, dirfd, pathAddr, false, NOFOLLOW);
  if (typeof path === 'number') return path;
  const nr = HOST_NR[process.arch]?.mknodat;
  if (nr === undefined) return -ENOSYS;
  const denied = mayCreate(fsCreds(p), path);
  if (denied < 0) return denied;
  const r = hostCall(MKNOD_SCRIPT, [path, `${mode & 0xffff}`, `${dev >>> 0}`, `${p.umask}`, `${nr}`]);
  if (typeof r === 'number') return r;
  ownNew(p, path);
  notifyCreate(path);
  return 0;
}
export const sysMknod = (p: LinuxProcess, a: SyscallArgs): number => mknodAt(p, AT_FDCWD, a[0], a[1], a[2]);
export const sysMknodat = (p: LinuxProcess, a: SyscallArgs): number => mknodAt(p, a[0] | 0, a[1], a[2], a[3]);

export function sysUmask(p: LinuxProcess, a: SyscallArgs): number {
  const old = p.umask;
  p.forThreads((t) => (t.umask = a[0] & 0o777));
  return old;
}


const DT: ReadonlyArray<[(d: Dirent) => boolean, number]> = [
  [(d) => d.isFIFO(), 1],
  [(d) => d.isCharacterDevice(), 2],
  [(d) => d.isDirectory(), 4],
  [(d) => d.isBlockDevice(), 6],
  [(d) => d.isFile(), 8],
  [(d) => d.isSymbolicLink(), 10],
  [(d) => d.isSocket(), 12],
];
const DT_DIR = 4;

/** The listing getdents64 walks: ".", "..", then the entries in the order the kernel reads them. */
function listDirectory(path: string): Array<{ name: string; ino: bigint; type: number }> {
  const out = [
    { name: '.', ino: statSync(path, { bigint: true }).ino, type: DT_DIR },
    { name: '..', ino: statSync(dirname(path), { bigint: true }).ino, type: DT_DIR },
  ];
  const dir = opendirSync(path);
  try {
    for (let d = dir.readSync(); d; d = dir.readSync()) {
      const type = DT.find(([is]) => is(d!))?.[1] ?? 0;
      // an entry gone since it was read (a host process of /proc that exited) is not listed
      const st = lstatSync(`${path}/${d.name}`, { bigint: true, throwIfNoEntry: false });
      if (st) out.push({ name: d.name, ino: st.ino, type });
    }
  } finally {
    dir.closeSync();
  }
  return out;
}

/**
 * A directory record's layout: linux_dirent64 {u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type,
 * d_name}, or the old linux_dirent {long d_ino, long d_off, u16 d_reclen, d_name, NUL, d_type
 * in the record's last byte} with the ABI's long (4 or 8 bytes).
 */
interface DirentLayout {
  /** sizeof(long) of the old layout; 0 for linux_dirent64. */
  word: 0 | 4 | 8;
}

/** getdents64 / getdents(fd, dirp, count): as many records as fit, d_off the next entry's index. */
function getdents(p: LinuxProcess, a: SyscallArgs, { word }: DirentLayout): number {
  const file = p.file(a[0] | 0);
  if (typeof file === 'number') return file;
  if (file.kind !== 'dir') return file.kind === 'file' || file.kind === 'stream' ? -ENOTDIR : -EBADF;
  file.dirEntries ??= file.path.replace(/\/+$/, '') === '/proc' ? withGuestPids(p, listDirectory(file.path)) : listDirectory(file.path);
  const out = new Uint8Array(a[2] >>> 0);
  const v = new DataView(out.buffer);
  let used = 0;
  while (file.pos < file.dirEntries.length) {
    const e = file.dirEntries[file.pos];
    const name = Buffer.from(e.name);
    const nameAt = word === 0 ? 19 : 2 * word + 2;
    // the old record holds the NUL and d_type after the name
    const reclen = word === 0 ? (nameAt + name.length + 1 + 7) & ~7 : (nameAt + name.length + 2 + word - 1) & ~(word - 1);
    if (word === 4 && e.ino > 0xffffffffn) {
      if (used === 0) return -EOVERFLOW;
      break;
    }
    if (used + reclen > out.length) {
      if (used === 0) return -EINVAL;
      break;
    }
    if (word === 4) {
      v.setUint32(used, Number(e.ino), true);
      v.setUint32(used + 4, file.pos + 1, true);
    } else {
      v.setBigUint64(used, e.ino, true);
      v.setBigInt64(used + 8, BigInt(file.pos + 1), true);
    }
    v.setUint16(used + 2 * (word || 8), reclen, true);
    out.set(name, used + nameAt);
    out[word === 0 ? used + 18 : used + reclen - 1] = e.type;
    used += reclen;
    file.pos++;
  }
  p.mem.writeBytes(a[1], out.subarray(0, used));
  notifyFile(file, IN_ACCESS);
  return used;
}
export const sysGetdents64 = (p: LinuxProcess, a: SyscallArgs): number => getdents(p, a, { word: 0 });
/** The old getdents: 4-byte d_ino/d_off on i386 (EOVERFLOW for an inode number above 2^32), 8 on x86-64. */
export const sysGetdents = (p: LinuxProcess, a: SyscallArgs): number => getdents(p, a, { word: p.abi === 'x86_64' ? 8 : 4 });
