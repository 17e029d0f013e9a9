/**
 * Extended attributes: setxattr, getxattr, listxattr, removexattr, their l (the link itself)
 * and f (a descriptor) variants, and the *xattrat calls of Linux 6.13 (a directory fd, AT_ flags
 * and struct xattr_args). Node.js has no xattr calls, so after the arguments are checked in the
 * kernel's order the host's own call acts on the file (host-call.ts): the host filesystem's
 * attributes, ENODATA, EOPNOTSUPP or EPERM as it gives them. A description only dbtlab holds
 * (a guest pipe, socket or anon_inode file) is answered by a host object of the same kind.
 */
import { lstatSync, statSync } from 'node:fs';
import { E2BIG, EBADF, EFAULT, EINVAL, ENOENT, ENOSYS, ERANGE } from '../errno';
import type { OpenFile } from '../fd-table';
import { hostCall, HOST_NR } from '../host-call';
import type { LinuxProcess } from '../process';
import { UnixSocket } from '../unix-socket';
import { ulong, type SyscallArgs } from '../syscall-args';
import { AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_NOFOLLOW, magicFdOfPath, readGuestPath, resolveAt } from './paths';

const XATTR_NAME_MAX = 255;
const XATTR_SIZE_MAX = 65536;
const XATTR_LIST_MAX = 65536;
const XATTR_CREATE = 1, XATTR_REPLACE = 2;

/**
 * The host's call `nr` on a file: args are 'h:' + hex bytes (a pointer to them), 'b:' + size (an
 * output buffer), 'fd3' (the descriptor passed in), a stand-in made here ('pipe', 'sock', 'anon'),
 * or a number. Prints the result as 8 bytes, then the buffer's first result bytes.
 */
const XATTR_SCRIPT =
  'my ($nr, $efd) = splice(@ARGV, 0, 2); my ($bi, @a, @keep) = (-1); for my $s (@ARGV) { ' +
  'if ($s =~ /^h:(.*)$/s) { push @a, pack("H*", $1) } elsif ($s =~ /^b:(\\d+)$/) { $bi = @a; push @a, "\\0" x $1 } ' +
  'elsif ($s eq "pipe") { pipe(my $r, my $w) or exit($! + 0); push @keep, $r, $w; push @a, fileno($r) } ' +
  'elsif ($s eq "sock") { socketpair(my $x, my $y, 1, 1, 0) or exit($! + 0); push @keep, $x, $y; push @a, fileno($x) } ' +
  'elsif ($s eq "anon") { my $f = syscall($efd, 0, 0); exit($! + 0) if $f < 0; push @a, $f } ' +
  'elsif ($s eq "fd3") { push @a, 3 } else { push @a, $s + 0 } } ' +
  'my $r = syscall($nr, @a); exit($! + 0) if $r < 0; print unpack("H*", pack("q<", $r) . ($bi < 0 ? "" : substr($a[$bi], 0, $r)));';

type Op = 'set' | 'get' | 'list' | 'remove';
/** How a call names its file: a path followed or not (the l variants), or a descriptor. */
type Target = { path: string; follow: boolean } | { file: OpenFile };

/** A value pointer no guest address equals (see guestPointer). */
const OUTSIDE = -1;

const hex = (b: Uint8Array): string => `h:${Buffer.from(b).toString('hex')}`;

/** The host's xattr call `op` on `target`: the result and, for get and list, the bytes; or -errno. */
function hostXattr(op: Op, target: Target, args: readonly string[]): { n: number; bytes: Uint8Array } | number {
  const nrs = HOST_NR[process.arch];
  if (!nrs) return -ENOSYS;
  let form: '' | 'l' | 'f' = 'f';
  let first: string;
  let fd: number | undefined;
  if ('path' in target) {
    form = target.follow ? '' : 'l';
    first = hex(Buffer.from(target.path));
  } else if (target.file.pipe) first = 'pipe';
  else if (target.file.anon) first = target.file.anon instanceof UnixSocket ? 'sock' : 'anon';
  else [first, fd] = ['fd3', target.file.hostFd];
  const r = hostCall(XATTR_SCRIPT, [`${nrs[`${form}${op}xattr`]}`, `${nrs.eventfd2}`, first, ...args], fd);
  if (typeof r === 'number') return r;
  return { n: Number(Buffer.from(r).readBigInt64LE(0)), bytes: r.subarray(8) };
}

/** The NUL-terminated attribute name at addr as the kernel imports it: ERANGE when empty or over-long (a bad pointer EFAULT). */
function xattrName(p: LinuxProcess, addr: number): Uint8Array | number {
  const bytes: number[] = [];
  for (let b = p.mem.read8(addr); b !== 0; b = p.mem.read8(addr + bytes.length)) {
    bytes.push(b);
    if (bytes.length > XATTR_NAME_MAX) return -ERANGE;
  }
  return bytes.length === 0 ? -ERANGE : Uint8Array.from(bytes);
}

/** setxattr's value: E2BIG past XATTR_SIZE_MAX, its bytes read (a bad pointer EFAULT); none when size is 0. */
function xattrValue(p: LinuxProcess, addr: number, size: number): Uint8Array | number {
  if (size > XATTR_SIZE_MAX) return -E2BIG;
  if (size === 0) return new Uint8Array(0);
  return addr === OUTSIDE ? -EFAULT : p.mem.readBytes(addr, size);
}

/**
 * The file of (dirfd, path at addr, AT_ flags): a descriptor for an empty path with AT_EMPTY_PATH
 * and for /proc/self/fd/N followed (the guest's own description; the link itself when not followed), else the resolved host path,
 * checked to exist so lookup errors come here; or -errno.
 */
function pathTarget(p: LinuxProcess, dirfd: number, addr: number, flags: number): Target | number {
  const follow = !(flags & AT_SYMLINK_NOFOLLOW);
  const raw = readGuestPath(p, addr);
  if (typeof raw === 'number') return raw;
  const magic = magicFdOfPath(p, raw, follow);
  if (magic !== undefined && !p.fds.get(magic)) return -ENOENT;
  if (magic !== undefined) return follow ? fdTarget(p, magic) : PROC_FD_LINK;
  const path = resolveAt(p, dirfd, raw, (flags & AT_EMPTY_PATH) !== 0, follow);
  if (typeof path === 'number') return path;
  if (path === '') return dirfd === AT_FDCWD ? { path: p.cwd, follow: true } : fdTarget(p, dirfd);
  (follow ? statSync : lstatSync)(path);
  return { path, follow };
}
/** A /proc/<pid>/fd/N link itself (not followed): procfs links are all alike, so the host's helper's own stdout link stands in. */
const PROC_FD_LINK: Target = { path: '/proc/self/fd/1', follow: false };
function fdTarget(p: LinuxProcess, fd: number): Target | number {
  const file = p.fds.get(fd);
  return file ? { file } : -EBADF;
}

/** The call's work once its arguments are checked: the host's answer, get/list bytes copied to `out` (EFAULT there after the host's answer, as copy_to_user). */
function run(p: LinuxProcess, op: Op, target: Target, args: readonly string[], out = 0, size = 0): number {
  const r = hostXattr(op, target, args);
  if (typeof r === 'number') return r;
  if (size === 0 || r.n === 0) return r.n;
  if (out === OUTSIDE) return -EFAULT;
  p.mem.writeBytes(out, r.bytes);
  return r.n;
}

const SET_FLAGS_BAD = ~(XATTR_CREATE | XATTR_REPLACE);

/** setxattr's checks (flags, name, value) then the file (`target` evaluated last, as the lookup). */
function setChecked(p: LinuxProcess, name: number, value: number, size: number, flags: number, target: () => Target | number): number {
  if (flags & SET_FLAGS_BAD) return -EINVAL;
  const n = xattrName(p, name);
  if (typeof n === 'number') return n;
  const v = xattrValue(p, value, size);
  if (typeof v === 'number') return v;
  const t = target();
  return typeof t === 'number' ? t : run(p, 'set', t, [hex(n), hex(v), `${size}`, `${flags}`]);
}
/** getxattr: the name, then the file, then the host's answer into at most XATTR_SIZE_MAX bytes. */
function getChecked(p: LinuxProcess, name: number, value: number, size: number, target: () => Target | number): number {
  const n = xattrName(p, name);
  if (typeof n === 'number') return n;
  const t = target();
  const len = Math.min(size, XATTR_SIZE_MAX);
  return typeof t === 'number' ? t : run(p, 'get', t, [hex(n), `b:${len}`, `${len}`], value, len);
}
function listChecked(p: LinuxProcess, list: number, size: number, target: () => Target | number): number {
  const t = target();
  const len = Math.min(size, XATTR_LIST_MAX);
  return typeof t === 'number' ? t : run(p, 'list', t, [`b:${len}`, `${len}`], list, len);
}
function removeChecked(p: LinuxProcess, name: number, target: () => Target | number): number {
  const n = xattrName(p, name);
  if (typeof n === 'number') return n;
  const t = target();
  return typeof t === 'number' ? t : run(p, 'remove', t, [hex(n)]);
}

/** How the classic calls name their file: a path followed, a path not followed (l), a descriptor (f). */
type Form = 'path' | 'link' | 'fd';
const classicTarget = (p: LinuxProcess, a: SyscallArgs, form: Form) => (): Target | number =>
  form === 'fd' ? fdTarget(p, a[0] | 0) : pathTarget(p, AT_FDCWD, a[0], form === 'link' ? AT_SYMLINK_NOFOLLOW : 0);

export const setxattr = (form: Form) => (p: LinuxProcess, a: SyscallArgs): number => setChecked(p, a[1], a[2], ulong(a, 3), a[4] | 0, classicTarget(p, a, form));
export const getxattr = (form: Form) => (p: LinuxProcess, a: SyscallArgs): number => getChecked(p, a[1], a[2], ulong(a, 3), classicTarget(p, a, form));
export const listxattr = (form: Form) => (p: LinuxProcess, a: SyscallArgs): number => listChecked(p, a[1], ulong(a, 2), classicTarget(p, a, form));
export const removexattr = (form: Form) => (p: LinuxProcess, a: SyscallArgs): number => removeChecked(p, a[1], classicTarget(p, a, form));

// ---- the *xattrat calls: (dirfd, path, at_flags, ...) ----

const AT_FLAGS_OK = AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH;
const XATTR_ARGS_SIZE_VER0 = 16;
const PAGE_SIZE = 4096;

/** struct xattr_args {u64 value; u32 size; u32 flags} as copy_struct_from_user takes it (usize bounds, a longer struct's tail zero); or -errno. */
function xattrArgs(p: LinuxProcess, addr: number, usize: number): { value: number; size: number; flags: number } | number {
  if (usize < XATTR_ARGS_SIZE_VER0) return -EINVAL;
  if (usize > PAGE_SIZE) return -E2BIG;
  const bytes = p.mem.readBytes(addr, usize);
  if (bytes.subarray(XATTR_ARGS_SIZE_VER0).some((b) => b !== 0)) return -E2BIG;
  const v = new DataView(bytes.buffer, bytes.byteOffset, XATTR_ARGS_SIZE_VER0);
  return { value: Number(v.getBigUint64(0, true)), size: v.getUint32(8, true), flags: v.getUint32(12, true) };
}
const atTarget = (p: LinuxProcess, a: SyscallArgs) => (): Target | number => pathTarget(p, a[0] | 0, a[1], a[2]);
/** struct xattr_args's 64-bit value pointer: past the guest's address space (an i386 guest's 4 GiB) it can only fault. */
const guestPointer = (p: LinuxProcess, v: number): number => (v >= (p.abi === 'i386' ? 2 ** 32 : 2 ** 47) ? OUTSIDE : v);

/** setxattrat(dirfd, path, at_flags, name, uargs, usize): the struct, the AT_ flags, then setxattr's order. */
export function sysSetxattrat(p: LinuxProcess, a: SyscallArgs): number {
  const x = xattrArgs(p, a[4], ulong(a, 5));
  if (typeof x === 'number') return x;
  if (a[2] & ~AT_FLAGS_OK) return -EINVAL;
  return setChecked(p, a[3], guestPointer(p, x.value), x.size, x.flags, atTarget(p, a));
}
/** getxattrat: the struct (its flags must be 0), the AT_ flags, then getxattr's order. */
export function sysGetxattrat(p: LinuxProcess, a: SyscallArgs): number {
  const x = xattrArgs(p, a[4], ulong(a, 5));
  if (typeof x === 'number') return x;
  if (x.flags !== 0 || a[2] & ~AT_FLAGS_OK) return -EINVAL;
  return getChecked(p, a[3], guestPointer(p, x.value), x.size, atTarget(p, a));
}
/** listxattrat(dirfd, path, at_flags, list, size). */
export const sysListxattrat = (p: LinuxProcess, a: SyscallArgs): number => (a[2] & ~AT_FLAGS_OK ? -EINVAL : listChecked(p, a[3], ulong(a, 4), atTarget(p, a)));
/** removexattrat(dirfd, path, at_flags, name). */
export const sysRemovexattrat = (p: LinuxProcess, a: SyscallArgs): number => (a[2] & ~AT_FLAGS_OK ? -EINVAL : removeChecked(p, a[3], atTarget(p, a)));

