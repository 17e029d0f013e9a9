/**
 * ioprio_get/ioprio_set: a task's I/O priority (io_context->ioprio: 16 bits, the class in bits
 * 13-15, the level in 0-2, a hint between), kept and reported as block/ioprio.c does. A task
 * that never set one, or set class none, reports 0 as a process; as a member of a group or of
 * a user's tasks it counts with the priority its I/O would get (the class its policy gives,
 * the level (nice + 20) / 5), and the best (lowest) value of the members is the answer. A
 * child inherits a priority of a class (copy_io, sched.ts forkSched). dbtlab's own I/O does not
 * read it. The tasks found are the guests' (process-tree.ts tasksNamed).
 */
import { capable, CAP_SYS_ADMIN, CAP_SYS_NICE } from '../capabilities';
import { EINVAL, EPERM, ESRCH } from '../errno';
import type { LinuxProcess } from '../process';
import type { SyscallArgs } from '../syscall-args';
import { tasksNamed } from './process-tree';
import { rtPolicy, SCHED_DEADLINE, SCHED_IDLE } from './sched';

const IOPRIO_WHO_PROCESS = 1;
const IOPRIO_WHO_PGRP = 2;
const IOPRIO_WHO_USER = 3;
const IOPRIO_CLASS_NONE = 0;
const IOPRIO_CLASS_RT = 1;
const IOPRIO_CLASS_BE = 2;
const IOPRIO_CLASS_IDLE = 3;
const IOPRIO_CLASS_SHIFT = 13;

const classOf = (ioprio: number): number => (ioprio >>> IOPRIO_CLASS_SHIFT) & 7;
const levelOf = (ioprio: number): number => ioprio & 7;

/** ioprio_check_cap: the class known, no level in class none, CAP_SYS_NICE or CAP_SYS_ADMIN for real time. */
function checkCap(p: LinuxProcess, ioprio: number): number {
  switch (classOf(ioprio)) {
    case IOPRIO_CLASS_RT:
      return capable(p, CAP_SYS_NICE) || capable(p, CAP_SYS_ADMIN) ? 0 : -EPERM;
    case IOPRIO_CLASS_BE:
    case IOPRIO_CLASS_IDLE:
      return 0;
    case IOPRIO_CLASS_NONE:
      return levelOf(ioprio) ? -EINVAL : 0;
    default:
      return -EINVAL;
  }
}

/**
 * The tasks `which`/`who` names (find_task_by_vpid, a process group's threads, a real uid's
 * threads), or -errno. IOPRIO_WHO_USER 0 is the caller's uid for ioprio_get but uid 0 for
 * ioprio_set (its loop compares make_kuid(who), not the current user's uid).
 */
function targets(p: LinuxProcess, which: number, who: number, forSet: boolean): LinuxProcess[] | number {
  const named = (ts: LinuxProcess[]): LinuxProcess[] | number => (ts.length ? ts : -ESRCH);
  switch (which) {
    case IOPRIO_WHO_PROCESS:
      return named(tasksNamed(p, 'task', who));
    case IOPRIO_WHO_PGRP:
      return named(tasksNamed(p, 'pgrp', who));
    case IOPRIO_WHO_USER:
      return named(tasksNamed(p, 'uid', who === 0 && !forSet ? p.ids.uid : who));
    default:
      return -EINVAL;
  }
}

/** The priority a task's I/O gets (__get_task_ioprio): its own, or for class none its policy's class at its nice's level. */
function effective(q: LinuxProcess): number {
  const own = q.zombie === undefined ? q.sched.ioprio : 0;
  if (classOf(own) !== IOPRIO_CLASS_NONE) return own;
  const policy = q.sched.policy;
  const cls = policy === SCHED_IDLE ? IOPRIO_CLASS_IDLE : rtPolicy(policy) || policy === SCHED_DEADLINE ? IOPRIO_CLASS_RT : IOPRIO_CLASS_BE;
  return (cls << IOPRIO_CLASS_SHIFT) | Math.floor((q.nice + 20) / 5);
}

export function sysIoprioSet(p: LinuxProcess, a: SyscallArgs): number {
  const ioprio = a[2];
  const denied = checkCap(p, ioprio);
  if (denied) return denied;
  const ts = targets(p, a[0] | 0, a[1] | 0, true);
  if (typeof ts === 'number') return ts;
  for (const t of ts) {
    // set_task_ioprio: the target's real uid is the caller's real or effective one, or CAP_SYS_NICE
    if (t.ids.uid !== p.ids.euid && t.ids.uid !== p.ids.uid && !capable(p, CAP_SYS_NICE)) return -EPERM;
    // an exited task has no I/O context left to set
    if (t.zombie === undefined) t.sched.ioprio = ioprio & 0xffff;
  }
  return 0;
}

export function sysIoprioGet(p: LinuxProcess, a: SyscallArgs): number {
  const which = a[0] | 0;
  const ts = targets(p, which, a[1] | 0, false);
  if (typeof ts === 'number') return ts;
  // a process reports what it set (0 for class none, or once it exited)
  if (which === IOPRIO_WHO_PROCESS) return ts[0].zombie === undefined ? ts[0].sched.ioprio : 0;
  return Math.min(...ts.map(effective));
}
