/**
 * The calls QEMU hands to the host kernel unchanged (acct, mount, umount2, pivot_root, swapon,
 * swapoff, name_to_handle_at, open_by_handle_at): here the host's own call through perl's
 * syscall() (host-call.ts) on the guest's resolved paths, so results and errors are the host
 * kernel's. A bad guest pointer is passed as NULL (or, where NULL means something, as an
 * address no process maps), so the host faults it at the point Linux would (after the checks
 * that come before it). chroot is the guest's own: see sysChroot.
 */
import { MemoryFault } from '@dbtlab/mips-host';
import { accessSync, constants, openSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { EBADF, EFAULT, EINVAL, ENOSYS, ENOTDIR, EOVERFLOW, EPERM } from '../errno';
import { capable, CAP_SYS_ADMIN, CAP_SYS_CHROOT } from '../capabilities';
import { hostCall, HOST_NR } from '../host-call';
import type { LinuxProcess } from '../process';
import { argsLike, type SyscallArgs } from '../syscall-args';
import { O_CREAT, O_TRUNC } from '../fd-table';
import { installOpened } from './io';
import { AT_EMPTY_PATH, AT_FDCWD, guestPathAt } from './paths';

/** Arguments of CALL_SCRIPT: 'p:' + a path (a pointer to it), 'h:' + bytes in hex (a pointer to them), 'n' (NULL), or a number. */
const ptr = (path: string | undefined): string => (path === undefined ? 'n' : `p:${path}`);
const CALL_SCRIPT =
  'my @a = map { /^p:(.*)$/s ? "$1" : /^h:(.*)$/s ? pack("H*", $1) : $_ eq "n" ? 0 : $_ + 0 } @ARGV[1 .. $#ARGV]; exit(syscall($ARGV[0], @a) < 0 ? $! + 0 : 0)';
/** A pointer argument no process maps (the top of the address space): the host's EFAULT where NULL would mean "none". */
const UNMAPPED = '-1';

/** The host's call `name` with `args` (see ptr): 0 or -errno. */
function passCall(name: 'acct' | 'mount' | 'umount2' | 'pivot_root' | 'swapon' | 'swapoff', args: string[]): number {
  const nr = HOST_NR[process.arch]?.[name];
  if (nr === undefined) return -ENOSYS;
  const r = hostCall(CALL_SCRIPT, [`${nr}`, ...args]);
  return typeof r === 'number' ? r : 0;
}

/** The guest's path at addr resolved to a host path, undefined for a bad pointer (NULL to the host), or -errno. */
function pathOrNull(p: LinuxProcess, addr: number): string | undefined | number {
  try {
    return guestPathAt(p, AT_FDCWD, addr);
  } catch (e) {
    if (e instanceof MemoryFault) return undefined;
    throw e;
  }
}

/** acct(path): the host's BSD process accounting (NULL turns it off). */
export function sysAcct(p: LinuxProcess, a: SyscallArgs): number {
  if (a[0] === 0) return passCall('acct', ['n']);
  const path = guestPathAt(p, AT_FDCWD, a[0]);
  return typeof path === 'number' ? path : passCall('acct', [ptr(path)]);
}

const UMOUNT_FLAGS = 0xf; // MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW
/** umount2: unknown flags EINVAL before the path is read (ksys_umount). */
export function sysUmount2(p: LinuxProcess, a: SyscallArgs): number {
  if (a[1] & ~UMOUNT_FLAGS) return -EINVAL;
  const path = pathOrNull(p, a[0]);
  return typeof path === 'number' ? path : passCall('umount2', [ptr(path), `${a[1] >>> 0}`]);
}

const SWAP_FLAGS_VALID = 0x7ffff; // priority, PREFER and the DISCARD flags
/** umount(path): umount2 with no flags. */
export const sysUmount = (p: LinuxProcess, a: SyscallArgs): number => sysUmount2(p, argsLike(a, [a[0], 0]));

export function sysSwapon(p: LinuxProcess, a: SyscallArgs): number {
  if (a[1] & ~SWAP_FLAGS_VALID) return -EINVAL;
  const path = pathOrNull(p, a[0]);
  return typeof path === 'number' ? path : passCall('swapon', [ptr(path), `${a[1] >>> 0}`]);
}
export function sysSwapoff(p: LinuxProcess, a: SyscallArgs): number {
  const path = pathOrNull(p, a[0]);
  return typeof path === 'number' ? path : passCall('swapoff', [ptr(path)]);
}

/** A guest's pointer argument for CALL_SCRIPT: NULL as NULL, a bad pointer UNMAPPED, else what `read` makes of it. */
function pointerArg(addr: number, read: () => string): string {
  if (addr === 0) return 'n';
  try {
    return read();
  } catch (e) {
    if (e instanceof MemoryFault) return UNMAPPED;
    throw e;
  }
}

const PAGE_SIZE = 4096;
const MS_BIND = 0x1000;
const MS_MOVE = 0x2000;
/** mount's data as copy_mount_options takes it: a page, or what of it can be read (the rest of the first page), UNMAPPED when none. */
function mountData(p: LinuxProcess, addr: number): string {
  const bytes = guestBytes(p, addr, PAGE_SIZE) ?? guestBytes(p, addr, PAGE_SIZE - (addr % PAGE_SIZE));
  return bytes === undefined ? UNMAPPED : `h:${Buffer.from(bytes).toString('hex')}`;
}

/**
 * mount(source, target, fstype, flags, data): the host's call on the guest's strings, data page
 * and resolved target (the source too for MS_BIND and MS_MOVE, where it is a path). Without
 * CAP_SYS_ADMIN the target's lookup errors, then EPERM (may_mount), as the host (root) cannot tell.
 */
export function sysMount(p: LinuxProcess, a: SyscallArgs): number {
  const flags = a[3] >>> 0;
  const path = (addr: number): string => {
    const host = guestPathAt(p, AT_FDCWD, addr);
    return typeof host === 'number' ? `e:${host}` : `p:${host}`;
  };
  const fstype = pointerArg(a[2], () => `p:${p.mem.readCString(a[2], PAGE_SIZE)}`);
  const source = pointerArg(a[0], () => (flags & (MS_BIND | MS_MOVE) ? path(a[0]) : `p:${p.mem.readCString(a[0], PAGE_SIZE)}`));
  const data = a[4] === 0 ? 'n' : mountData(p, a[4]);
  for (const arg of [fstype, source]) if (arg === UNMAPPED) return -EFAULT;
  if (data === UNMAPPED) return -EFAULT;
  const target = pointerArg(a[1], () => path(a[1]));
  if (target === 'n' || target === UNMAPPED) return -EFAULT;
  if (target.startsWith('e:')) return Number(target.slice(2));
  if (!capable(p, CAP_SYS_ADMIN)) {
    statSync(target.slice(2));
    return -EPERM;
  }
  if (source.startsWith('e:')) return Number(source.slice(2));
  return passCall('mount', [source, target, fstype, `${flags}`, data]);
}

/** pivot_root(new_root, put_old): EPERM without CAP_SYS_ADMIN (may_mount comes first), else the host's call on the resolved paths. */
export function sysPivotRoot(p: LinuxProcess, a: SyscallArgs): number {
  if (!capable(p, CAP_SYS_ADMIN)) return -EPERM;
  const newRoot = pathOrNull(p, a[0]);
  if (typeof newRoot === 'number') return newRoot;
  const putOld = pathOrNull(p, a[1]);
  if (typeof putOld === 'number') return putOld;
  return passCall('pivot_root', [ptr(newRoot), ptr(putOld)]);
}

/**
 * chroot: the lookup and permission errors as Linux's, EPERM without CAP_SYS_CHROOT, else the
 * directory becomes the root of the process (and of the threads and CLONE_FS children sharing its
 * fs_struct, inherited over fork and exec). Every guest process shares one host process, whose
 * root cannot change: the guest's paths are walked inside its root instead (chroot.ts). The cwd
 * stays where it is, as Linux's does.
 */
export function sysChroot(p: LinuxProcess, a: SyscallArgs): number {
  const path = guestPathAt(p, AT_FDCWD, a[0]);
  if (typeof path === 'number') return path;
  if (!statSync(path).isDirectory()) return -ENOTDIR;
  accessSync(path, constants.X_OK);
  if (!capable(p, CAP_SYS_CHROOT)) return -EPERM;
  const root = realpathSync(path);
  // the root it has already (the sysroot's "/" when it never chrooted) stays as it is
  if (p.fsState.root !== undefined || root !== realpathSync(p.sysroot.hostPath('/'))) p.fsState.root = root;
  return 0;
}

const AT_HANDLE_MNT_ID_UNIQUE = 1; // the mount id is 64 bits
const MAX_HANDLE_SZ = 128;
const HANDLE_HEADER = 8; // handle_bytes, handle_type

/** The guest's bytes [addr, addr + n), or undefined where they cannot be read (NULL to the host). */
function guestBytes(p: LinuxProcess, addr: number, n: number): Uint8Array | undefined {
  try {
    return p.mem.readBytes(addr, n);
  } catch (e) {
    if (e instanceof MemoryFault) return undefined;
    throw e;
  }
}

/** The struct file_handle at addr as the kernel reads it: its header and up to MAX_HANDLE_SZ bytes. */
function guestHandle(p: LinuxProcess, addr: number): Uint8Array | undefined {
  const header = guestBytes(p, addr, HANDLE_HEADER);
  if (header === undefined) return undefined;
  const bytes = new DataView(header.buffer, header.byteOffset).getUint32(0, true);
  return bytes > MAX_HANDLE_SZ ? header : guestBytes(p, addr, HANDLE_HEADER + bytes);
}

/** A host fd the guest's dirfd names, or AT_FDCWD: [fd for the call, fd to pass as the child's fd 3]. */
function hostDirFd(p: LinuxProcess, dirfd: number): [number, number | undefined] | number {
  if (dirfd === AT_FDCWD) return [AT_FDCWD, undefined];
  const file = p.fds.get(dirfd);
  return file ? [3, file.hostFd] : -EBADF;
}

const hex = (b: Uint8Array | undefined): string => (b === undefined ? 'n' : Buffer.from(b).toString('hex'));
/** syscall(nr, dirfd, path, handle, mount_id, flags); prints errno, then the handle and mount id buffers as the kernel left them. */
const NAME_TO_HANDLE_SCRIPT =
  'my ($nr, $dfd, $path, $h, $m, $fl) = @ARGV; my $hb = $h eq "n" ? 0 : pack("H*", $h); my $mb = $m eq "n" ? 0 : pack("H*", $m); ' +
  'my $r = syscall($nr + 0, $dfd + 0, $path eq "n" ? 0 : substr($path, 2), $hb, $mb, $fl + 0); ' +
  'print unpack("H*", pack("L", $r < 0 ? $! + 0 : 0) . ($h eq "n" ? "" : $hb) . ($m eq "n" ? "" : $mb))';

/**
 * name_to_handle_at: the host's handle of the guest's path (or of dirfd's file with
 * AT_EMPTY_PATH). The guest's handle and mount id bytes go to the host as they are and come
 * back as the kernel left them (on success and on EOVERFLOW, which reports the size needed).
 */
export function sysNameToHandleAt(p: LinuxProcess, a: SyscallArgs): number {
  const flags = a[4];
  const nr = HOST_NR[process.arch]?.name_to_handle_at;
  if (nr === undefined) return -ENOSYS;
  let path: string | undefined | number;
  try {
    path = guestPathAt(p, a[0] | 0, a[1], (flags & AT_EMPTY_PATH) !== 0);
  } catch (e) {
    if (!(e instanceof MemoryFault)) throw e;
  }
  if (typeof path === 'number') return path;
  // a relative path was resolved against dirfd or the cwd (absolute now); '' is dirfd's own file
  const dir = path === '' ? hostDirFd(p, a[0] | 0) : [AT_FDCWD, undefined];
  if (typeof dir === 'number') return dir;
  if (path === '' && dir[1] === undefined) path = p.cwd;
  const handle = guestHandle(p, a[2]);
  const mount = guestBytes(p, a[3], flags & AT_HANDLE_MNT_ID_UNIQUE ? 8 : 4);
  const out = hostCall(NAME_TO_HANDLE_SCRIPT, [`${nr}`, `${dir[0]}`, ptr(path), hex(handle), hex(mount), `${flags >>> 0}`], dir[1]);
  if (typeof out === 'number') return out;
  const errno = new DataView(out.buffer, out.byteOffset).getUint32(0, true);
  if (errno === 0 || errno === EOVERFLOW) {
    if (handle) p.mem.writeBytes(a[2], out.subarray(4, 4 + handle.length));
    if (mount) p.mem.writeBytes(a[3], out.subarray(4 + (handle?.length ?? 0)));
  }
  return -errno;
}

/**
 * open_by_handle_at in perl's process, which forks a child that keeps the descriptor: the guest's
 * description is then opened through /proc/CHILD/fd/N (the same inode, even unlinked, with the
 * same flags: a new open file description, as open_by_handle_at makes one), and the child is ended.
 */
const OPEN_BY_HANDLE_SCRIPT =
  'my ($nr, $mfd, $h, $fl, $cwd) = @ARGV; chdir($cwd); my $fd = syscall($nr + 0, $mfd + 0, $h eq "n" ? 0 : pack("H*", $h), $fl + 0); ' +
  'exit($! + 0) if $fd < 0; my $pid = fork(); exit(12) unless defined $pid; ' +
  'if ($pid == 0) { open(STDOUT, ">", "/dev/null"); sleep(60); exit(0); } print unpack("H*", pack("L L", $pid, $fd))';

export function sysOpenByHandleAt(p: LinuxProcess, a: SyscallArgs): number {
  const nr = HOST_NR[process.arch]?.open_by_handle_at;
  if (nr === undefined) return -ENOSYS;
  const dir = hostDirFd(p, a[0] | 0);
  if (typeof dir === 'number') return dir;
  const flags = a[2];
  const out = hostCall(OPEN_BY_HANDLE_SCRIPT, [`${nr}`, `${dir[0]}`, hex(guestHandle(p, a[1])), `${flags >>> 0}`, p.cwd], dir[1]);
  if (typeof out === 'number') return out;
  const view = new DataView(out.buffer, out.byteOffset);
  const [pid, fd] = [view.getUint32(0, true), view.getUint32(4, true)];
  let hostFd: number;
  try {
    hostFd = openSync(`/proc/${pid}/fd/${fd}`, flags & ~(O_CREAT | 0o200 /* O_EXCL */ | O_TRUNC));
  } finally {
    process.kill(pid, 'SIGKILL');
  }
  return installOpened(p, hostFd, flags, readlinkSync(`/proc/self/fd/${hostFd}`), false);
}

