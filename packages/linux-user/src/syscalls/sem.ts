/**
 * SysV semaphores: semget, semop/semtimedop (ipc's SEMOP/SEMTIMEDOP, semtimedop_time64),
 * semctl. An operation array applies atomically or not at all (perform_atomic_semop: in
 * order, each seeing the ones before it); one that cannot apply blocks the caller
 * (WouldBlock: the scheduler runs the other guests and retries it), counted in
 * GETNCNT/GETZCNT while it waits, until it applies, its timeout passes (EAGAIN), the set is
 * removed (EIDRM) or a signal interrupts it (EINTR). SEM_UNDO adjustments belong to the
 * process (its threads share them) and are applied when it exits.
 */
import { CLOCKS, readTimespec } from './time';
import { E2BIG, EACCES, EAGAIN, EFBIG, EIDRM, EINVAL, ENOSPC, EPERM, ERANGE } from '../errno';
import type { LinuxProcess } from '../process';
import { WouldBlock } from '../would-block';
import {
  IPC_INFO,
  IPC_NOWAIT, IPC_RMID, IPC_SET, IPC_STAT, S_IRUGO, S_IWUGO, ipcDenied, ipcGet, ipcIds, ipcOwner, ipcTime, putIpcPerm, readIpcSet, updatePerm, encodeIds64X86_64, ipc64PermSize,
  type IpcIds, type IpcPerm,
} from '../sysv-ipc';
import type { SyscallArgs } from '../syscall-args';

const SEM_UNDO = 0x1000;
const GETPID = 11;
const GETVAL = 12;
const GETALL = 13;
const GETNCNT = 14;
const GETZCNT = 15;
const SETVAL = 16;
const SETALL = 17;
const SEM_STAT = 18;
const SEM_STAT_ANY = 20;
/** Linux's defaults (kernel.sem = SEMMSL SEMMNS SEMOPM SEMMNI) and value bounds. */
const SEMMSL = 32000;
const SEMMNS = 1024000000;
const SEMOPM = 500;
const SEMVMX = 32767;
const SEMAEM = SEMVMX;
const SEMMNI = 32000;
const SEM_INFO = 19;
/** SEMUSZ: the size of a struct sem_undo as the uapi header has it. */
const SEMUSZ = 20;

interface SemSet {
  perm: IpcPerm;
  vals: number[];
  pids: number[];
  otime: number;
  ctime: number;
  /** The callers blocked on the set: which semaphore, waiting for zero or for an increase. */
  waiters: Set<Waiter>;
  /** SEM_UNDO adjustments, per process (its thread group). */
  undo: Map<Set<LinuxProcess>, number[]>;
}

interface Waiter {
  p: LinuxProcess;
  set: SemSet;
  num: number;
  zero: boolean;
  until: bigint | undefined;
}

const sets = (p: LinuxProcess): IpcIds<SemSet> => ipcIds<SemSet>(p, 'sem');
/** The wait each blocked caller is in (its retry finds it). */
const waiting = new WeakMap<LinuxProcess, Waiter>();

function usedSems(p: LinuxProcess): number {
  let n = 0;
  for (let i = 0, ids = sets(p); i <= ids.maxIndex(); i++) n += ids.atIndex(i)?.vals.length ?? 0;
  return n;
}

/** semget(key, nsems, semflg). */
export function sysSemget(p: LinuxProcess, a: SyscallArgs): number {
  const key = a[0] | 0, nsems = a[1] | 0, flag = a[2];
  if (nsems < 0 || nsems > SEMMSL) return -EINVAL;
  return ipcGet(p, sets(p), key, flag, () => {
    if (nsems === 0) return -EINVAL;
    if (usedSems(p) + nsems > SEMMNS) return -ENOSPC;
    const perm = sets(p).newPerm(p, key, flag);
    if (!perm) return -ENOSPC;
    return { perm, vals: new Array<number>(nsems).fill(0), pids: new Array<number>(nsems).fill(0), otime: 0, ctime: ipcTime(), waiters: new Set(), undo: new Map() };
  }, (s) => (nsems > s.vals.length ? -EINVAL : 0));
}

/**
 * semtimedop(semid, sops, nsops, timeout) for every entry point: `ts` the timeout's address
 * (0: none), `wide` a 64-bit timespec.
 */
export function semtimedop(p: LinuxProcess, id: number, sopsAddr: number, nsops: number, ts: number, wide: boolean): number {
  const before = waiting.get(p);
  if (before) {
    before.set.waiters.delete(before);
    waiting.delete(p);
  }
  if (nsops < 1 || id < 0) return -EINVAL;
  if (nsops > SEMOPM) return -E2BIG;
  const raw = new DataView(p.mem.readBytes(sopsAddr, 6 * nsops).buffer);
  const sops = Array.from({ length: nsops }, (_, i) => ({ num: raw.getUint16(6 * i, true), op: raw.getInt16(6 * i + 2, true), flg: raw.getInt16(6 * i + 4, true) }));
  let until = before?.until;
  if (!before && ts !== 0) {
    const t = readTimespec(p, ts, wide);
    if (typeof t === 'number') return t;
    until = p.callStart() + t;
  }
  if (before?.set.perm.deleted) return -EIDRM;
  const set = sets(p).get(id);
  if (!set) return -EINVAL;
  if (Math.max(...sops.map((s) => s.num)) >= set.vals.length) return -EFBIG;
  if (ipcDenied(p, set.perm, sops.some((s) => s.op !== 0) ? S_IWUGO : S_IRUGO)) return -EACCES;
  // perform_atomic_semop on a copy: all of it or nothing
  const vals = set.vals.slice();
  const undo = sops.some((s) => s.flg & SEM_UNDO) ? (set.undo.get(p.threadGroup) ?? new Array<number>(vals.length).fill(0)).slice() : undefined;
  for (const s of sops) {
    const v = vals[s.num];
    if ((s.op === 0 && v !== 0) || v + s.op < 0) {
      if (s.flg & IPC_NOWAIT) return -EAGAIN;
      if (until !== undefined && CLOCKS[1].now(p) >= until) return -EAGAIN;
      const w: Waiter = { p, set, num: s.num, zero: s.op === 0, until };
      set.waiters.add(w);
      waiting.set(p, w);
      throw new WouldBlock('semop', until, () => {
        set.waiters.delete(w);
        waiting.delete(p);
      });
    }
    if (v + s.op > SEMVMX) return -ERANGE;
    if (s.flg & SEM_UNDO) {
      const adj = undo![s.num] - s.op;
      if (adj < -SEMAEM - 1 || adj > SEMAEM) return -ERANGE;
      undo![s.num] = adj;
    }
    vals[s.num] = v + s.op;
  }
  set.vals = vals;
  if (undo) set.undo.set(p.threadGroup, undo);
  for (const s of sops) set.pids[s.num] = p.pid;
  set.otime = ipcTime();
  return 0;
}

/** Process exit (exit_sem): each adjustment applied, the value clamped to [0, SEMVMX]. */
export function semExit(p: LinuxProcess): void {
  const ids = sets(p);
  for (let i = 0; i <= ids.maxIndex(); i++) {
    const set = ids.atIndex(i);
    const adj = set?.undo.get(p.threadGroup);
    if (!set || !adj) continue;
    set.undo.delete(p.threadGroup);
    adj.forEach((d, n) => {
      if (d === 0) return;
      set.vals[n] = Math.min(SEMVMX, Math.max(0, set.vals[n] + d));
      set.pids[n] = p.pid;
    });
  }
}

/** SETVAL/SETALL: every process's adjustments for those semaphores reset. */
function clearUndo(set: SemSet, num?: number): void {
  for (const u of set.undo.values()) for (let i = 0; i < u.length; i++) if (num === undefined || i === num) u[i] = 0;
}

/** semid64_ds (64 bytes; x86-64's 104, of longs) or, without IPC_64, the old semid_ds (44 bytes). */
function encodeSemid(s: SemSet, wide: boolean, abi: LinuxProcess['abi']): Uint8Array {
  if (abi === 'x86_64') return encodeIds64X86_64(s.perm, 104, [[48, s.otime, 8], [64, s.ctime, 8], [80, s.vals.length, 8]]);
  const out = new Uint8Array(wide ? 64 : 44);
  const v = new DataView(out.buffer);
  putIpcPerm(v, s.perm, wide);
  if (wide) {
    v.setUint32(36, s.otime, true);
    v.setUint32(44, s.ctime, true);
    v.setUint32(52, s.vals.length, true);
  } else {
    v.setInt32(16, s.otime, true);
    v.setInt32(20, s.ctime, true);
    v.setUint16(40, s.vals.length, true);
  }
  return out;
}

/** semctl(semid, semnum, cmd, arg): `arg` the union's word (a value or a pointer), `wide` the ipc64 structures. */
export function semctl(p: LinuxProcess, id: number, num: number, cmd: number, arg: number, wide: boolean): number {
  if (id < 0) return -EINVAL;
  const ids = sets(p);
  switch (cmd) {
    case IPC_INFO:
    case SEM_INFO: {
      // struct seminfo: semmap, semmni, semmns, semmnu, semmsl, semopm, semume, semusz, semvmx, semaem; SEM_INFO's semusz and semaem are usage
      const info = [SEMMNS, SEMMNI, SEMMNS, SEMMNS, SEMMSL, SEMOPM, SEMOPM, cmd === SEM_INFO ? ids.size : SEMUSZ, SEMVMX, cmd === SEM_INFO ? usedSems(p) : SEMAEM];
      p.mem.writeBytes(arg, new Uint8Array(Int32Array.from(info).buffer));
      return Math.max(ids.maxIndex(), 0);
    }
    case IPC_STAT:
    case SEM_STAT:
    case SEM_STAT_ANY: {
      const set = cmd === IPC_STAT ? ids.get(id) : ids.atIndex(id);
      if (!set) return -EINVAL;
      if (cmd !== SEM_STAT_ANY && ipcDenied(p, set.perm, S_IRUGO)) return -EACCES;
      p.mem.writeBytes(arg, encodeSemid(set, wide, p.abi));
      return cmd === IPC_STAT ? 0 : set.perm.id;
    }
    case GETVAL:
    case GETPID:
    case GETNCNT:
    case GETZCNT:
    case GETALL:
    case SETALL: {
      const set = ids.get(id);
      if (!set) return -EINVAL;
      const n = set.vals.length;
      if (ipcDenied(p, set.perm, cmd === SETALL ? S_IWUGO : S_IRUGO)) return -EACCES;
      if (cmd === GETALL) {
        const out = new DataView(new ArrayBuffer(2 * n));
        set.vals.forEach((v, i) => out.setUint16(2 * i, v, true));
        p.mem.writeBytes(arg, new Uint8Array(out.buffer));
        return 0;
      }
      if (cmd === SETALL) {
        const v = new DataView(p.mem.readBytes(arg, 2 * n).buffer);
        const vals = Array.from({ length: n }, (_, i) => v.getUint16(2 * i, true));
        if (vals.some((x) => x > SEMVMX)) return -ERANGE;
        set.vals = vals;
        set.pids.fill(p.pid);
        clearUndo(set);
        set.ctime = ipcTime();
        return 0;
      }
      if (num < 0 || num >= n) return -EINVAL;
      if (cmd === GETVAL) return set.vals[num];
      if (cmd === GETPID) return set.pids[num];
      return [...set.waiters].filter((w) => w.num === num && w.zero === (cmd === GETZCNT)).length;
    }
    case SETVAL: {
      const val = arg | 0;
      if (val > SEMVMX || val < 0) return -ERANGE;
      const set = ids.get(id);
      if (!set) return -EINVAL;
      if (num < 0 || num >= set.vals.length) return -EINVAL;
      if (ipcDenied(p, set.perm, S_IWUGO)) return -EACCES;
      set.vals[num] = val;
      set.pids[num] = p.pid;
      clearUndo(set, num);
      set.ctime = ipcTime();
      return 0;
    }
    case IPC_SET:
    case IPC_RMID: {
      const s = cmd === IPC_SET ? readIpcSet(new DataView(p.mem.readBytes(arg, wide ? ipc64PermSize(p) : 16).buffer), wide) : undefined;
      const set = ids.get(id);
      if (!set) return -EINVAL;
      if (!ipcOwner(p, set.perm)) return -EPERM;
      if (s) updatePerm(set.perm, s);
      else ids.remove(set);
      set.ctime = ipcTime();
      return 0;
    }
    default:
      return -EINVAL;
  }
}

/** semop(semid, sops, nsops): x86-64's direct call (i386 reaches it through ipc). */
export const sysSemop = (p: LinuxProcess, a: SyscallArgs): number => semtimedop(p, a[0] | 0, a[1], a[2], 0, false);
/** semtimedop_time64(semid, sops, nsops, timeout): i386's direct call, a 64-bit timespec. */
export const sysSemtimedopTime64 = (p: LinuxProcess, a: SyscallArgs): number => semtimedop(p, a[0] | 0, a[1], a[2], a[3], true);
/** semctl(semid, semnum, cmd, arg), the direct call: the ipc64 structures, cmd as given. */
export const sysSemctl = (p: LinuxProcess, a: SyscallArgs): number => semctl(p, a[0] | 0, a[1] | 0, a[2] | 0, a[3], true);
