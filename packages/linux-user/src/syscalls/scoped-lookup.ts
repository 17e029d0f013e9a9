/**
 * The path walk openat2's RESOLVE_* flags restrict (fs/namei.c under LOOKUP_NO_SYMLINKS,
 * LOOKUP_NO_MAGICLINKS, LOOKUP_BENEATH, LOOKUP_IN_ROOT, LOOKUP_NO_XDEV): the guest path is
 * walked here one component at a time, in the guest's names, so that each symlink, `..`,
 * absolute jump and mount crossing meets the check the kernel makes there. The result is a
 * guest path with every symlink on the way expanded, which openat then opens as any other.
 * Mounts are told apart by st_dev (a bind mount of the same file system is not seen). A guest's
 * /proc is its own (proc-pid.ts): self and thread-self name the guest, its fd/N, exe, cwd and
 * root are magic links.
 */
import { lstatSync, readlinkSync } from 'node:fs';
import { posix } from 'node:path';
import { EBADF, ELOOP, ENOENT, ENOTDIR, EXDEV, errnoOfHostError } from '../errno';
import type { LinuxProcess } from '../process';
import { guestProcPath } from '../proc-pid';
import { AT_FDCWD } from './paths';

export const RESOLVE_NO_XDEV = 0x01;
export const RESOLVE_NO_MAGICLINKS = 0x02;
export const RESOLVE_NO_SYMLINKS = 0x04;
export const RESOLVE_BENEATH = 0x08;
export const RESOLVE_IN_ROOT = 0x10;
export const RESOLVE_CACHED = 0x20;
/** The flags that change how a path is walked (RESOLVE_CACHED only says whether the dcache may answer). */
export const RESOLVE_WALK = RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH | RESOLVE_IN_ROOT;
const MAXSYMLINKS = 40;

/** What a component is: a directory or file on device `dev`, a symlink with its target, or a magic link. */
type Entry = { dev: number; link?: string; magic?: boolean };

/** The guest's name for a host directory (inside a chroot, below its root). */
function guestOfHost(p: LinuxProcess, host: string): string {
  const root = p.fsState.root;
  if (root === undefined || root === '/') return host;
  return host === root ? '/' : host.startsWith(`${root}/`) ? host.slice(root.length) : host;
}

/** The host file behind a guest path (absolute paths through the sysroot, or inside the chroot). */
function hostOfGuest(p: LinuxProcess, guest: string): string {
  const root = p.fsState.root;
  if (root === undefined) return p.sysroot.hostPath(guest);
  return root === '/' ? guest : guest === '/' ? root : root + guest;
}

/** The links of a guest's /proc, and -ENOENT for a descriptor it does not have; undefined: an ordinary entry. */
function procEntry(p: LinuxProcess, guest: string, procDev: number): Entry | number | undefined {
  const top = /^\/proc\/(self|thread-self|mounts|net)$/.exec(guest);
  if (top) return { dev: procDev, link: top[1] === 'self' ? `${p.pid}` : top[1] === 'thread-self' ? `${p.pid}/task/${p.tid}` : `self/${top[1]}` };
  const g = guestProcPath(p, guest);
  if (typeof g === 'number') return g;
  const m = g && /^\/(?:fd\/(\d+)|exe|cwd|root|map_files\/[^/]+|ns\/[^/]+)$/.exec(g.rest);
  if (!m) return undefined;
  if (m[1] !== undefined && !g!.q.fds.get(Number(m[1]))) return -ENOENT;
  return { dev: procDev, magic: true };
}

/** The component at guest path `guest`, or -errno (ENOENT, ENOTDIR on the way). */
function entryOf(p: LinuxProcess, guest: string): Entry | number {
  const isProc = guest === '/proc' || guest.startsWith('/proc/');
  try {
    if (isProc && p.fsState.root === undefined) {
      const procDev = lstatSync('/proc').dev;
      return procEntry(p, guest, procDev) ?? { dev: procDev };
    }
    const host = hostOfGuest(p, guest);
    const st = lstatSync(host);
    return st.isSymbolicLink() ? { dev: st.dev, link: readlinkSync(host) } : { dev: st.dev };
  } catch (e) {
    const errno = errnoOfHostError(e);
    if (errno === undefined) throw e;
    return -errno;
  }
}

/**
 * The guest path (dirfd, path) names under `resolve`, symlinks expanded (the last one only when
 * `followLast`), or -errno: ELOOP for a symlink under NO_SYMLINKS, a magic link under
 * NO_MAGICLINKS, or more than 40 links; EXDEV for a step out of dirfd under BENEATH (an absolute
 * path or link, `..` above it, any magic link), a magic link under IN_ROOT, a mount crossed
 * under NO_XDEV. IN_ROOT keeps absolute paths and `..` inside dirfd. A missing last component is
 * returned (O_CREAT makes it); a missing directory on the way is ENOENT.
 */
export function scopedLookup(p: LinuxProcess, dirfd: number, path: string, resolve: number, followLast: boolean): string | number {
  if (path === '') return -ENOENT;
  const scoped = (resolve & (RESOLVE_BENEATH | RESOLVE_IN_ROOT)) !== 0;
  let start: string;
  if (path.startsWith('/') && !scoped) start = '/';
  else if (dirfd === AT_FDCWD) start = p.fsState.procCwd ?? guestOfHost(p, p.cwd);
  else {
    const dir = p.fds.get(dirfd);
    if (!dir) return -EBADF;
    if (dir.kind !== 'dir') return -ENOTDIR;
    start = dir.procPath ?? guestOfHost(p, dir.path);
  }
  // the walk's root: dirfd itself when scoped (BENEATH never leaves it, IN_ROOT treats it as /)
  const root = scoped ? start : '/';
  if (path.startsWith('/') && resolve & RESOLVE_BENEATH) return -EXDEV;
  let cur = path.startsWith('/') ? root : start;
  const first = entryOf(p, cur);
  if (typeof first === 'number') return first;
  let dev = first.dev;
  const todo = path.split('/').filter((c) => c !== '');
  const mustBeDir = path.endsWith('/');
  let links = 0;
  while (todo.length > 0) {
    const c = todo.shift()!;
    if (c === '.') continue;
    if (c === '..') {
      if (cur === root) {
        if (resolve & RESOLVE_BENEATH) return -EXDEV;
        continue;
      }
      const up = posix.dirname(cur);
      const e = entryOf(p, up);
      if (typeof e === 'number') return e;
      if (resolve & RESOLVE_NO_XDEV && e.dev !== dev) return -EXDEV;
      [cur, dev] = [up, e.dev];
      continue;
    }
    const next = posix.join(cur, c);
    const e = entryOf(p, next);
    const last = todo.length === 0;
    if (e === -ENOENT && last) return next;
    if (typeof e === 'number') return e;
    if (resolve & RESOLVE_NO_XDEV && e.dev !== dev) return -EXDEV;
    if ((e.link !== undefined || e.magic) && (!last || followLast || mustBeDir)) {
      if (resolve & RESOLVE_NO_SYMLINKS) return -ELOOP;
      if (++links > MAXSYMLINKS) return -ELOOP;
      // nd_jump_link: a magic link's target is no path to walk
      if (e.magic) return resolve & RESOLVE_NO_MAGICLINKS ? -ELOOP : -EXDEV;
      const target = e.link!;
      if (target.startsWith('/')) {
        if (resolve & RESOLVE_BENEATH) return -EXDEV;
        const r = entryOf(p, root);
        if (typeof r === 'number') return r;
        if (resolve & RESOLVE_NO_XDEV && r.dev !== dev) return -EXDEV;
        [cur, dev] = [root, r.dev];
      }
      todo.unshift(...target.split('/').filter((s) => s !== ''));
      continue;
    }
    [cur, dev] = [next, e.dev];
  }
  return cur;
}
