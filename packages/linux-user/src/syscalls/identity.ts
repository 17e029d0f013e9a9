/**
 * Identity and process attributes a single process can see or change on itself: prctl (the
 * options glibc, busybox and bash use), capget/capset, the
 * set*id family (Linux's rules for the saved and filesystem ids and the capabilities they keep),
 * personality, getrusage and times.
 */
import { basename } from 'node:path';
import { capable, CAP_SETGID, CAP_SETPCAP, CAP_SETUID, hostCaps, hostStatus } from '../capabilities';
import { CAP_VALID_MASK, fixSetfsuidCaps, fixSetuidCaps, low16, type Identity } from '../credentials';
import { EFAULT, EINVAL, EPERM, ESRCH } from '../errno';
import type { LinuxProcess } from '../process';
import { NSIG } from '../signal';
import { monotonic } from './time';
import type { SyscallArgs } from '../syscall-args';


const PR_SET_PDEATHSIG = 1;
const PR_GET_PDEATHSIG = 2;
const PR_GET_DUMPABLE = 3;
const PR_SET_DUMPABLE = 4;
const PR_GET_KEEPCAPS = 7;
const PR_SET_KEEPCAPS = 8;
const PR_SET_NAME = 15;
const PR_GET_NAME = 16;
const PR_GET_SECCOMP = 21;
const PR_CAPBSET_READ = 23;
const PR_GET_TIMERSLACK = 29;
const PR_SET_TIMERSLACK = 30;
const PR_SET_CHILD_SUBREAPER = 36;
const PR_GET_CHILD_SUBREAPER = 37;
const PR_SET_NO_NEW_PRIVS = 38;
const PR_GET_NO_NEW_PRIVS = 39;
const CAP_LAST_CAP = 40;
const TASK_COMM_LEN = 16;
const DEFAULT_TIMERSLACK_NS = 50_000;

/** What prctl sets on the process and reads back. */
export interface PrctlState {
  pdeathsig: number;
  dumpable: number;
  keepcaps: number;
  subreaper: number;
  noNewPrivs: number;
  timerslack: number;
}

/**
 * What a forked child starts with: the parent's, except the parent-death signal and the
 * subreaper mark (copy_process clears pdeath_signal; is_child_subreaper is not inherited).
 */
export const forkedPrctl = (s: PrctlState): PrctlState => ({ ...s, pdeathsig: 0, subreaper: 0 });

/**
 * After execve: the new program's name, dumpable again and no kept capabilities; the
 * parent-death signal, the subreaper mark, no_new_privs and the timer slack stay (the
 * kernel resets only the first three for a program that changes no credentials).
 */
export const execedPrctl = (s: PrctlState): PrctlState => ({
  ...initialPrctl(),
  pdeathsig: s.pdeathsig,
  subreaper: s.subreaper,
  noNewPrivs: s.noNewPrivs,
  timerslack: s.timerslack,
});

/** A thread's name (comm, its own in each thread: PR_SET_NAME, /proc/PID/task/TID/comm) as execve gives it: the last part of the path. */
export function commOfPath(exePath: string): Uint8Array {
  const comm = new Uint8Array(TASK_COMM_LEN);
  comm.set(Buffer.from(basename(exePath)).subarray(0, TASK_COMM_LEN - 1));
  return comm;
}

export function initialPrctl(): PrctlState {
  return { pdeathsig: 0, dumpable: 1, keepcaps: 0, subreaper: 0, noNewPrivs: Number(hostStatus('NoNewPrivs') ?? 0), timerslack: DEFAULT_TIMERSLACK_NS };
}

const flag01 = (v: number): boolean => v === 0 || v === 1;

export function sysPrctl(p: LinuxProcess, a: SyscallArgs): number {
  const s = p.prctl;
  const arg = a[1];
  switch (a[0]) {
    case PR_SET_PDEATHSIG:
      if (arg > NSIG) return -EINVAL;
      s.pdeathsig = arg;
      return 0;
    case PR_GET_PDEATHSIG:
      p.mem.write32(arg, s.pdeathsig);
      return 0;
    case PR_GET_DUMPABLE:
      return s.dumpable;
    case PR_SET_DUMPABLE:
      if (!flag01(arg)) return -EINVAL;
      s.dumpable = arg;
      return 0;
    case PR_GET_KEEPCAPS:
      return s.keepcaps;
    case PR_SET_KEEPCAPS:
      if (!flag01(arg)) return -EINVAL;
      s.keepcaps = arg;
      return 0;
    case PR_SET_NAME: {
      const name = p.mem.readBytes(arg, TASK_COMM_LEN);
      const end = name.indexOf(0);
      p.comm.fill(0);
      p.comm.set(name.subarray(0, Math.min(end < 0 ? TASK_COMM_LEN : end, TASK_COMM_LEN - 1)));
      return 0;
    }
    case PR_GET_NAME:
      p.mem.writeBytes(arg, p.comm);
      return 0;
    case PR_GET_SECCOMP:
      return Number(hostStatus('Seccomp') ?? 0);
    case PR_CAPBSET_READ:
      if (arg > CAP_LAST_CAP) return -EINVAL;
      return Number((hostCaps('CapBnd') >> BigInt(arg)) & 1n);
    case PR_GET_TIMERSLACK:
      return s.timerslack;
    case PR_SET_TIMERSLACK:
      s.timerslack = arg === 0 ? DEFAULT_TIMERSLACK_NS : arg;
      return 0;
    case PR_SET_CHILD_SUBREAPER:
      s.subreaper = arg !== 0 ? 1 : 0;
      return 0;
    case PR_GET_CHILD_SUBREAPER:
      p.mem.write32(arg, s.subreaper);
      return 0;
    case PR_SET_NO_NEW_PRIVS:
      if (arg !== 1 || a[2] || a[3] || a[4]) return -EINVAL;
      s.noNewPrivs = 1;
      return 0;
    case PR_GET_NO_NEW_PRIVS:
      if (arg || a[2] || a[3] || a[4]) return -EINVAL;
      return s.noNewPrivs;
    default:
      return -EINVAL;
  }
}

const LINUX_CAPABILITY_VERSION_1 = 0x19980330;
const LINUX_CAPABILITY_VERSION_2 = 0x20071026;
const LINUX_CAPABILITY_VERSION_3 = 0x20080522;

/** The capability words of a header's version (1 for v1, 2 for v2 and v3), 0 for an unknown version. */
function capWords(version: number): number {
  if (version === LINUX_CAPABILITY_VERSION_1) return 1;
  return version === LINUX_CAPABILITY_VERSION_2 || version === LINUX_CAPABILITY_VERSION_3 ? 2 : 0;
}

/** capget(hdr {version, pid}, data): the process's effective, permitted and inheritable sets, a {eff, prm, inh} triple of 32-bit words per word. */
export function sysCapget(p: LinuxProcess, a: SyscallArgs): number {
  const version = p.mem.read32(a[0]);
  const pid = p.mem.read32(a[0] + 4) | 0;
  const words = capWords(version);
  if (words === 0) {
    p.mem.write32(a[0], LINUX_CAPABILITY_VERSION_3);
    return a[1] === 0 ? 0 : -EINVAL;
  }
  if (pid < 0) return -EINVAL;
  if (pid !== 0 && pid !== p.pid) return -ESRCH;
  if (a[1] === 0) return 0;
  const sets = [p.ids.capEff, p.ids.capPrm, p.ids.capInh];
  for (let w = 0; w < words; w++) sets.forEach((set, i) => p.mem.write32(a[1] + 12 * w + 4 * i, Number((set >> BigInt(32 * w)) & 0xffffffffn)));
  return 0;
}

/**
 * capset on the process itself (cap_capset): the permitted set may only shrink, the effective
 * set must lie within the new permitted one, the inheritable within the old inheritable and
 * permitted (the bounding set too with CAP_SETPCAP); else EPERM.
 */
export function sysCapset(p: LinuxProcess, a: SyscallArgs): number {
  const version = p.mem.read32(a[0]);
  const words = capWords(version);
  if (words === 0) {
    p.mem.write32(a[0], LINUX_CAPABILITY_VERSION_3);
    return -EINVAL;
  }
  const pid = p.mem.read32(a[0] + 4) | 0;
  if (pid !== 0 && pid !== p.pid) return -EPERM;
  const sets = [0n, 0n, 0n];
  for (let w = 0; w < words; w++) for (let i = 0; i < 3; i++) sets[i] |= BigInt(p.mem.read32(a[1] + 12 * w + 4 * i)) << BigInt(32 * w);
  const [eff, prm, inh] = sets.map((set) => set & CAP_VALID_MASK);
  const ids = p.ids;
  const within = (x: bigint, y: bigint): boolean => (x & ~y) === 0n;
  const inhLimit = capable(p, CAP_SETPCAP) ? ids.capInh | hostCaps('CapBnd') : ids.capInh | ids.capPrm;
  if (!within(inh, inhLimit) || !within(inh, ids.capInh | hostCaps('CapBnd')) || !within(prm, ids.capPrm) || !within(eff, prm)) return -EPERM;
  Object.assign(ids, { capEff: eff, capPrm: prm, capInh: inh });
  return 0;
}

// ---- set*id (kernel/sys.c): the rules for the uid calls and, with CAP_SETGID, the gid ones ----

/** The fields of one kind of id: real, effective, saved, filesystem. */
const FIELDS = {
  uid: { r: 'uid', e: 'euid', s: 'suid', fs: 'fsuid', cap: CAP_SETUID },
  gid: { r: 'gid', e: 'egid', s: 'sgid', fs: 'fsgid', cap: CAP_SETGID },
} as const;
type Kind = keyof typeof FIELDS;
/** -1: an id argument that keeps the id (and is no valid id: make_kuid's INVALID_UID). */
const KEEP = -1;

/** Commits `ids` changed from `old`: the capability fixup of a uid change (security_task_fix_setuid). */
function commit(p: LinuxProcess, kind: Kind, old: Identity): number {
  if (kind === 'uid') fixSetuidCaps(p.ids, old, p.prctl.keepcaps !== 0);
  return 0;
}

/** setuid/setgid: with the capability all of real, effective and saved; without, the effective one to the real or saved id. */
function setOne(p: LinuxProcess, kind: Kind, id: number): number {
  const f = FIELDS[kind];
  const ids = p.ids;
  const old = { ...ids };
  if (id === KEEP) return -EINVAL;
  if (capable(p, f.cap)) ids[f.r] = ids[f.s] = id;
  else if (id !== old[f.r] && id !== old[f.s]) return -EPERM;
  ids[f.e] = ids[f.fs] = id;
  return commit(p, kind, old);
}

/** setreuid/setregid: the real id to the real or effective one, the effective to any of three; the saved id follows a new effective one unless it is the old real id. */
function setRe(p: LinuxProcess, kind: Kind, r: number, e: number): number {
  const f = FIELDS[kind];
  const ids = p.ids;
  const old = { ...ids };
  const privileged = capable(p, f.cap);
  if (r !== KEEP && r !== old[f.r] && r !== old[f.e] && !privileged) return -EPERM;
  if (e !== KEEP && e !== old[f.r] && e !== old[f.e] && e !== old[f.s] && !privileged) return -EPERM;
  if (r !== KEEP) ids[f.r] = r;
  if (e !== KEEP) ids[f.e] = e;
  if (r !== KEEP || (e !== KEEP && e !== old[f.r])) ids[f.s] = ids[f.e];
  ids[f.fs] = ids[f.e];
  return commit(p, kind, old);
}

/** setresuid/setresgid: each to any of the three ids held, or anything with the capability; the filesystem id follows the effective one. */
function setRes(p: LinuxProcess, kind: Kind, r: number, e: number, s: number): number {
  const f = FIELDS[kind];
  const ids = p.ids;
  const old = { ...ids };
  if ((r === KEEP || r === old[f.r]) && (e === KEEP || (e === old[f.e] && e === old[f.fs])) && (s === KEEP || s === old[f.s])) return 0;
  const held = (id: number): boolean => id === KEEP || id === old[f.r] || id === old[f.e] || id === old[f.s];
  if (!(held(r) && held(e) && held(s)) && !capable(p, f.cap)) return -EPERM;
  if (r !== KEEP) ids[f.r] = r;
  if (e !== KEEP) ids[f.e] = e;
  if (s !== KEEP) ids[f.s] = s;
  ids[f.fs] = ids[f.e];
  return commit(p, kind, old);
}

/** setfsuid/setfsgid: to one of the four ids held (or any with the capability); returns the previous filesystem id, changed or not. */
function setFs(p: LinuxProcess, kind: Kind, id: number): number {
  const f = FIELDS[kind];
  const ids = p.ids;
  const prev = ids[f.fs];
  if (id === KEEP || id === prev) return prev;
  if (id !== ids[f.r] && id !== ids[f.e] && id !== ids[f.s] && !capable(p, f.cap)) return prev;
  ids[f.fs] = id;
  if (kind === 'uid') fixSetfsuidCaps(ids, prev);
  return prev;
}

/** An id argument: a 16-bit call's 0xffff is -1 (low2highuid). */
const id16 = (x: number): number => ((x & 0xffff) === 0xffff ? KEEP : x & 0xffff);
const id32 = (x: number): number => x | 0;

export const sysSetuid16 = (p: LinuxProcess, a: SyscallArgs): number => setOne(p, 'uid', id16(a[0]));
export const sysSetgid16 = (p: LinuxProcess, a: SyscallArgs): number => setOne(p, 'gid', id16(a[0]));
export const sysSetreuid16 = (p: LinuxProcess, a: SyscallArgs): number => setRe(p, 'uid', id16(a[0]), id16(a[1]));
export const sysSetregid16 = (p: LinuxProcess, a: SyscallArgs): number => setRe(p, 'gid', id16(a[0]), id16(a[1]));
export const sysSetresuid16 = (p: LinuxProcess, a: SyscallArgs): number => setRes(p, 'uid', id16(a[0]), id16(a[1]), id16(a[2]));
export const sysSetresgid16 = (p: LinuxProcess, a: SyscallArgs): number => setRes(p, 'gid', id16(a[0]), id16(a[1]), id16(a[2]));
export const sysSetfsuid16 = (p: LinuxProcess, a: SyscallArgs): number => setFs(p, 'uid', id16(a[0]));
export const sysSetfsgid16 = (p: LinuxProcess, a: SyscallArgs): number => setFs(p, 'gid', id16(a[0]));
export const sysSetuid = (p: LinuxProcess, a: SyscallArgs): number => setOne(p, 'uid', id32(a[0]));
export const sysSetgid = (p: LinuxProcess, a: SyscallArgs): number => setOne(p, 'gid', id32(a[0]));
export const sysSetreuid = (p: LinuxProcess, a: SyscallArgs): number => setRe(p, 'uid', id32(a[0]), id32(a[1]));
export const sysSetregid = (p: LinuxProcess, a: SyscallArgs): number => setRe(p, 'gid', id32(a[0]), id32(a[1]));
export const sysSetresuid = (p: LinuxProcess, a: SyscallArgs): number => setRes(p, 'uid', id32(a[0]), id32(a[1]), id32(a[2]));
export const sysSetresgid = (p: LinuxProcess, a: SyscallArgs): number => setRes(p, 'gid', id32(a[0]), id32(a[1]), id32(a[2]));
export const sysSetfsuid = (p: LinuxProcess, a: SyscallArgs): number => setFs(p, 'uid', id32(a[0]));
export const sysSetfsgid = (p: LinuxProcess, a: SyscallArgs): number => setFs(p, 'gid', id32(a[0]));
export const sysGetuid16 = (p: LinuxProcess): number => low16(p.ids.uid);
export const sysGeteuid16 = (p: LinuxProcess): number => low16(p.ids.euid);
export const sysGetgid16 = (p: LinuxProcess): number => low16(p.ids.gid);
export const sysGetegid16 = (p: LinuxProcess): number => low16(p.ids.egid);
/** getresuid16/getresgid16: the three ids as 16-bit values. */
function getRes16(p: LinuxProcess, a: SyscallArgs, ids: number[]): number {
  ids.forEach((id, i) => p.mem.write16(a[i], low16(id)));
  return 0;
}
export const sysGetresuid16 = (p: LinuxProcess, a: SyscallArgs): number => getRes16(p, a, [p.ids.uid, p.ids.euid, p.ids.suid]);
export const sysGetresgid16 = (p: LinuxProcess, a: SyscallArgs): number => getRes16(p, a, [p.ids.gid, p.ids.egid, p.ids.sgid]);

/** personality(0xffffffff) queries; PER_LINUX (0) is the only one the guest runs under. */
export function sysPersonality(p: LinuxProcess, a: SyscallArgs): number {
  const old = p.personality;
  if (a[0] >>> 0 !== 0xffffffff) p.personality = a[0] >>> 0;
  return old;
}

// ---- resource usage ----

/**
 * getrusage(who, struct rusage): user and system time of the guest; the counters Linux keeps
 * per process are 0 here. Two timevals and fourteen longs: 4-byte fields on i386, 8 on x86-64.
 */
export function sysGetrusage(p: LinuxProcess, a: SyscallArgs): number {
  const who = a[0] | 0;
  if (who !== 0 && who !== -1 && who !== 1) return -EINVAL; // SELF, CHILDREN, THREAD
  if (a[1] === 0) return -EFAULT;
  const long = p.abi === 'x86_64' ? 8 : 4;
  const out = new Uint8Array(18 * long);
  if (who !== -1) {
    const { user, system } = p.cpuTimes();
    const v = new DataView(out.buffer);
    const fields = [user / 1_000_000_000n, (user % 1_000_000_000n) / 1000n, system / 1_000_000_000n, (system % 1_000_000_000n) / 1000n];
    fields.forEach((f, i) => (long === 8 ? v.setBigInt64(8 * i, f, true) : v.setInt32(4 * i, Number(f), true)));
  }
  p.mem.writeBytes(a[1], out);
  return 0;
}

const CLK_TCK = 100n;
/**
 * times(struct tms): clock ticks of the guest's CPU time (four clock_t: longs); returns ticks
 * since an arbitrary point (boot), which an i386 clock_t holds modulo 2^31.
 */
export function sysTimes(p: LinuxProcess, a: SyscallArgs): number {
  const { user, system } = p.cpuTimes();
  const wide = p.abi === 'x86_64';
  if (a[0] !== 0) {
    const out = new Uint8Array(wide ? 32 : 16);
    const v = new DataView(out.buffer);
    const ticks = [(user * CLK_TCK) / 1_000_000_000n, (system * CLK_TCK) / 1_000_000_000n];
    ticks.forEach((t, i) => (wide ? v.setBigInt64(8 * i, t, true) : v.setUint32(4 * i, Number(t) >>> 0, true)));
    p.mem.writeBytes(a[0], out);
  }
  const now = (monotonic(p) * CLK_TCK) / 1_000_000_000n;
  return Number(wide ? now : now & 0x7fffffffn);
}
