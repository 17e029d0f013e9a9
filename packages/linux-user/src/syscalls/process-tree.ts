/**
 * Signals and identities across the process tree: kill to any guest process (kill(0) the
 * caller's group, kill(-1) every other process, kill(-pgid) a group; a process's signal goes
 * to its first thread that does not block it), tkill/tgkill to one thread (an exited process
 * its parent has not reaped accepts any of them, and nothing happens), and
 * process groups and sessions (setpgid, getpgid, getpgrp, setsid, getsid). The first guest
 * starts in dbtlab's own group and session; a process outside a GuestTree only knows itself.
 */
import { readFileSync } from 'node:fs';
import { EINVAL, EPERM, ESRCH } from '../errno';
import type { LinuxProcess } from '../process';
import type { SigInfo } from '../signal-frame';
import { defaultAction, NSIG, SI_TKILL, SI_USER, SIG_DFL, sigBit, SIGCONT, SIGKILL } from '../signal';
import { capable, CAP_KILL } from '../capabilities';
import type { SyscallArgs } from '../syscall-args';

const hostStat = (field: number): number => Number(readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ')[field]);
/** The process group and session of `q`: its own once it set them, else dbtlab's. */
export const pgidOf = (q: LinuxProcess): number => q.pgid ?? hostStat(2);
export const sidOf = (q: LinuxProcess): number => q.sid ?? hostStat(3);

/** Every live thread. */
function threads(p: LinuxProcess): LinuxProcess[] {
  return p.tree ? p.tree.processes.filter((q) => q.threadGroup.has(q)) : [p];
}

/** One live thread per process (its first). */
function processes(p: LinuxProcess): LinuxProcess[] {
  return threads(p).filter((q) => [...q.threadGroup][0] === q);
}

/** Processes that exited and that their parent has not reaped: the task still exists, so a signal to it succeeds and does nothing (Linux). */
function zombies(p: LinuxProcess): LinuxProcess[] {
  return p.tree ? p.tree.processes.filter((q) => q.zombie !== undefined && q.parent?.children.has(q) === true) : [];
}

/** What a signal can be sent to: every live process and every unreaped zombie. */
const signalable = (p: LinuxProcess): LinuxProcess[] => [...processes(p), ...zombies(p)];
/** The same by thread: every live thread and every unreaped zombie. */
export const signalableThreads = (p: LinuxProcess): LinuxProcess[] => [...threads(p), ...zombies(p)];

/**
 * The tasks a priority call names (getpriority/setpriority, ioprio_get/ioprio_set, the sched_*
 * calls): a task by its id (find_task_by_vpid: a thread by its tid, a process by its leader's,
 * an unreaped zombie too; 0 the caller), a process group's threads (0 the caller's group), a
 * real uid's threads. Only guests are found: the guest tree is its own pid namespace, so a pid
 * outside it (the host's processes, dbtlab's parent) is not there, as a sandboxed process's
 * find_task_by_vpid does not see them, and a host process of the uid does not count.
 */
export function tasksNamed(p: LinuxProcess, kind: 'task' | 'pgrp' | 'uid', who: number): LinuxProcess[] {
  if (kind === 'task' && who === 0) return [p];
  const pgid = kind === 'pgrp' && who === 0 ? pgidOf(p) : who;
  return signalableThreads(p).filter((t) => (kind === 'task' ? t.tid === who : kind === 'pgrp' ? pgidOf(t) === pgid : t.ids.uid === who >>> 0));
}

/** The thread a signal sent to q's process goes to: the first that does not block it. */
const receiver = (q: LinuxProcess, sig: number): LinuxProcess => (sig === 0 ? q : ([...q.threadGroup].find((t) => !(t.signals.blocked & sigBit(sig))) ?? q));

/**
 * A signal to q's process (complete_signal): the first thread that does not block it takes
 * it; one that kills (SIGKILL, or a default action term/core) goes to every thread that does
 * not block it, as Linux ends the whole group at once: whichever thread runs first ends the
 * process, even when the one that would take it sits blocked in a call.
 */
export function signalProcess(q: LinuxProcess, sig: number, info: SigInfo): void {
  if (q.zombie !== undefined) return;
  const r = receiver(q, sig);
  const bit = sigBit(sig);
  const dfl = defaultAction(sig);
  const fatal = sig === SIGKILL || (!(r.signals.blocked & bit) && r.signals.actions[sig].handler === SIG_DFL && (dfl === 'term' || dfl === 'core'));
  for (const t of fatal ? [...q.threadGroup].filter((u) => !(u.signals.blocked & bit)) : [r]) t.queueSignal(sig, info);
}

/** The processes kill(pid) reaches from p: pid's, all but p's (-1), p's group (0), group -pid. */
export function killTargets(p: LinuxProcess, pid: number): LinuxProcess[] {
  const all = signalable(p);
  if (pid > 0) return all.filter((q) => q.pid === pid);
  if (pid === -1) return all.filter((q) => q.pid !== p.pid);
  const group = pid === 0 ? pgidOf(p) : -pid;
  return all.filter((q) => pgidOf(q) === group);
}

/**
 * Whether p may send `sig` to q (check_kill_permission, kill_ok_by_cred): the sender's real or
 * effective uid is the target's real or saved one, or CAP_KILL; SIGCONT also within the session.
 */
export function mayKill(p: LinuxProcess, q: LinuxProcess, sig: number): boolean {
  if (sig === SIGCONT && sidOf(q) === sidOf(p)) return true;
  const [s, t] = [p.ids, q.ids];
  return s.euid === t.suid || s.euid === t.uid || s.uid === t.suid || s.uid === t.uid || capable(p, CAP_KILL);
}

/**
 * Sends `sig` from p to each of `to` (threads, or with `deliver` their processes) it may signal
 * (mayKill); -ESRCH when there are none, -EPERM when it may signal none of them (kill(-1):
 * `everyone`, 0, as kill_something_info counts only other errors).
 */
function send(p: LinuxProcess, to: LinuxProcess[], sig: number, code: number, deliver = (q: LinuxProcess, info: SigInfo): void => void (q.zombie === undefined && q.queueSignal(sig, info)), everyone = false): number {
  if (sig > NSIG) return -EINVAL;
  if (to.length === 0) return -ESRCH;
  const allowed = to.filter((q) => mayKill(p, q, sig));
  if (sig !== 0) for (const q of allowed) deliver(q, { code, pid: p.pid, uid: p.ids.uid });
  return allowed.length > 0 || everyone ? 0 : -EPERM;
}

export function sysKill(p: LinuxProcess, a: SyscallArgs): number {
  const sig = a[1];
  return send(p, sig > NSIG ? [] : killTargets(p, a[0] | 0), sig, SI_USER, (q, info) => signalProcess(q, sig, info), (a[0] | 0) === -1);
}

/** tkill(tid, sig): one thread. */
export function sysTkill(p: LinuxProcess, a: SyscallArgs): number {
  if ((a[0] | 0) <= 0) return -EINVAL;
  return send(p, signalableThreads(p).filter((q) => q.tid === (a[0] | 0)), a[1], SI_TKILL);
}

/** tgkill(tgid, tid, sig): one thread, of that process. */
export function sysTgkill(p: LinuxProcess, a: SyscallArgs): number {
  if ((a[0] | 0) <= 0 || (a[1] | 0) <= 0) return -EINVAL;
  return send(p, signalableThreads(p).filter((q) => q.tid === (a[1] | 0) && q.pid === (a[0] | 0)), a[2], SI_TKILL);
}

const byPid = (p: LinuxProcess, pid: number): LinuxProcess | undefined => (pid === 0 ? p : processes(p).find((q) => q.pid === pid));

/** The thread `tid` of process `pid` (any thread when tid is undefined) a signal can be sent to: a live one, or the process's unreaped zombie. */
export const signalableThread = (p: LinuxProcess, pid: number, tid?: number): LinuxProcess | undefined =>
  tid === undefined ? signalable(p).find((q) => q.pid === pid) : signalableThreads(p).find((q) => q.pid === pid && q.tid === tid);

/** setpgid(pid, pgid): the caller or a child of it, into a group of its session. */
export function sysSetpgid(p: LinuxProcess, a: SyscallArgs): number {
  const pid = a[0] | 0;
  const pgid = a[1] | 0;
  if (pgid < 0) return -EINVAL;
  const q = byPid(p, pid);
  if (!q || (q !== p && q.parent !== p)) return -ESRCH;
  if (sidOf(q) === q.pid || sidOf(q) !== sidOf(p)) return -EPERM;
  const group = pgid === 0 ? q.pid : pgid;
  if (group !== q.pid && group !== pgidOf(q) && !processes(p).some((r) => pgidOf(r) === group && sidOf(r) === sidOf(p))) return -EPERM;
  q.forThreads((t) => (t.pgid = group));
  return 0;
}

export function sysGetpgid(p: LinuxProcess, a: SyscallArgs): number {
  const q = byPid(p, a[0] | 0);
  return q ? pgidOf(q) : -ESRCH;
}
export const sysGetpgrp = (p: LinuxProcess): number => pgidOf(p);

export function sysSetsid(p: LinuxProcess): number {
  if (processes(p).some((q) => pgidOf(q) === p.pid)) return -EPERM;
  p.forThreads((t) => (t.sid = t.pgid = p.pid));
  return p.pid;
}

export function sysGetsid(p: LinuxProcess, a: SyscallArgs): number {
  const q = byPid(p, a[0] | 0);
  return q ? sidOf(q) : -ESRCH;
}
