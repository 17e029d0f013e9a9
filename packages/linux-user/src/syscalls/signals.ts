/**
 * Signal system calls: rt_sigaction, rt_sigprocmask, sigaltstack, kill/tkill/tgkill to the
 * process itself, sigreturn and rt_sigreturn. Pending signals are delivered by the
 * dispatcher on the way out of every system call.
 */
import { R_ESP } from '@dbtlab/x86-frontend';
import { EINTR, EINVAL, ESRCH } from '../errno';
import { GuestDeadlock } from '../guest-deadlock';
import type { LinuxProcess } from '../process';
import { NSIG, SIG_BLOCK, SIG_SETMASK, SIG_UNBLOCK, SIGKILL, SIGSTOP, SI_TKILL, SI_USER, SS_AUTODISARM, UNBLOCKABLE } from '../signal';
import { NO_RESULT } from '../syscall-result';

const SIGSET_SIZE = 8;
/** struct sigaction as rt_sigaction takes it on i386: handler, flags, restorer, mask (64 bits). */
const KSIGACTION_SIZE = 20;

const readSigset = (p: LinuxProcess, addr: number): bigint => {
  const raw = p.mem.readBytes(addr, SIGSET_SIZE);
  return new DataView(raw.buffer).getBigUint64(0, true);
};
const encodeSigset = (set: bigint): Uint8Array => {
  const out = new Uint8Array(SIGSET_SIZE);
  new DataView(out.buffer).setBigUint64(0, set, true);
  return out;
};

/** rt_sigaction(sig, act, oact, sigsetsize) */
export function sysRtSigaction(p: LinuxProcess, a: Uint32Array): number {
  const sig = a[0];
  if (a[3] !== SIGSET_SIZE || sig < 1 || sig > NSIG) return -EINVAL;
  let next;
  if (a[1] !== 0) {
    if (sig === SIGKILL || sig === SIGSTOP) return -EINVAL;
    const raw = p.mem.readBytes(a[1], KSIGACTION_SIZE);
    const v = new DataView(raw.buffer);
    next = { handler: v.getUint32(0, true), flags: v.getUint32(4, true), restorer: v.getUint32(8, true), mask: v.getBigUint64(12, true) & ~UNBLOCKABLE };
  }
  if (a[2] !== 0) {
    const cur = p.signals.actions[sig];
    const out = new Uint8Array(KSIGACTION_SIZE);
    const v = new DataView(out.buffer);
    v.setUint32(0, cur.handler, true);
    v.setUint32(4, cur.flags, true);
    v.setUint32(8, cur.restorer, true);
    v.setBigUint64(12, cur.mask, true);
    p.mem.writeBytes(a[2], out);
  }
  if (next) p.signals.actions[sig] = next;
  return 0;
}

/** rt_sigprocmask(how, set, oset, sigsetsize) */
export function sysRtSigprocmask(p: LinuxProcess, a: Uint32Array): number {
  if (a[3] !== SIGSET_SIZE) return -EINVAL;
  const old = p.signals.blocked;
  let next = old;
  if (a[1] !== 0) {
    const set = readSigset(p, a[1]);
    if (a[0] === SIG_BLOCK) next = old | set;
    else if (a[0] === SIG_UNBLOCK) next = old & ~set;
    else if (a[0] === SIG_SETMASK) next = set;
    else return -EINVAL;
  }
  if (a[2] !== 0) p.mem.writeBytes(a[2], encodeSigset(old));
  p.signals.blocked = next & ~UNBLOCKABLE;
  return 0;
}

/** rt_sigpending(set, sigsetsize): the pending signals that are blocked. */
export function sysRtSigpending(p: LinuxProcess, a: Uint32Array): number {
  if (a[1] > SIGSET_SIZE) return -EINVAL;
  p.mem.writeBytes(a[0], encodeSigset(p.signals.pending & p.signals.blocked).subarray(0, a[1]));
  return 0;
}

/**
 * Waits for a signal with `mask` blocked meanwhile: returns -EINTR once a handler is to run.
 * Nothing else can send one to a single-threaded guest, so with none deliverable it would
 * wait forever (GuestDeadlock).
 */
function suspendWith(p: LinuxProcess, mask: bigint): number {
  const old = p.signals.blocked;
  p.signals.blocked = mask & ~UNBLOCKABLE;
  if (p.signals.nextDeliverable() === 0) {
    p.signals.blocked = old;
    throw new GuestDeadlock('waiting for a signal with none pending');
  }
  p.signals.savedMask = old;
  return -EINTR;
}

/** rt_sigsuspend(mask, sigsetsize) */
export function sysRtSigsuspend(p: LinuxProcess, a: Uint32Array): number {
  if (a[1] !== SIGSET_SIZE) return -EINVAL;
  return suspendWith(p, readSigset(p, a[0]));
}
export const sysPause = (p: LinuxProcess): number => suspendWith(p, p.signals.blocked);

/** sigaltstack(const stack_t *ss, stack_t *oss): stack_t is {ss_sp, ss_flags, ss_size}. */
export function sysSigaltstack(p: LinuxProcess, a: Uint32Array): number {
  const sp = p.cpu.reg(R_ESP);
  const old = p.signals.altStack;
  if (a[0] !== 0) {
    const raw = p.mem.readBytes(a[0], 12);
    const v = new DataView(raw.buffer);
    const err = p.signals.setAltStack({ sp: v.getUint32(0, true), flags: v.getInt32(4, true), size: v.getUint32(8, true) }, sp);
    if (err < 0) return err;
  }
  if (a[1] !== 0) {
    const out = new Uint8Array(12);
    const v = new DataView(out.buffer);
    v.setUint32(0, old.sp, true);
    v.setInt32(4, p.signals.altStackFlags(sp) | (old.flags & SS_AUTODISARM), true);
    v.setUint32(8, old.size, true);
    p.mem.writeBytes(a[1], out);
  }
  return 0;
}

/** A signal the process sends itself; other processes are out of the guest's reach (ESRCH). */
function sendToSelf(p: LinuxProcess, sig: number, code: number): number {
  if (sig > NSIG) return -EINVAL;
  if (sig !== 0) p.queueSignal(sig, code);
  return 0;
}

export function sysKill(p: LinuxProcess, a: Uint32Array): number {
  const pid = a[0] | 0;
  if (pid !== p.pid && pid !== 0 && pid !== -1 && pid !== -p.pid) return -ESRCH;
  return sendToSelf(p, a[1], SI_USER);
}
export function sysTkill(p: LinuxProcess, a: Uint32Array): number {
  if ((a[0] | 0) <= 0) return -EINVAL;
  return (a[0] | 0) === p.pid ? sendToSelf(p, a[1], SI_TKILL) : -ESRCH;
}
export function sysTgkill(p: LinuxProcess, a: Uint32Array): number {
  if ((a[0] | 0) <= 0 || (a[1] | 0) <= 0) return -EINVAL;
  return (a[0] | 0) === p.pid && (a[1] | 0) === p.pid ? sendToSelf(p, a[2], SI_TKILL) : -ESRCH;
}

/** sigreturn and rt_sigreturn leave every register as the frame had it, eax included. */
export function sysSigreturn(p: LinuxProcess): number {
  p.sigreturn(false);
  return NO_RESULT;
}
export function sysRtSigreturn(p: LinuxProcess): number {
  p.sigreturn(true);
  return NO_RESULT;
}

