/**
 * Discretionary access control for a guest that is not root. The host process is root, so its
 * own checks pass everything; dbtlab makes the kernel's (generic_permission, may_lookup,
 * may_create, may_delete) with the guest's credentials: the owner, group (supplementary groups
 * included) or other bits, CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH when in the effective set.
 * A guest that holds both capabilities (root's effective set, credentials.ts) skips all of this
 * and goes on exactly as before. ACLs are not read.
 */
import { chmodSync, fchmodSync, fstatSync, lchownSync, lstatSync, readlinkSync, statSync, type Stats } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { capable, CAP_FOWNER, CAP_FSETID, hasCap } from './capabilities';
import { EACCES, EPERM } from './errno';
import type { LinuxProcess } from './process';

export const MAY_EXEC = 1;
export const MAY_WRITE = 2;
export const MAY_READ = 4;

const CAP_DAC_OVERRIDE = 1;
const CAP_DAC_READ_SEARCH = 2;
const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_ISVTX = 0o1000;
const S_IXUGO = 0o111;
const S_ISUID = 0o4000;
const S_ISGID = 0o2000;
const S_IXGRP = 0o010;

/** The identity a check uses: uid, gid, supplementary groups and whether it holds the DAC capabilities. */
export interface Creds {
  uid: number;
  gid: number;
  groups: readonly number[];
  caps: (cap: number) => boolean;
}

/** The filesystem credentials: fsuid, fsgid, the effective capabilities. */
export function fsCreds(p: LinuxProcess): Creds {
  return { uid: p.ids.fsuid, gid: p.ids.fsgid, groups: p.ids.groups, caps: (cap) => capable(p, cap) };
}

/** access()'s credentials: the real uid and gid, and the permitted capabilities only when the real uid is 0 (do_faccessat's override creds). */
export function realCreds(p: LinuxProcess): Creds {
  return { uid: p.ids.uid, gid: p.ids.gid, groups: p.ids.groups, caps: (cap) => p.ids.uid === 0 && hasCap(p.ids.capPrm, cap) };
}

/** Whether the DAC checks can pass nothing the host's own would not: both capabilities held. */
export const unchecked = (c: Creds): boolean => c.caps(CAP_DAC_OVERRIDE) && c.caps(CAP_DAC_READ_SEARCH);

export const inGroup = (c: Creds, gid: number): boolean => c.gid === gid || c.groups.includes(gid);

/** generic_permission: 0, or -EACCES when `c` may not `mask` (MAY_READ|MAY_WRITE|MAY_EXEC) the inode `st`. */
export function permission(c: Creds, st: Pick<Stats, 'mode' | 'uid' | 'gid'>, mask: number): number {
  let mode = st.mode;
  if (c.uid === st.uid) mode >>= 6;
  else if (inGroup(c, st.gid)) mode >>= 3;
  if ((mask & ~mode & 7) === 0) return 0;
  const isDir = (st.mode & S_IFMT) === S_IFDIR;
  if (isDir) {
    if (!(mask & MAY_WRITE) && c.caps(CAP_DAC_READ_SEARCH)) return 0;
    if (c.caps(CAP_DAC_OVERRIDE)) return 0;
    return -EACCES;
  }
  if (mask === MAY_READ && c.caps(CAP_DAC_READ_SEARCH)) return 0;
  if (c.caps(CAP_DAC_OVERRIDE) && (!(mask & MAY_EXEC) || st.mode & S_IXUGO)) return 0;
  return -EACCES;
}

const MAXSYMLINKS = 40;

/** Search permission on host directory `dir`: 0, -EACCES, or undefined when it is missing or no directory (the call's own lookup then fails). */
function searchDir(c: Creds, dir: string): number | undefined {
  const st = statSync(dir, { throwIfNoEntry: false });
  return st?.isDirectory() ? permission(c, st, MAY_EXEC) : undefined;
}

/**
 * may_lookup along a lookup of `path` (host path components when absolute) that starts in host
 * directory `start`: search (exec) permission on each directory that holds the next component,
 * `..` going up (not above `root`), and through symbolic links (a link's target walked from its
 * directory, or from `root` when absolute; the last component's only with `follow`). The walk
 * stops at a missing entry or directory (the call's own lookup then gives ENOENT or ENOTDIR),
 * at a /proc link (magic links jump) and after too many links (the host's ELOOP).
 */
export function searchPath(c: Creds, start: string, path: string, follow = true, root: string = sep): number {
  if (unchecked(c)) return 0;
  const rest = path.split(sep).filter((s) => s !== '');
  let dir = start;
  let links = 0;
  for (let part = rest.shift(); part !== undefined; part = rest.shift()) {
    const e = searchDir(c, dir);
    if (e === undefined || e < 0) return e ?? 0;
    if (part === '.') continue;
    if (part === '..') {
      if (dir !== root) dir = dirname(dir);
      continue;
    }
    const next = join(dir, part);
    const st = lstatSync(next, { throwIfNoEntry: false });
    if (st === undefined) return 0;
    if (st.isSymbolicLink() && (rest.length > 0 || follow)) {
      if (next.startsWith('/proc/') || ++links > MAXSYMLINKS) return 0;
      const target = readlinkSync(next);
      rest.unshift(...target.split(sep).filter((s) => s !== ''));
      if (target.startsWith(sep)) dir = root;
      continue;
    }
    dir = next;
  }
  return 0;
}

const exists = (host: string): boolean => {
  try {
    lstatSync(host);
    return true;
  } catch {
    return false;
  }
};

/** may_create: write and search permission on the directory that gets the new entry. */
export function mayCreate(c: Creds, host: string): number {
  if (unchecked(c) || exists(host)) return 0; // an existing entry: the host's EEXIST comes first
  try {
    return permission(c, statSync(dirname(host)), MAY_WRITE | MAY_EXEC);
  } catch {
    return 0;
  }
}

/** may_delete: write and search on the directory, then its sticky bit (EPERM unless the owner of the entry or of the directory, or CAP_FOWNER). */
export function mayDelete(c: Creds, host: string, entry: Stats): number {
  if (unchecked(c)) return 0;
  let dir: Stats;
  try {
    dir = statSync(dirname(host));
  } catch {
    return 0;
  }
  const e = permission(c, dir, MAY_WRITE | MAY_EXEC);
  if (e < 0) return e;
  if (dir.mode & S_ISVTX && c.uid !== entry.uid && c.uid !== dir.uid && !c.caps(CAP_FOWNER)) return -EPERM;
  return 0;
}

/** The owner a new inode gets: the fsuid, and the directory's group when it is set-group-ID (else the fsgid). */
export function newOwner(c: Creds, host: string): { uid: number; gid: number } {
  const dir = statSync(dirname(host));
  return { uid: c.uid, gid: dir.mode & 0o2000 ? dir.gid : c.gid };
}


const O_ACCMODE = 3, O_RDONLY = 0, O_WRONLY = 1, O_CREAT = 0o100, O_EXCL = 0o200, O_TRUNC = 0o1000, O_PATH = 0o10000000;
/**
 * may_open for an open of host path `host` (its last component followed unless not `follow`):
 * a missing file with O_CREAT needs may_create; an existing one the access mode's bits
 * (O_TRUNC: write too). What the host refuses itself (EEXIST, EISDIR, ELOOP) is left to it.
 */
export function mayOpen(c: Creds, host: string, flags: number, follow: boolean): number {
  if (unchecked(c) || flags & O_PATH) return 0;
  let st: Stats;
  try {
    st = follow ? statSync(host) : lstatSync(host);
  } catch {
    return flags & O_CREAT ? mayCreate(c, host) : 0;
  }
  if ((flags & (O_CREAT | O_EXCL)) === (O_CREAT | O_EXCL) || st.isSymbolicLink()) return 0;
  const acc = flags & O_ACCMODE;
  const mask = (acc === O_RDONLY ? MAY_READ : acc === O_WRONLY ? MAY_WRITE : MAY_READ | MAY_WRITE) | (flags & O_TRUNC ? MAY_WRITE : 0);
  return st.isDirectory() && mask & MAY_WRITE ? 0 : permission(c, st, mask);
}

/**
 * A new inode the host (root) made for the guest: given the owner Linux gives it (newOwner) and
 * its set-ID bits as the guest's creation leaves them: the host's chown cleared them, and the host
 * (CAP_FSETID) kept a set-group-ID bit that mode_strip_sgid drops: a group-executable
 * non-directory in a set-group-ID directory whose group the creator is outside, without CAP_FSETID.
 */
export function ownNew(p: LinuxProcess, host: string): void {
  const c = fsCreds(p);
  const st = lstatSync(host);
  const chown = c.uid !== process.geteuid?.() || c.gid !== process.getegid?.();
  if (chown) {
    const o = newOwner(c, host);
    lchownSync(host, o.uid, o.gid);
  }
  if (st.isSymbolicLink()) return;
  let mode = st.mode & 0o7777;
  const dir = statSync(dirname(host));
  if ((mode & (S_ISGID | S_IXGRP)) === (S_ISGID | S_IXGRP) && !st.isDirectory() && dir.mode & S_ISGID && !inGroup(c, dir.gid) && !capable(p, CAP_FSETID)) mode &= ~S_ISGID;
  if (((chown ? lstatSync(host) : st).mode & 0o7777) !== mode) chmodSync(host, mode);
}

/** Who may set an inode's mode (inode_owner_or_capable): its owner, or CAP_FOWNER. */
export const isOwner = (p: LinuxProcess, inode: { uid: number }): boolean => p.ids.fsuid === inode.uid || capable(p, CAP_FOWNER);

/** O_NOATIME asked of an inode (may_open, setfl): -EPERM unless isOwner, else 0; an inode not there yet is the creator's. */
export function noatimeDenied(p: LinuxProcess, host: string, follow: boolean): number {
  const st = follow ? statSync(host, { throwIfNoEntry: false }) : lstatSync(host, { throwIfNoEntry: false });
  return st && !isOwner(p, st) ? -EPERM : 0;
}

/**
 * The mode chmod gives an inode (setattr_prepare, setattr_copy): -EPERM unless the owner (isOwner);
 * S_ISGID silently dropped for a caller outside the inode's group without CAP_FSETID.
 */
export function chmodMode(p: LinuxProcess, inode: { uid: number; gid: number }, mode: number): number {
  if (!isOwner(p, inode)) return -EPERM;
  return inGroup(fsCreds(p), inode.gid) || capable(p, CAP_FSETID) ? mode & 0o7777 : mode & 0o7777 & ~S_ISGID;
}

/**
 * Who may set an inode's times (setattr_prepare, notify_change's ATTR_TOUCH): explicit times
 * need the owner or CAP_FOWNER (EPERM); the current time also whoever may write the inode (EACCES).
 */
export function mayUtime(p: LinuxProcess, inode: Stats, explicit: boolean): number {
  if (isOwner(p, inode)) return 0;
  return explicit ? -EPERM : permission(fsCreds(p), inode, MAY_WRITE);
}

/**
 * file_remove_privs before a write or truncation (setattr_should_drop_suidgid): a regular file
 * changed by a caller without CAP_FSETID loses set-user-ID, and set-group-ID when it is group
 * executable or the caller is outside its group. The host process (root) keeps them itself.
 */
export function removePrivs(p: LinuxProcess, file: number | string): void {
  if (capable(p, CAP_FSETID)) return;
  const st = typeof file === 'number' ? fstatSync(file) : statSync(file);
  if (!st.isFile()) return;
  let kill = st.mode & S_ISUID;
  if (st.mode & S_ISGID && (st.mode & S_IXGRP || !inGroup(fsCreds(p), st.gid))) kill |= S_ISGID;
  if (kill === 0) return;
  if (typeof file === 'number') fchmodSync(file, st.mode & 0o7777 & ~kill);
  else chmodSync(file, st.mode & 0o7777 & ~kill);
}
