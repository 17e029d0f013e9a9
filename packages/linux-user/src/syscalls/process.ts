/**
 * Process, identity and machine-information system calls: exit/exit_group, the pid and id
 * family, uname, set_thread_area, set_tid_address, rseq (ENOSYS: glibc
 * then does without), prlimit64/ugetrlimit/getrlimit, getrandom, sysinfo.
 */
import { loadavg, release, totalmem, freemem, uptime, version } from 'node:os';
import { EFAULT, EINVAL, ENOSYS, EPERM, ESRCH } from '../errno';
import { capable, CAP_SETGID, CAP_SYS_RESOURCE } from '../capabilities';
import { low16 } from '../credentials';
import { GuestExit } from '../guest-exit';
import type { LinuxProcess } from '../process';
import { applyThreadArea } from './fork';
import { futexWake } from './futex';
import { exitRobustList } from './robust-list';
import { RLIM_INFINITY, RLIMIT_NAMES, RLIMIT_NOFILE, Rlimit } from '../rlimit';
import { modifyLdt } from '../tls';
import { setUtsName, UTS_NAME_MAX, utsNames } from '../uts-namespace';
import { ulong, type SyscallArgs } from '../syscall-args';

/** exit_group: every thread of the process ends. */
export function sysExit(p: LinuxProcess, a: SyscallArgs): number {
  p.releaseAll();
  throw new GuestExit(a[0] & 0xff);
}

/**
 * exit: the calling thread ends; the process only with its last thread. clear_child_tid is
 * zeroed and its futex woken (pthread_join waits there).
 */
export function sysExitThread(p: LinuxProcess, a: SyscallArgs): number {
  if (p.threadGroup.size === 1) return sysExit(p, a);
  exitRobustList(p);
  if (p.clearChildTid !== 0) {
    p.mem.write32(p.clearChildTid, 0);
    futexWake(p, p.clearChildTid, 1);
  }
  throw new GuestExit(a[0] & 0xff, undefined, true);
}

export const sysGetpid = (p: LinuxProcess): number => p.pid;
export const sysGettid = (p: LinuxProcess): number => p.tid;
export const sysGetppid = (p: LinuxProcess): number => p.ppid;
export const sysGetuid = (p: LinuxProcess): number => p.ids.uid;
export const sysGeteuid = (p: LinuxProcess): number => p.ids.euid;
export const sysGetgid = (p: LinuxProcess): number => p.ids.gid;
export const sysGetegid = (p: LinuxProcess): number => p.ids.egid;
export const sysRseq = (): number => -ENOSYS;

/** getresuid32 / getresgid32: real, effective and saved ids. */
function putIds(p: LinuxProcess, a: SyscallArgs, ids: [number, number, number]): number {
  ids.forEach((id, i) => p.mem.write32(a[i], id));
  return 0;
}
export const sysGetresuid = (p: LinuxProcess, a: SyscallArgs): number => putIds(p, a, [p.ids.uid, p.ids.euid, p.ids.suid]);
export const sysGetresgid = (p: LinuxProcess, a: SyscallArgs): number => putIds(p, a, [p.ids.gid, p.ids.egid, p.ids.sgid]);

/** getgroups(size, list): the process's supplementary groups (the host process's until setgroups); size 0 asks for the count. */
const getgroups = (wide: boolean) => (p: LinuxProcess, a: SyscallArgs): number => {
  const groups = p.ids.groups;
  if ((a[0] | 0) < 0) return -EINVAL;
  if (a[0] === 0) return groups.length;
  if ((a[0] | 0) < groups.length) return -EINVAL;
  // the 16-bit call shows a gid it cannot hold as the overflow gid
  groups.forEach((g, i) => (wide ? p.mem.write32(a[1] + 4 * i, g) : p.mem.write16(a[1] + 2 * i, low16(g))));
  return groups.length;
};
export const sysGetgroups = getgroups(true);
export const sysGetgroups16 = getgroups(false);

const NGROUPS_MAX = 65536;
/** setgroups(size, list): CAP_SETGID (EPERM) first, then the size, then the list, kept sorted as set_groups keeps it. */
const setgroups = (wide: boolean) => (p: LinuxProcess, a: SyscallArgs): number => {
  if (!capable(p, CAP_SETGID)) return -EPERM;
  if (a[0] >>> 0 > NGROUPS_MAX) return -EINVAL;
  const groups: number[] = [];
  for (let i = 0; i < a[0] >>> 0; i++) {
    const g = wide ? p.mem.read32(a[1] + 4 * i) >>> 0 : p.mem.read16(a[1] + 2 * i);
    groups.push(!wide && g === 0xffff ? 0xffffffff : g);
  }
  p.ids.groups = groups.sort((x, y) => x - y);
  return 0;
};
export const sysSetgroups = setgroups(true);
export const sysSetgroups16 = setgroups(false);

export function sysSetTidAddress(p: LinuxProcess, a: SyscallArgs): number {
  p.clearChildTid = a[0];
  return p.tid;
}

const UTS_FIELD = UTS_NAME_MAX + 1;
/** personality's PER_LINUX32: uname's machine is the 32-bit one (override_architecture). */
const PER_LINUX32 = 0x0008;
/**
 * uname: the names the run's UTS namespace holds; machine "x86_64" for an x86-64 process, "i686"
 * for an i386 one as under `linux32` (and qemu-i386), or for any process whose personality is PER_LINUX32.
 */
export function sysUname(p: LinuxProcess, a: SyscallArgs): number {
  const { nodename, domainname } = utsNames(p);
  const machine = p.abi === 'x86_64' && (p.personality & 0xff) !== PER_LINUX32 ? 'x86_64' : 'i686';
  const fields = [Buffer.from('Linux'), nodename, Buffer.from(release()), Buffer.from(version()), Buffer.from(machine), domainname];
  const out = new Uint8Array(UTS_FIELD * fields.length);
  fields.forEach((f, i) => out.set(f.subarray(0, UTS_FIELD - 1), i * UTS_FIELD));
  p.mem.writeBytes(a[0], out);
  return 0;
}

export const sysSethostname = (p: LinuxProcess, a: SyscallArgs): number => setUtsName(p, 'nodename', a[0], a[1] | 0);
export const sysSetdomainname = (p: LinuxProcess, a: SyscallArgs): number => setUtsName(p, 'domainname', a[0], a[1] | 0);

/** modify_ldt(func, ptr, bytecount) on the address space's LDT. */
export const sysModifyLdt = (p: LinuxProcess, a: SyscallArgs): number => modifyLdt(p.space.ldt, p.mem, a[0], a[1], a[2]);

/** get_thread_area(u_info): a TLS entry as set_thread_area left it. */
export const sysGetThreadArea = (p: LinuxProcess, a: SyscallArgs): number => p.tls.getThreadArea(p.mem, a[0]);

/** set_thread_area; a segment register already holding the selector gets the new base now. */
export const sysSetThreadArea = (p: LinuxProcess, a: SyscallArgs): number => applyThreadArea(p, a[0]);

const RLIMIT_COUNT = RLIMIT_NAMES.length;
const isSelf = (p: LinuxProcess, pid: number): boolean => pid === 0 || pid === p.pid;

/** fs.nr_open's default: no RLIMIT_NOFILE above it, even with CAP_SYS_RESOURCE. */
const NR_OPEN = 1n << 20n;

/** do_prlimit's checks of a new limit: a known resource, cur <= max, a raised max only with CAP_SYS_RESOURCE (-errno or 0). */
function newLimitError(p: LinuxProcess, res: number, next: Rlimit | undefined): number {
  if (res >= RLIMIT_COUNT) return -EINVAL;
  if (!next) return 0;
  if (next.cur > next.max) return -EINVAL;
  if (res === RLIMIT_NOFILE && next.max > NR_OPEN) return -EPERM;
  return next.max > p.rlimits[res].max && !capable(p, CAP_SYS_RESOURCE) ? -EPERM : 0;
}

/** prlimit64(pid, resource, const struct rlimit64 *new, struct rlimit64 *old) */
export function sysPrlimit64(p: LinuxProcess, a: SyscallArgs): number {
  if (!isSelf(p, a[0] | 0)) return -ESRCH;
  const res = a[1];
  if (res >= RLIMIT_COUNT) return -EINVAL;
  let next: Rlimit | undefined;
  if (a[2] !== 0) {
    const raw = p.mem.readBytes(a[2], 16);
    const v = new DataView(raw.buffer);
    next = { cur: v.getBigUint64(0, true), max: v.getBigUint64(8, true) };
    const err = newLimitError(p, res, next);
    if (err) return err;
  }
  if (a[3] !== 0) {
    const out = new Uint8Array(16);
    const v = new DataView(out.buffer);
    v.setBigUint64(0, p.rlimits[res].cur, true);
    v.setBigUint64(8, p.rlimits[res].max, true);
    p.mem.writeBytes(a[3], out);
  }
  if (next) p.rlimits[res] = next;
  return 0;
}

/**
 * setrlimit(resource, const struct rlimit *): the structure read first (EFAULT before EINVAL), in
 * unsigned longs; i386's 32-bit RLIM_INFINITY (0xffffffff) means the 64-bit one.
 */
export function sysSetrlimit(p: LinuxProcess, a: SyscallArgs): number {
  const wide = p.abi === 'x86_64';
  const raw = p.mem.readBytes(a[1], wide ? 16 : 8);
  const v = new DataView(raw.buffer);
  const field = (i: number): bigint => {
    if (wide) return v.getBigUint64(8 * i, true);
    const x = v.getUint32(4 * i, true);
    return x === 0xffffffff ? RLIM_INFINITY : BigInt(x);
  };
  const next = { cur: field(0), max: field(1) };
  const err = newLimitError(p, a[0] >>> 0, next);
  if (err) return err;
  p.rlimits[a[0] >>> 0] = next;
  return 0;
}

/** getrlimit(resource, struct rlimit *) in 32-bit fields, values above `max` clamped to it. */
function getrlimit32(p: LinuxProcess, a: SyscallArgs, max: number): number {
  if (a[0] >= RLIMIT_COUNT) return -EINVAL;
  const clamp = (v: bigint): number => (v === RLIM_INFINITY || v > BigInt(max) ? max : Number(v));
  const out = new Uint8Array(8);
  const v = new DataView(out.buffer);
  v.setUint32(0, clamp(p.rlimits[a[0]].cur), true);
  v.setUint32(4, clamp(p.rlimits[a[0]].max), true);
  p.mem.writeBytes(a[1], out);
  return 0;
}
/** ugetrlimit: RLIM_INFINITY is 0xffffffff. */
export const sysUgetrlimit = (p: LinuxProcess, a: SyscallArgs): number => getrlimit32(p, a, 0xffffffff);
/** The old getrlimit (nr 76) clamps to 0x7fffffff, as sys_old_getrlimit does. */
export const sysOldGetrlimit = (p: LinuxProcess, a: SyscallArgs): number => getrlimit32(p, a, 0x7fffffff);

const GRND_FLAGS = 1 | 2 | 4; // GRND_NONBLOCK GRND_RANDOM GRND_INSECURE
/** getrandom: bytes from the fixed-seed generator (random.ts), so runs repeat exactly. */
export function sysGetrandom(p: LinuxProcess, a: SyscallArgs): number {
  if (a[2] & ~GRND_FLAGS) return -EINVAL;
  const len = Math.min(ulong(a, 1), 0x1ffffff);
  p.mem.writeBytes(a[0], p.random.fill(new Uint8Array(len)));
  return len;
}

/**
 * sysinfo: the host's uptime, load and memory. Ten longs, procs (u16), two longs and mem_unit:
 * on i386 4-byte longs (64 bytes, mem_unit scales the sizes into 32 bits), on x86-64 8-byte
 * ones (112 bytes, mem_unit 1).
 */
export function sysSysinfo(p: LinuxProcess, a: SyscallArgs): number {
  if (a[0] === 0) return -EFAULT;
  const long = p.abi === 'x86_64' ? 8 : 4;
  let unit = 1;
  while (long === 4 && totalmem() / unit > 0xffffffff) unit *= 2;
  const out = new Uint8Array(long === 8 ? 112 : 64);
  const v = new DataView(out.buffer);
  const put = (i: number, x: number) => (long === 8 ? v.setBigUint64(8 * i, BigInt(x), true) : v.setUint32(4 * i, x, true));
  put(0, Math.floor(uptime()));
  loadavg().forEach((l, i) => put(1 + i, Math.min(0xffffffff, Math.round(l * 65536))));
  put(4, Math.floor(totalmem() / unit));
  put(5, Math.floor(freemem() / unit));
  v.setUint16(10 * long, 1, true); // procs: the guest's own
  v.setUint32(long === 8 ? 104 : 52, unit, true);
  p.mem.writeBytes(a[0], out);
  return 0;
}
