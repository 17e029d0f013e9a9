/**
 * pidfds: pidfd_open, pidfd_send_signal and waitid(P_PIDFD)'s descriptor (wait.ts). A pidfd
 * names one guest process (a thread with PIDFD_THREAD) by its number, which a run never gives
 * twice; it is readable (POLLIN) once that process is a zombie, and with POLLHUP too once it is
 * reaped (pidfd_poll); read and write are EINVAL. pidfd_getfd duplicates a descriptor of the
 * pidfd's process into the caller (close-on-exec), under ptrace_may_access's credential check.
 */
import { installAnon, type AnonFile } from '../anon-file';
import { capable, CAP_SYS_PTRACE } from '../capabilities';
import { EBADF, EINVAL, EPERM, ESRCH } from '../errno';
import { O_NONBLOCK, O_RDWR } from '../fd-table';
import type { LinuxProcess } from '../process';
import { guestOf } from '../proc-pid';
import { POLLHUP, POLLIN, POLLRDNORM } from '../readiness';
import { NSIG, SI_TKILL, SI_USER } from '../signal';
import type { SigInfo } from '../signal-frame';
import type { SyscallArgs } from '../syscall-args';
import { killTargets, signalProcess } from './process-tree';
import { readUserSiginfo } from './signals';

/** O_EXCL: the pidfd names a thread, not its process. */
const PIDFD_THREAD = 0o200;
const PIDFD_SIGNAL_THREAD = 1;
const PIDFD_SIGNAL_THREAD_GROUP = 2;
const PIDFD_SIGNAL_PROCESS_GROUP = 4;

export class PidFd implements AnonFile {
  readonly name = '[pidfd]';
  constructor(
    private readonly opener: LinuxProcess,
    readonly pid: number,
    readonly thread: boolean,
  ) {}

  /** The process (thread) now: live, a zombie not yet reaped, or undefined once gone. */
  target(): LinuxProcess | undefined {
    if (this.thread) return liveTid(this.opener, this.pid);
    const q = guestOf(this.opener, this.pid);
    return typeof q === 'object' ? q : undefined;
  }

  read(): number {
    return -EINVAL;
  }
  write(): number {
    return -EINVAL;
  }
  poll(): number {
    const q = this.target();
    return q === undefined ? POLLIN | POLLRDNORM | POLLHUP : q.zombie ? POLLIN | POLLRDNORM : 0;
  }
}

const liveTid = (p: LinuxProcess, tid: number): LinuxProcess | undefined => (p.tree?.processes ?? [p]).find((q) => q.tid === tid && q.threadGroup.has(q));

/** The pidfd behind `fd`, or -EBADF (pidfd_get_pid: any other file). */
export function pidfdOf(p: LinuxProcess, fd: number): PidFd | number {
  const obj = p.fds.get(fd)?.anon;
  return obj instanceof PidFd ? obj : -EBADF;
}

/** pidfd_open(pid, flags): PIDFD_NONBLOCK and PIDFD_THREAD; a thread's number without PIDFD_THREAD is EINVAL (pidfd_prepare). */
export function sysPidfdOpen(p: LinuxProcess, a: SyscallArgs): number {
  const pid = a[0] | 0;
  const flags = a[1];
  if (flags & ~(O_NONBLOCK | PIDFD_THREAD) || pid <= 0) return -EINVAL;
  const thread = (flags & PIDFD_THREAD) !== 0;
  const obj = new PidFd(p, pid, thread);
  if (obj.target() === undefined) return liveTid(p, pid) ? -EINVAL : -ESRCH;
  return installAnon(p, obj, O_RDWR | (flags & O_NONBLOCK), true);
}

/**
 * pidfd_send_signal(pidfd, sig, info, flags): to the process, its thread or its process group
 * (at most one PIDFD_SIGNAL_* flag; none: the pidfd's own kind). A siginfo of the caller's must
 * name `sig`, and one claiming the kernel or kill() as sender goes only to the caller itself
 * (EPERM); without one it is SI_USER (SI_TKILL to a thread) from the caller. A reaped process is
 * ESRCH; a zombie takes the signal and nothing happens.
 */
export function sysPidfdSendSignal(p: LinuxProcess, a: SyscallArgs): number {
  const [sig, infoAddr, flags] = [a[1], a[2], a[3]];
  if (flags & ~(PIDFD_SIGNAL_THREAD | PIDFD_SIGNAL_THREAD_GROUP | PIDFD_SIGNAL_PROCESS_GROUP) || flags & (flags - 1)) return -EINVAL;
  const pf = pidfdOf(p, a[0] | 0);
  if (typeof pf === 'number') return pf;
  const scope = flags === 0 ? (pf.thread ? PIDFD_SIGNAL_THREAD : PIDFD_SIGNAL_THREAD_GROUP) : flags;
  let info: SigInfo;
  if (infoAddr !== 0) {
    const user = readUserSiginfo(p, infoAddr);
    if (user.signo !== sig) return -EINVAL;
    if ((p.tid !== pf.pid || scope === PIDFD_SIGNAL_PROCESS_GROUP) && (user.info.code >= 0 || user.info.code === SI_TKILL)) return -EPERM;
    info = user.info;
  } else info = { code: scope === PIDFD_SIGNAL_THREAD ? SI_TKILL : SI_USER, pid: p.pid, uid: p.ids.uid };
  const q = pf.target();
  if (q === undefined) return -ESRCH;
  if (sig > NSIG) return -EINVAL;
  if (sig === 0 || q.zombie) return 0;
  if (scope === PIDFD_SIGNAL_THREAD) q.queueSignal(sig, info);
  else if (scope === PIDFD_SIGNAL_THREAD_GROUP) signalProcess(q, sig, info);
  else for (const r of killTargets(q, 0)) signalProcess(r, sig, info);
  return 0;
}

/**
 * __ptrace_may_access with PTRACE_MODE_ATTACH_REALCREDS: the caller's own process, or the
 * caller's real uid and gid equal to all of the target's (and a dumpable target), else
 * CAP_SYS_PTRACE. (No Yama: this kernel has none.)
 */
export function mayAttach(p: LinuxProcess, q: LinuxProcess): boolean {
  if (q.threadGroup === p.threadGroup) return true;
  if (capable(p, CAP_SYS_PTRACE)) return true;
  const [c, t] = [p.ids, q.ids];
  return c.uid === t.uid && c.uid === t.euid && c.uid === t.suid && c.gid === t.gid && c.gid === t.egid && c.gid === t.sgid && q.prctl.dumpable === 1;
}

/** pidfd_getfd(pidfd, targetfd, flags): the target's open file under a new close-on-exec descriptor of the caller. */
export function sysPidfdGetfd(p: LinuxProcess, a: SyscallArgs): number {
  if (a[2] !== 0) return -EINVAL;
  const pf = pidfdOf(p, a[0] | 0);
  if (typeof pf === 'number') return pf;
  const q = pf.target();
  // a zombie has closed its files (PF_EXITING): ESRCH, as for one reaped
  if (q === undefined || q.zombie) return -ESRCH;
  if (!mayAttach(p, q)) return -EPERM;
  const file = q.fds.get(a[1] | 0);
  return file ? p.fds.install(file, true) : -EBADF;
}
