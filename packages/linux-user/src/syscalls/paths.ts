/**
 * Guest path arguments: read from guest memory, resolved against the guest's cwd or a
 * directory fd (the *at() calls), absolute ones looked up in the sysroot first (sysroot.ts),
 * with /proc/self/exe naming the guest's executable rather than the Node.js binary that runs it.
 */
import { resolve } from 'node:path';
import { walkInRoot } from '../chroot';
import { EBADF, ENAMETOOLONG, ENOENT, ENOTDIR } from '../errno';
import type { LinuxProcess } from '../process';

export const AT_FDCWD = -100;
export const AT_SYMLINK_NOFOLLOW = 0x100;
export const AT_REMOVEDIR = 0x200;
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
 * The host path for (dirfd, path): absolute paths through the sysroot (sysroot.ts), relative ones against the cwd
 * (AT_FDCWD) or the directory behind dirfd; in a chrooted process, walked inside its root (chroot.ts),
 * with `follow` (NOFOLLOW: the link itself) for a symlink in the last component. '' is ENOENT unless
 * `allowEmpty` (AT_EMPTY_PATH), which returns '' for the caller to use the fd itself.
 */
export function resolveAt(p: LinuxProcess, dirfd: number, path: string, allowEmpty = false, follow = true): string | number {
  if (path === '') return allowEmpty ? '' : -ENOENT;
  if (isProcSelfFile(path, p.pid, 'exe')) return p.exePath;
  const root = p.fsState.root;
  if (path.startsWith('/')) return root === undefined ? p.sysroot.hostPath(path) : walkInRoot(root, root, path, follow);
  let start = p.cwd;
  if (dirfd !== AT_FDCWD) {
    const dir = p.fds.get(dirfd);
    if (!dir) return -EBADF;
    if (dir.kind !== 'dir') return -ENOTDIR;
    start = dir.path;
  }
  return root === undefined ? resolve(start, path) : walkInRoot(root, start, path, follow);
}

/** readGuestPath then resolveAt. */
export function guestPathAt(p: LinuxProcess, dirfd: number, addr: number, allowEmpty = false, follow = true): string | number {
  const path = readGuestPath(p, addr);
  return typeof path === 'number' ? path : resolveAt(p, dirfd, path, allowEmpty, follow);
}
