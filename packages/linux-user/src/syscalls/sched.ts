/**
 * A thread's scheduling attributes, as the kernel keeps them per task and reports them: the
 * nice value (nice, getpriority/setpriority), the policy with its real-time priority,
 * SCHED_RESET_ON_FORK and a fair task's slice (sched_setscheduler, sched_setparam,
 * sched_setattr and their getters, sched_rr_get_interval), and the queries of the one CPU the
 * guest runs on. dbtlab's own scheduler does not read them (it is deterministic); what a guest
 * sets it reads back, and the kernel's checks give their errno (kernel/sched/syscalls.c,
 * kernel/sys.c). Any guest thread can be named by its id, a process by its leader's; a pid
 * outside the guest tree is ESRCH (process-tree.ts tasksNamed). Changing another task needs
 * the same owner (check_same_owner) or CAP_SYS_NICE, and its limits decide what is a raise.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { capable, CAP_SYS_NICE } from '../capabilities';
import { E2BIG, EACCES, EINVAL, EOPNOTSUPP, EPERM, ESRCH } from '../errno';
import { tasksNamed } from './process-tree';
import type { LinuxProcess } from '../process';
import type { SyscallArgs } from '../syscall-args';

const SCHED_OTHER = 0;
const SCHED_FIFO = 1;
const SCHED_RR = 2;
const SCHED_BATCH = 3;
export const SCHED_IDLE = 5;
export const SCHED_DEADLINE = 6;
/** Asks sched_setscheduler/sched_setattr to keep the current policy (SETPARAM_POLICY). */
const SETPARAM_POLICY = -1;
const SCHED_RESET_ON_FORK = 0x40000000;
const SCHED_FLAG_RESET_ON_FORK = 0x01;
const SCHED_FLAG_KEEP_POLICY = 0x08;
const SCHED_FLAG_KEEP_PARAMS = 0x10;
const SCHED_FLAG_UTIL_CLAMP = 0x60;
const SCHED_FLAG_ALL = 0x7f;
const MAX_RT_PRIO = 100;
const SCHED_ATTR_SIZE_VER0 = 48;
/** struct sched_attr as this kernel knows it (VER1: util_min, util_max, 0 without CONFIG_UCLAMP_TASK as on the host). */
const SCHED_ATTR_SIZE = 56;
const PAGE_SIZE = 4096;
/** RR_TIMESLICE: 100 ms. */
const RR_TIMESLICE_NS = 100_000_000;
/**
 * The host kernel's CONFIG_HZ (Debian's 250): sched_rr_get_interval reports whole jiffies, and a
 * jiffy is the resolution of the coarse and tick-based CPU clocks (time.ts).
 */
export const NSEC_PER_JIFFY = 1e9 / 250;
const MSEC = 1_000_000;
/** sysctl_sched_base_slice: 0.7 ms scaled by 1 + ilog2(online CPUs, at most 8), as the host's kernel boots (SCHED_TUNABLESCALING_LOG). */
const BASE_SLICE_NS = 700_000 * (1 + Math.floor(Math.log2(Math.min(Math.max(cpus().length, 1), 8))));
const RLIMIT_NICE = 13;
const RLIMIT_RTPRIO = 14;

/** A task's policy state (task_struct's policy, rt_priority, sched_reset_on_fork, se.slice, the dl parameters). */
export interface SchedState {
  policy: number;
  priority: number;
  resetOnFork: boolean;
  /** A fair task's slice set by sched_setattr's sched_runtime (undefined: the base slice). */
  slice?: number;
  dl?: { runtime: bigint; deadline: bigint; period: bigint };
  /** The I/O priority ioprio_set gave it (io_context->ioprio, 16 bits; 0: class none, never set): ioprio.ts. */
  ioprio: number;
}

export const initialSched = (): SchedState => ({ policy: SCHED_OTHER, priority: 0, resetOnFork: false, ioprio: 0 });

export const rtPolicy = (policy: number): boolean => policy === SCHED_FIFO || policy === SCHED_RR;
const fairPolicy = (policy: number): boolean => policy === SCHED_OTHER || policy === SCHED_BATCH || policy === SCHED_IDLE;
const validPolicy = (policy: number): boolean => fairPolicy(policy) || rtPolicy(policy) || policy === SCHED_DEADLINE;

/** sched_fork: the child's copy; SCHED_RESET_ON_FORK drops a real-time policy and a negative nice. */
export function forkSched(parent: LinuxProcess, child: LinuxProcess): void {
  const s = parent.sched;
  // copy_io: a child has an I/O priority of its own only when one of a class was set
  child.sched = { ...s, dl: s.dl && { ...s.dl }, ioprio: s.ioprio >> 13 ? s.ioprio : 0 };
  child.nice = parent.nice;
  if (!s.resetOnFork) return;
  child.sched.resetOnFork = false;
  if (rtPolicy(s.policy) || s.policy === SCHED_DEADLINE) {
    Object.assign(child.sched, { policy: SCHED_OTHER, priority: 0, dl: undefined });
    child.nice = 0;
  } else if (parent.nice < 0) {
    child.nice = 0;
  }
}

/** find_process_by_pid: the caller for 0, else the guest task with that id; -ESRCH when there is none. */
function taskOf(p: LinuxProcess, pid: number): LinuxProcess | number {
  return tasksNamed(p, 'task', pid)[0] ?? -ESRCH;
}
/** The same for the calls that refuse a negative pid first (EINVAL). */
const taskOfPid = (p: LinuxProcess, pid: number): LinuxProcess | number => (pid < 0 ? -EINVAL : taskOf(p, pid));

/** is_nice_reduction: target t's RLIMIT_NICE allows `nice` (20 - nice at most the limit). */
const niceReduction = (t: LinuxProcess, nice: number): boolean => BigInt(20 - nice) <= t.rlimits[RLIMIT_NICE].cur;
/** can_nice: the target's limit allows it, or the caller p holds CAP_SYS_NICE. */
const canNice = (p: LinuxProcess, t: LinuxProcess, nice: number): boolean => niceReduction(t, nice) || capable(p, CAP_SYS_NICE);
/** check_same_owner: the caller's effective uid is the target's real or effective one. */
const sameOwner = (p: LinuxProcess, t: LinuxProcess): boolean => p.ids.euid === t.ids.euid || p.ids.euid === t.ids.uid;

// ---- nice and priorities ----

const PRIO_PROCESS = 0;
const PRIO_PGRP = 1;
const PRIO_USER = 2;
const clampNice = (n: number): number => Math.max(-20, Math.min(19, n));

/** nice(increment): the increment clamped to +-40, the result to [-20, 19]; lowering it needs can_nice. */
export function sysNice(p: LinuxProcess, a: SyscallArgs): number {
  const increment = Math.max(-40, Math.min(40, a[0] | 0));
  const nice = clampNice(p.nice + increment);
  if (increment < 0 && !canNice(p, p, nice)) return -EPERM;
  p.nice = nice;
  return 0;
}
/** The tasks of getpriority/setpriority's which/who (who 0: the caller, its group, its real uid), or -EINVAL for an unknown which. */
function prioTargets(p: LinuxProcess, which: number, who: number): LinuxProcess[] | number {
  if (which === PRIO_PROCESS) return tasksNamed(p, 'task', who);
  if (which === PRIO_PGRP) return tasksNamed(p, 'pgrp', who);
  return which === PRIO_USER ? tasksNamed(p, 'uid', who === 0 ? p.ids.uid : who) : -EINVAL;
}
/** getpriority returns the highest 20 - nice of the tasks named (the raw system call's convention), ESRCH for none. */
export function sysGetpriority(p: LinuxProcess, a: SyscallArgs): number {
  const ts = prioTargets(p, a[0] | 0, a[1] | 0);
  if (typeof ts === 'number') return ts;
  return ts.length ? Math.max(...ts.map((t) => 20 - t.nice)) : -ESRCH;
}
/**
 * setpriority sets every task named (set_one_prio): another owner's is EPERM without
 * CAP_SYS_NICE, a raise beyond the target's RLIMIT_NICE EACCES; the last such error is the
 * answer even when others were set, ESRCH when none was named.
 */
export function sysSetpriority(p: LinuxProcess, a: SyscallArgs): number {
  const ts = prioTargets(p, a[0] | 0, a[1] | 0);
  if (typeof ts === 'number') return ts;
  const nice = clampNice(a[2] | 0);
  let error = -ESRCH;
  for (const t of ts) {
    if (!sameOwner(p, t) && !capable(p, CAP_SYS_NICE)) error = -EPERM;
    else if (nice < t.nice && !canNice(p, t, nice)) error = -EACCES;
    else {
      if (error === -ESRCH) error = 0;
      t.nice = nice;
    }
  }
  return error;
}

// ---- policies ----

/** What sched_setattr and its older forms ask for (struct sched_attr, policy SETPARAM_POLICY to keep it). */
interface SchedAttr {
  policy: number;
  flags: number;
  nice: number;
  priority: number;
  runtime: bigint;
  deadline: bigint;
  period: bigint;
}

/** __checkparam_dl: a deadline, a runtime of at least 1024 ns, runtime <= deadline <= period within [100 us, 2^22 us]. */
function dlParamsOkay(at: SchedAttr): boolean {
  if (at.deadline === 0n || at.runtime < 1024n || at.deadline >= 1n << 63n || at.period >= 1n << 63n) return false;
  const period = at.period || at.deadline;
  return period >= at.deadline && at.deadline >= at.runtime && period >= 100_000n && period <= 4_194_304_000n;
}

/** __sched_setscheduler of task t by the caller p (a user request): the kernel's checks in its order, then the change. */
function setScheduler(p: LinuxProcess, t: LinuxProcess, at: SchedAttr): number {
  const s = t.sched;
  let policy = at.policy;
  let resetOnFork: boolean;
  if (policy < 0) {
    resetOnFork = s.resetOnFork;
    policy = s.policy;
  } else {
    resetOnFork = (at.flags & SCHED_FLAG_RESET_ON_FORK) !== 0;
    if (!validPolicy(policy)) return -EINVAL;
  }
  if (at.flags & ~SCHED_FLAG_ALL) return -EINVAL;
  if (at.priority > MAX_RT_PRIO - 1) return -EINVAL;
  if ((policy === SCHED_DEADLINE && !dlParamsOkay(at)) || rtPolicy(policy) !== (at.priority !== 0)) return -EINVAL;
  // user_check_sched_setscheduler: what needs CAP_SYS_NICE (the target's limits)
  const rtprio = t.rlimits[RLIMIT_RTPRIO].cur;
  const privileged =
    (fairPolicy(policy) && at.nice < t.nice && !niceReduction(t, at.nice)) ||
    (rtPolicy(policy) && ((policy !== s.policy && rtprio === 0n) || (at.priority > s.priority && BigInt(at.priority) > rtprio))) ||
    policy === SCHED_DEADLINE ||
    (s.policy === SCHED_IDLE && policy !== SCHED_IDLE && !niceReduction(t, t.nice)) ||
    !sameOwner(p, t) ||
    (s.resetOnFork && !resetOnFork);
  if (privileged && !capable(p, CAP_SYS_NICE)) return -EPERM;
  // uclamp_validate of a kernel without CONFIG_UCLAMP_TASK
  if (at.flags & SCHED_FLAG_UTIL_CLAMP) return -EOPNOTSUPP;
  t.sched = { policy, priority: rtPolicy(policy) ? at.priority : 0, resetOnFork, ioprio: s.ioprio };
  if (policy === SCHED_DEADLINE) t.sched.dl = { runtime: at.runtime, deadline: at.deadline, period: at.period || at.deadline };
  if (fairPolicy(policy)) {
    t.nice = at.nice;
    if (at.runtime !== 0n) t.sched.slice = Math.max(MSEC / 10, Math.min(100 * MSEC, Number(at.runtime)));
  }
  return 0;
}

/** Task p's parameters as get_params fills a struct sched_attr. */
function currentAttr(p: LinuxProcess): SchedAttr {
  const s = p.sched;
  const at: SchedAttr = { policy: s.policy, flags: s.resetOnFork ? SCHED_FLAG_RESET_ON_FORK : 0, nice: 0, priority: 0, runtime: 0n, deadline: 0n, period: 0n };
  if (s.dl) Object.assign(at, s.dl);
  else if (rtPolicy(s.policy)) at.priority = s.priority;
  else Object.assign(at, { nice: p.nice, runtime: BigInt(s.slice ?? BASE_SLICE_NS) });
  return at;
}

/** do_sched_setscheduler's order: a null pointer or negative pid EINVAL, then EFAULT for the struct sched_param, then ESRCH; the task is changed with that priority. */
function setWithParam(p: LinuxProcess, pid: number, param: number, attr: (t: LinuxProcess, priority: number) => SchedAttr): number {
  if (param === 0 || pid < 0) return -EINVAL;
  const priority = p.mem.read32(param) >>> 0;
  const t = taskOf(p, pid);
  return typeof t === 'number' ? t : setScheduler(p, t, attr(t, priority));
}

/** A policy request with target t's nice (the older calls carry none). */
const attrOf = (t: LinuxProcess, policy: number, flags: number, priority: number): SchedAttr => ({ policy, flags, nice: t.nice, priority, runtime: 0n, deadline: 0n, period: 0n });

/** sched_setparam(pid, param): the policy kept, its priority changed. */
export const sysSchedSetparam = (p: LinuxProcess, a: SyscallArgs): number => setWithParam(p, a[0] | 0, a[1], (t, priority) => attrOf(t, SETPARAM_POLICY, 0, priority));

/** sched_setscheduler(pid, policy, param): SCHED_RESET_ON_FORK or'ed into the policy sets the flag. */
export function sysSchedSetscheduler(p: LinuxProcess, a: SyscallArgs): number {
  const policy = a[1] | 0;
  if (policy < 0) return -EINVAL;
  const flags = policy & SCHED_RESET_ON_FORK ? SCHED_FLAG_RESET_ON_FORK : 0;
  return setWithParam(p, a[0] | 0, a[2], (t, priority) => attrOf(t, policy & ~SCHED_RESET_ON_FORK, flags, priority));
}

export function sysSchedGetscheduler(p: LinuxProcess, a: SyscallArgs): number {
  const t = taskOfPid(p, a[0] | 0);
  return typeof t === 'number' ? t : t.sched.policy | (t.sched.resetOnFork ? SCHED_RESET_ON_FORK : 0);
}

export function sysSchedGetparam(p: LinuxProcess, a: SyscallArgs): number {
  if (a[1] === 0 || (a[0] | 0) < 0) return -EINVAL;
  const t = taskOf(p, a[0] | 0);
  if (typeof t === 'number') return t;
  p.mem.write32(a[1], rtPolicy(t.sched.policy) ? t.sched.priority : 0);
  return 0;
}

/**
 * sched_setattr(pid, attr, flags): struct sched_attr of attr->size bytes (0: VER0; beyond the
 * kernel's size only zeros, else E2BIG with the kernel's size written back).
 */
export function sysSchedSetattr(p: LinuxProcess, a: SyscallArgs): number {
  const pid = a[0] | 0;
  if (a[1] === 0 || pid < 0 || a[2] !== 0) return -EINVAL;
  let size = p.mem.read32(a[1]);
  const tooBig = (): number => {
    p.mem.write32(a[1], SCHED_ATTR_SIZE);
    return -E2BIG;
  };
  if (size > PAGE_SIZE) return tooBig();
  if (size === 0) size = SCHED_ATTR_SIZE_VER0;
  if (size < SCHED_ATTR_SIZE_VER0) return tooBig();
  const raw = new Uint8Array(Math.max(size, SCHED_ATTR_SIZE));
  raw.set(p.mem.readBytes(a[1], size));
  if (raw.subarray(SCHED_ATTR_SIZE, size).some((b) => b !== 0)) return tooBig();
  const v = new DataView(raw.buffer);
  const at: SchedAttr = {
    // a flag above bit 31 is unknown as bit 31 is
    policy: v.getInt32(4, true), flags: v.getUint32(8, true) | (v.getUint32(12, true) ? 0x80000000 : 0),
    nice: clampNice(v.getInt32(16, true)), priority: v.getUint32(20, true),
    runtime: v.getBigUint64(24, true), deadline: v.getBigUint64(32, true), period: v.getBigUint64(40, true),
  };
  if (at.flags & SCHED_FLAG_UTIL_CLAMP && size < SCHED_ATTR_SIZE) return -EINVAL;
  if (at.policy < 0) return -EINVAL;
  if (at.flags & SCHED_FLAG_KEEP_POLICY) at.policy = SETPARAM_POLICY;
  const t = taskOf(p, pid);
  if (typeof t === 'number') return t;
  if (at.flags & SCHED_FLAG_KEEP_PARAMS) Object.assign(at, { ...currentAttr(t), policy: at.policy, flags: at.flags });
  return setScheduler(p, t, at);
}

/** sched_getattr(pid, attr, size, flags): min(size, the kernel's) bytes, zeros up to size. */
export function sysSchedGetattr(p: LinuxProcess, a: SyscallArgs): number {
  const pid = a[0] | 0;
  const usize = a[2] >>> 0;
  if (a[1] === 0 || pid < 0 || usize > PAGE_SIZE || usize < SCHED_ATTR_SIZE_VER0 || a[3] !== 0) return -EINVAL;
  const t = taskOf(p, pid);
  if (typeof t === 'number') return t;
  const at = currentAttr(t);
  const out = new Uint8Array(Math.max(usize, SCHED_ATTR_SIZE));
  const v = new DataView(out.buffer);
  v.setUint32(0, Math.min(usize, SCHED_ATTR_SIZE), true);
  v.setUint32(4, at.policy, true);
  v.setUint32(8, at.flags & SCHED_FLAG_ALL, true);
  v.setInt32(16, at.nice, true);
  v.setUint32(20, at.priority, true);
  v.setBigUint64(24, at.runtime, true);
  v.setBigUint64(32, at.deadline, true);
  v.setBigUint64(40, at.period, true);
  p.mem.writeBytes(a[1], out.subarray(0, usize));
  return 0;
}

/** sched_rr_get_interval(pid, ts): RR's 100 ms, FIFO's and DEADLINE's 0, a fair task's slice in whole jiffies. */
function rrInterval(p: LinuxProcess): number {
  const s = p.sched;
  if (s.policy === SCHED_RR) return RR_TIMESLICE_NS;
  if (!fairPolicy(s.policy)) return 0;
  return Math.floor((s.slice ?? BASE_SLICE_NS) / NSEC_PER_JIFFY) * NSEC_PER_JIFFY;
}
function rrGetInterval(p: LinuxProcess, a: SyscallArgs, fieldBytes: 4 | 8): number {
  const t = taskOfPid(p, a[0] | 0);
  if (typeof t === 'number') return t;
  const ns = rrInterval(t);
  const out = new Uint8Array(2 * fieldBytes);
  const v = new DataView(out.buffer);
  const [sec, nsec] = [Math.floor(ns / 1e9), ns % 1e9];
  if (fieldBytes === 8) {
    v.setBigInt64(0, BigInt(sec), true);
    v.setBigInt64(8, BigInt(nsec), true);
  } else {
    v.setInt32(0, sec, true);
    v.setInt32(4, nsec, true);
  }
  p.mem.writeBytes(a[1], out);
  return 0;
}
/** struct timespec of the ABI: two longs (i386 4 bytes, x86-64 8). */
export const sysSchedRrGetInterval = (p: LinuxProcess, a: SyscallArgs): number => rrGetInterval(p, a, p.abi === 'x86_64' ? 8 : 4);
export const sysSchedRrGetIntervalTime64 = (p: LinuxProcess, a: SyscallArgs): number => rrGetInterval(p, a, 8);

export function sysSchedGetPriorityMax(_p: LinuxProcess, a: SyscallArgs): number {
  if (rtPolicy(a[0])) return MAX_RT_PRIO - 1;
  return fairPolicy(a[0]) || a[0] === SCHED_DEADLINE ? 0 : -EINVAL;
}
export function sysSchedGetPriorityMin(_p: LinuxProcess, a: SyscallArgs): number {
  if (rtPolicy(a[0])) return 1;
  return fairPolicy(a[0]) || a[0] === SCHED_DEADLINE ? 0 : -EINVAL;
}

// ---- the CPU ----

/** cpumask_size(): the bytes of the kernel's CPU masks, NR_CPUS bits (the host's kernel_max + 1) in whole longs. */
const CPUMASK_BYTES = (() => {
  try {
    return Math.ceil((Number(readFileSync('/sys/devices/system/cpu/kernel_max', 'utf8')) + 1) / 64) * 8;
  } catch {
    return 8;
  }
})();

/**
 * sched_getaffinity(pid, len, mask): one CPU, cpu 0, the one the guests run on. len must hold
 * the online CPUs' bits and be whole longs of the ABI (compat_ulong_t on i386); then ESRCH; the
 * answer is the bytes written, min(len, cpumask_size()).
 */
export function sysSchedGetaffinity(p: LinuxProcess, a: SyscallArgs): number {
  const len = a[1] >>> 0;
  if (len === 0 || len % (p.abi === 'x86_64' ? 8 : 4)) return -EINVAL;
  const t = taskOf(p, a[0] | 0);
  if (typeof t === 'number') return t;
  const out = new Uint8Array(Math.min(len, CPUMASK_BYTES));
  out[0] = 1;
  p.mem.writeBytes(a[2], out);
  return out.length;
}
/**
 * sched_setaffinity(pid, len, mask): the mask is read first (min(len, cpumask_size()) bytes,
 * EFAULT; a shorter one is cleared past len), then ESRCH, another owner's task EPERM without
 * CAP_SYS_NICE, and the mask must allow the one CPU, cpu 0 (EINVAL otherwise, as Linux answers
 * a mask of no online CPU).
 */
export function sysSchedSetaffinity(p: LinuxProcess, a: SyscallArgs): number {
  const len = Math.min(a[1] >>> 0, CPUMASK_BYTES);
  const mask = len ? p.mem.readBytes(a[2], len) : new Uint8Array(1);
  const t = taskOf(p, a[0] | 0);
  if (typeof t === 'number') return t;
  if (!sameOwner(p, t) && !capable(p, CAP_SYS_NICE)) return -EPERM;
  return mask[0] & 1 ? 0 : -EINVAL;
}
