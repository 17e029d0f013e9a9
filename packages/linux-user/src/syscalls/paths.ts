/**
 * Guest path arguments: read from guest memory, resolved against the guest's cwd or a
 * directory fd (the *at() calls), absolute ones looked up in the sysroot first (sysroot.ts),
 * with /proc/self/exe naming the guest's executable rather than the Node.js binary that runs it.
 */
import { resolve } from 'node:path';
import { walkInRoot } from '../chroot';
import { guestProcPath, procNormalize } from '../proc-pid';
import { EBADF, ENAMETOOLONG, ENOENT, ENOTDIR, ENXIO } from '../errno';
import { fsCreds, searchPath } from '../permission';
import type { GuestPipe } from '../fd-table';
import type { LinuxProcess } from '../process';

export const AT_FDCWD = -100;
export const AT_SYMLINK_NOFOLLOW = 0x100;
export const AT_REMOVEDIR = 0x200;
export const AT_SYMLINK_FOLLOW = 0x400;
export const AT_EMPTY_PATH = 0x1000;
const PATH_MAX = 4096;

/** The NUL-terminated path at `addr` (MemoryFault -> EFAULT in the dispatcher). */
export function readGuestPath(p: LinuxProcess, addr: number): string | number {
  const s = p.mem.readCString(addr, PATH_MAX + 1);
  if (Buffer.byteLength(s) > PATH_MAX) return -ENAMETOOLONG;
  return s;
}

/** /proc/self/LEAF and its aliases (/proc/<pid>/LEAF, /proc/thread-self/LEAF): exe, maps ... of the process itself. */
export function isProcSelfFile(path: string, pid: number, leaf: string): boolean {
  return path === `/proc/self/${leaf}` || path === `/proc/${pid}/${leaf}` || path === `/proc/thread-self/${leaf}`;
}

/** Whether a call names a symlink in its last component itself (lstat, readlink, unlink, rename, O_NOFOLLOW ...) rather than its target. */
export const NOFOLLOW = false;

/**
 * The guest fd a magic link names: /proc/self/fd/N (or /proc/<pid>/fd/N, /proc/thread-self/fd/N),
 * /dev/fd/N (/dev/fd links to /proc/self/fd), and with `std` /dev/stdin, /dev/stdout, /dev/stderr
 * (links to /proc/self/fd/0..2, which readlink shows as they are); undefined for any other path.
 * Node's own descriptors are not the guest's, so dbtlab follows these links itself.
 */
export function magicFdOfPath(p: LinuxProcess, path: string, std: boolean): number | undefined {
  const m = /^\/(?:proc\/(self|thread-self|\d+)|dev)\/fd\/(\d+)$/.exec(path);
  if (m) return m[1] === undefined || m[1] === 'self' || m[1] === 'thread-self' || Number(m[1]) === p.pid ? Number(m[2]) : undefined;
  const i = std ? STD_LINKS.indexOf(path) : -1;
  return i < 0 ? undefined : i;
}
const STD_LINKS = ['/dev/stdin', '/dev/stdout', '/dev/stderr'];

/** The guest pipe that the path at `addr`, followed, reaches through /proc/self/fd/N (a description only dbtlab holds); else undefined. */
export function magicPipeAt(p: LinuxProcess, addr: number, follow: boolean): GuestPipe | undefined {
  const raw = follow ? readGuestPath(p, addr) : undefined;
  const fd = typeof raw === 'string' ? magicFdOfPath(p, raw, true) : undefined;
  return fd === undefined ? undefined : p.fds.get(fd)?.pipe;
}

/**
 * The guest directory a relative path starts from when that is /proc or a guest's /proc view
 * (a dirfd or cwd there): the names under it are the guest's, not those of Node's /proc/self that
 * holds it on the host. undefined for any other start, or a bad dirfd (resolveAt answers that).
 */
function procBase(p: LinuxProcess, dirfd: number): string | undefined {
  if (dirfd === AT_FDCWD) return p.fsState.procCwd ?? (p.fsState.root === undefined && isProcDir(p.cwd) ? p.cwd : undefined);
  const dir = p.fds.get(dirfd);
  if (dir?.kind !== 'dir') return undefined;
  return dir.procPath ?? (p.fsState.root === undefined && isProcDir(dir.path) ? dir.path : undefined);
}
const isProcDir = (path: string): boolean => path === '/proc' || path.startsWith('/proc/');

/** `path` as an absolute guest path where it is relative to /proc or a guest's /proc directory (procBase); else as it is. */
export function procAbsolute(p: LinuxProcess, dirfd: number, path: string): string {
  if (path === '' || path.startsWith('/')) return path;
  const base = procBase(p, dirfd);
  return base === undefined ? path : procNormalize(`${base}/${path}`);
}

/** The guest path of a /proc directory a guest opened or entered (the fd's procPath, procCwd); undefined outside a guest's /proc view. */
export function procDirOf(p: LinuxProcess, absolute: string): string | undefined {
  const g = guestProcPath(p, absolute);
  return typeof g === 'object' ? g.dir + g.rest.replace(/\/+$/, '') : undefined;
}

/**
 * The host path for (dirfd, path): absolute paths through the sysroot (sysroot.ts), relative ones against the cwd
 * (AT_FDCWD) or the directory behind dirfd; in a chrooted process, walked inside its root (chroot.ts),
 * with `follow` (NOFOLLOW: the link itself) for a symlink in the last component. '' is ENOENT unless
 * `allowEmpty` (AT_EMPTY_PATH), which returns '' for the caller to use the fd itself.
 */
export function resolveAt(p: LinuxProcess, dirfd: number, path: string, allowEmpty = false, follow = true, creds = fsCreds(p)): string | number {
  if (path === '') return allowEmpty ? '' : -ENOENT;
  path = procAbsolute(p, dirfd, path);
  const proc = guestProcPath(p, path);
  if (typeof proc === 'number') return proc;
  if (proc?.rest === '/exe') return proc.q.exePath;
  if (follow) {
    const fd = magicFdOfPath(p, path, false);
    if (fd !== undefined) return magicLinkTarget(p, fd);
    // another guest's fd/N, cwd and root links (all guests' host fds are Node's)
    const link = proc && /^\/(?:fd\/(\d+)|(cwd|root))(\/.*)?$/.exec(proc.rest);
    if (link?.[1] !== undefined && link[3] === undefined) return magicLinkTarget(proc!.q, Number(link[1]));
    if (link?.[2]) return resolve(link[2] === 'cwd' ? proc!.q.cwd : (proc!.q.fsState.root ?? '/'), `.${link[3] ?? ''}`);
  }
  // fdinfo/N: the host's for the description's host fd (pos, flags; approximation: none for a description only dbtlab holds)
  const info = proc && /^\/fdinfo\/(\d+)$/.exec(proc.rest);
  if (info) {
    const file = proc!.q.fds.get(Number(info[1]));
    return file && file.hostFd >= 0 ? `/proc/self/fdinfo/${file.hostFd}` : -ENOENT;
  }
  // the rest of a guest's /proc directory: Node's own (proc-pid.ts)
  if (proc) path = `/proc/self${proc.rest}`;
  const root = p.fsState.root;
  let start = root ?? '/';
  let host: string | number;
  let walked = path;
  if (path.startsWith('/')) {
    host = root === undefined ? p.sysroot.hostPath(path) : walkInRoot(root, root, path, follow);
    if (root === undefined && typeof host === 'string') [start, walked] = ['/', host];
  } else {
    start = p.cwd;
    if (dirfd !== AT_FDCWD) {
      const dir = p.fds.get(dirfd);
      if (!dir) return -EBADF;
      if (dir.kind !== 'dir') return -ENOTDIR;
      start = dir.path;
    }
    host = root === undefined ? resolve(start, path) : walkInRoot(root, start, path, follow);
  }
  if (typeof host === 'number') return host;
  // the host process is root: a guest that is not has each directory on the way searched with its own ids
  const denied = searchPath(creds, start, walked, follow, root);
  return denied < 0 ? denied : host;
}

/**
 * What the guest's fd N links to, as a host path: Node's own /proc/self/fd link to the same
 * description's host fd (resolveAt follows /proc/self/fd/N and /dev/fd/N; /dev/stdin... are links
 * of their own, which open and stat follow). A closed fd is ENOENT; a description only dbtlab holds
 * (a pipe between guests, a socket, an eventfd...) has no host path: open and stat follow those
 * themselves (io.ts reopenPipe, fs.ts statAt), other calls get ENXIO.
 */
export function magicLinkTarget(p: LinuxProcess, fd: number): string | number {
  const file = p.fds.get(fd);
  if (!file) return -ENOENT;
  return file.hostFd < 0 ? -ENXIO : `/proc/self/fd/${file.hostFd}`;
}

/** readGuestPath then resolveAt. */
export function guestPathAt(p: LinuxProcess, dirfd: number, addr: number, allowEmpty = false, follow = true, creds = fsCreds(p)): string | number {
  const path = readGuestPath(p, addr);
  return typeof path === 'number' ? path : resolveAt(p, dirfd, path, allowEmpty, follow, creds);
}
