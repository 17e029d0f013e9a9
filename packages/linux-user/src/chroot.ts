/**
 * A guest process's root directory (chroot): every guest process shares one host process, whose
 * own root cannot change, so a chrooted guest's paths are walked here component by component
 * as the kernel's path walk does (fs/namei.c): absolute paths and absolute symlink targets
 * start at the root, ".." at the root stays there, and each symlink met on the way is read and
 * followed inside the root. The result is a host path whose every component is a real
 * directory, so the host call that uses it cannot leave the root through a link.
 *
 *   walkInRoot('/srv/jail', '/srv/jail', '/../etc/passwd', true);  // '/srv/jail/etc/passwd'
 *
 * A walk that starts outside the root (a cwd the process kept when it chrooted, an fd opened
 * before) is not clamped until it reaches the root, as Linux's is not.
 */
import { lstatSync, readlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ELOOP, ENOENT, ENOTDIR } from './errno';

const MAXSYMLINKS = 40;

/** /proc/self and /proc/thread-self name the guest, not the host process: they stay as written (paths.ts matches them). */
const isProcSelf = (dir: string, name: string): boolean => dir === '/proc' && (name === 'self' || name === 'thread-self');

/**
 * The host path of `path` for a process whose root is `root`, starting at `start` for a relative
 * path (both host paths without symlinks). `follow`: whether a symlink in the last component is
 * followed (open, stat) or named itself (lstat, readlink, unlink, rename, O_NOFOLLOW). -errno
 * when a directory on the way is missing (ENOENT), not a directory (ENOTDIR) or the links loop (ELOOP).
 */
export function walkInRoot(root: string, start: string, path: string, follow: boolean): string | number {
  let cur = path.startsWith('/') ? root : start;
  const rest = path.split('/').filter((c) => c !== '' && c !== '.');
  let links = 0;
  while (rest.length > 0) {
    const name = rest.shift() as string;
    if (name === '..') {
      if (cur !== root) cur = dirname(cur);
      continue;
    }
    const next = join(cur, name);
    const last = rest.length === 0;
    if (isProcSelf(cur, name)) {
      cur = next;
      continue;
    }
    const st = lstatSync(next, { throwIfNoEntry: false });
    if (st === undefined) {
      if (last) return next;
      return -ENOENT;
    }
    if (st.isSymbolicLink() && (!last || follow)) {
      if (++links > MAXSYMLINKS) return -ELOOP;
      const target = readlinkSync(next);
      rest.unshift(...target.split('/').filter((c) => c !== '' && c !== '.'));
      if (target.startsWith('/')) cur = root;
      continue;
    }
    if (!last && !st.isDirectory()) return -ENOTDIR;
    cur = next;
  }
  return cur;
}

/** The path the process itself sees for host path `host` (getcwd, /proc/self/cwd, /proc/self/fd/N): relative to its root, or undefined outside it. */
export function pathInRoot(root: string, host: string): string | undefined {
  if (root === '/') return host;
  if (host === root) return '/';
  return host.startsWith(`${root}/`) ? host.slice(root.length) : undefined;
}
