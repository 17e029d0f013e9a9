/**
 * Signal system calls: rt_sigaction, rt_sigprocmask, rt_sigpending, rt_sigsuspend/pause,
 * rt_sigtimedwait, rt_(tg)sigqueueinfo, the old 32-bit-mask calls (sigaction, sigprocmask,
 * sigsuspend, sigpending, signal, sgetmask/ssetmask), sigaltstack, kill/tkill/tgkill to the
 * process itself, sigreturn and rt_sigreturn. Pending signals are delivered by the
 * dispatcher on the way out of every system call (and by the engine at TB boundaries).
 */
import { R_ESP } from '@dbtlab/x86-frontend';
import { EAGAIN, EINTR, EINVAL, EPERM, ESRCH } from '../errno';
import type { LinuxProcess } from '../process';
import { NSIG, SA_NODEFER, SA_RESETHAND, SIG_BLOCK, SIG_SETMASK, SIG_UNBLOCK, sigBit, SIGKILL, SIGSTOP, SI_TKILL, SI_USER, SS_AUTODISARM, UNBLOCKABLE } from '../signal';
import { encodeSiginfo, type SigInfo } from '../signal-frame';
import { decodeStack64, encodeStack64, STACK_T_64 } from '../signal-frame-x86_64';
import { mayKill, signalableThread, signalProcess } from './process-tree';
import { readTimespec } from './time';
import { NO_RESULT } from '../syscall-result';
import { wordAt, type SyscallArgs } from '../syscall-args';

const SIGSET_SIZE = 8;

const readSigset = (p: LinuxProcess, addr: number): bigint => {
  const raw = p.mem.readBytes(addr, SIGSET_SIZE);
  return new DataView(raw.buffer).getBigUint64(0, true);
};
const encodeSigset = (set: bigint): Uint8Array => {
  const out = new Uint8Array(SIGSET_SIZE);
  new DataView(out.buffer).setBigUint64(0, set, true);
  return out;
};

/**
 * rt_sigaction(sig, act, oact, sigsetsize). struct sigaction as the kernel takes it: handler,
 * flags, restorer, mask (64 bits); i386's words are 4 bytes (20 in all), x86-64's 8 (32).
 */
export function sysRtSigaction(p: LinuxProcess, a: SyscallArgs): number {
  const sig = a[0];
  const w = p.abi === 'x86_64' ? 8 : 4;
  const size = 3 * w + SIGSET_SIZE;
  const wr = (v: DataView, off: number, x: number): void => (w === 8 ? v.setBigUint64(off, BigInt(x), true) : v.setUint32(off, x, true));
  if (a[3] !== SIGSET_SIZE || sig < 1 || sig > NSIG) return -EINVAL;
  let next;
  if (a[1] !== 0) {
    if (sig === SIGKILL || sig === SIGSTOP) return -EINVAL;
    const raw = p.mem.readBytes(a[1], size);
    const v = new DataView(raw.buffer);
    // sa_flags is an unsigned long on x86-64; its high half has no meaning
    next = { handler: wordAt(v, 0, w), flags: v.getUint32(w, true), restorer: wordAt(v, 2 * w, w), mask: v.getBigUint64(3 * w, true) & ~UNBLOCKABLE };
  }
  if (a[2] !== 0) {
    const cur = p.signals.actions[sig];
    const out = new Uint8Array(size);
    const v = new DataView(out.buffer);
    wr(v, 0, cur.handler);
    wr(v, w, cur.flags >>> 0);
    wr(v, 2 * w, cur.restorer);
    v.setBigUint64(3 * w, cur.mask, true);
    p.mem.writeBytes(a[2], out);
  }
  if (next) p.signals.actions[sig] = next;
  return 0;
}

/** rt_sigprocmask(how, set, oset, sigsetsize) */
export function sysRtSigprocmask(p: LinuxProcess, a: SyscallArgs): number {
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
export function sysRtSigpending(p: LinuxProcess, a: SyscallArgs): number {
  if (a[1] > SIGSET_SIZE) return -EINVAL;
  p.mem.writeBytes(a[0], encodeSigset(p.signals.pending & p.signals.blocked).subarray(0, a[1]));
  return 0;
}

/**
 * Waits for a signal with `mask` blocked meanwhile (a timer, a signal from outside): returns
 * -EINTR once one that does something is pending; its handler's frame saves the mask from
 * before (restore_saved_sigmask). With nothing that could arrive: GuestDeadlock.
 */
function suspendWith(p: LinuxProcess, mask: bigint): number {
  const m = mask & ~UNBLOCKABLE;
  p.waitForSignal(m);
  p.signals.savedMask = p.signals.blocked;
  p.signals.blocked = m;
  return -EINTR;
}

/** rt_sigsuspend(mask, sigsetsize) */
export function sysRtSigsuspend(p: LinuxProcess, a: SyscallArgs): number {
  if (a[1] !== SIGSET_SIZE) return -EINVAL;
  return suspendWith(p, readSigset(p, a[0]));
}
export const sysPause = (p: LinuxProcess): number => suspendWith(p, p.signals.blocked);

/** The old 32-bit sigset calls change the low word of the mask only. */
const LOW_WORD = 0xffffffffn;

/** sigprocmask(how, old_sigset_t *set, old_sigset_t *oset) */
export function sysSigprocmask(p: LinuxProcess, a: SyscallArgs): number {
  const old = p.signals.blocked;
  let next = old;
  if (a[1] !== 0) {
    const set = BigInt(p.mem.read32(a[1]));
    if (a[0] === SIG_BLOCK) next = old | set;
    else if (a[0] === SIG_UNBLOCK) next = old & ~set;
    else if (a[0] === SIG_SETMASK) next = (old & ~LOW_WORD) | set;
    else return -EINVAL;
  }
  if (a[2] !== 0) p.mem.write32(a[2], Number(old & LOW_WORD));
  p.signals.blocked = next & ~UNBLOCKABLE;
  return 0;
}

/** sigaction(sig, const struct old_sigaction *act, *oact): {handler, mask (32 bits), flags, restorer}. */
export function sysSigaction(p: LinuxProcess, a: SyscallArgs): number {
  const sig = a[0];
  if (sig < 1 || sig > NSIG) return -EINVAL;
  let next;
  if (a[1] !== 0) {
    if (sig === SIGKILL || sig === SIGSTOP) return -EINVAL;
    const raw = p.mem.readBytes(a[1], 16);
    const v = new DataView(raw.buffer);
    next = { handler: v.getUint32(0, true), mask: BigInt(v.getUint32(4, true)) & ~UNBLOCKABLE, flags: v.getUint32(8, true), restorer: v.getUint32(12, true) };
  }
  if (a[2] !== 0) {
    const cur = p.signals.actions[sig];
    const out = new Uint8Array(16);
    const v = new DataView(out.buffer);
    v.setUint32(0, cur.handler, true);
    v.setUint32(4, Number(cur.mask & LOW_WORD), true);
    v.setUint32(8, cur.flags, true);
    v.setUint32(12, cur.restorer, true);
    p.mem.writeBytes(a[2], out);
  }
  if (next) p.signals.actions[sig] = next;
  return 0;
}

/** signal(sig, handler): SA_ONESHOT | SA_NOMASK semantics; returns the previous handler. */
export function sysSignal(p: LinuxProcess, a: SyscallArgs): number {
  const sig = a[0];
  if (sig < 1 || sig > NSIG || sig === SIGKILL || sig === SIGSTOP) return -EINVAL;
  const old = p.signals.actions[sig].handler;
  p.signals.actions[sig] = { handler: a[1], flags: SA_RESETHAND | SA_NODEFER, restorer: 0, mask: 0n };
  return old;
}

/** sigsuspend(history0, history1, old_sigset_t mask): the mask is the whole new mask. */
export const sysSigsuspend = (p: LinuxProcess, a: SyscallArgs): number => suspendWith(p, BigInt(a[2]));
export function sysSigpending(p: LinuxProcess, a: SyscallArgs): number {
  p.mem.write32(a[0], Number(p.signals.pending & p.signals.blocked & LOW_WORD));
  return 0;
}
export const sysSgetmask = (p: LinuxProcess): number => Number(p.signals.blocked & LOW_WORD) | 0;
export function sysSsetmask(p: LinuxProcess, a: SyscallArgs): number {
  const old = Number(p.signals.blocked & LOW_WORD) | 0;
  p.signals.blocked = ((p.signals.blocked & ~LOW_WORD) | BigInt(a[0])) & ~UNBLOCKABLE;
  return old;
}

/**
 * rt_sigtimedwait(set, info, timeout, sigsetsize): takes a pending signal of `set` (waiting for
 * one up to the timeout: -EAGAIN), or -EINTR when another signal's handler is to run first.
 */
function sigtimedwait(p: LinuxProcess, a: SyscallArgs, wide: boolean): number {
  if (a[3] !== SIGSET_SIZE) return -EINVAL;
  const set = readSigset(p, a[0]) & ~UNBLOCKABLE;
  let until: bigint | undefined;
  if (a[2] !== 0) {
    const ts = readTimespec(p, a[2], wide);
    if (typeof ts === 'number') return ts;
    until = p.callStart() + ts;
  }
  const inSet = (): bigint => p.signals.pending & set;
  p.waitFor(() => inSet() !== 0n || p.wakingSignal(p.signals.blocked | set), until);
  const ready = inSet();
  if (ready === 0n) return p.wakingSignal(p.signals.blocked | set) ? -EINTR : -EAGAIN;
  let sig = 1;
  while (!(ready & sigBit(sig))) sig++;
  const info = p.signals.dequeue(sig) ?? { code: SI_USER };
  if (a[1] !== 0) p.mem.writeBytes(a[1], encodeSiginfo(sig, info, p.abi === 'x86_64'));
  return sig;
}
export const sysRtSigtimedwait = (p: LinuxProcess, a: SyscallArgs): number => sigtimedwait(p, a, false);
export const sysRtSigtimedwait64 = (p: LinuxProcess, a: SyscallArgs): number => sigtimedwait(p, a, true);

/**
 * rt_sigqueueinfo(pid, sig, siginfo) and rt_tgsigqueueinfo(tgid, tid, sig, siginfo): the
 * sender's siginfo to a guest process (its thread `tid`). A code that claims the kernel or a
 * kill() sent it is EPERM unless the caller sends to itself.
 */
function sigqueue(p: LinuxProcess, pid: number, tid: number | undefined, sig: number, infoAddr: number): number {
  if (sig > NSIG) return -EINVAL;
  const { info } = readUserSiginfo(p, infoAddr);
  if ((info.code >= 0 || info.code === SI_TKILL) && pid !== p.pid) return -EPERM;
  const to = signalableThread(p, pid, tid);
  if (!to) return -ESRCH;
  if (!mayKill(p, to, sig)) return -EPERM;
  if (sig === 0 || to.zombie !== undefined) return 0;
  if (tid === undefined) signalProcess(to, sig, info);
  else to.queueSignal(sig, info);
  return 0;
}
/** A siginfo the caller wrote (its signo; code, and the union's pid, uid and value), as the kernel copies it from user memory. */
export function readUserSiginfo(p: LinuxProcess, addr: number): { signo: number; info: SigInfo } {
  const v = new DataView(p.mem.readBytes(addr, 32).buffer);
  // the union: pid, uid, value at 12, 16, 20 (i386) or 16, 20, 24 (x86-64)
  const [u, val, w] = p.abi === 'x86_64' ? [16, 24, 8] : [12, 20, 4];
  return { signo: v.getInt32(0, true), info: { code: v.getInt32(8, true), pid: v.getInt32(u, true), uid: v.getUint32(u + 4, true), value: wordAt(v, val, w) } };
}
export const sysRtSigqueueinfo = (p: LinuxProcess, a: SyscallArgs): number => sigqueue(p, a[0] | 0, undefined, a[1], a[2]);
export const sysRtTgsigqueueinfo = (p: LinuxProcess, a: SyscallArgs): number => sigqueue(p, a[0] | 0, a[1] | 0, a[2], a[3]);

/** sigaltstack(const stack_t *ss, stack_t *oss): stack_t is {ss_sp, ss_flags, ss_size} (12 bytes; x86-64's 24). */
export function sysSigaltstack(p: LinuxProcess, a: SyscallArgs): number {
  const wide = p.abi === 'x86_64';
  const sp = wide ? Number(p.cpu.reg64(R_ESP)) : p.cpu.reg(R_ESP);
  const old = p.signals.altStack;
  if (a[0] !== 0) {
    let ss;
    if (wide) ss = decodeStack64(p.mem.readBytes(a[0], STACK_T_64));
    else {
      const v = new DataView(p.mem.readBytes(a[0], 12).buffer);
      ss = { sp: v.getUint32(0, true), flags: v.getInt32(4, true), size: v.getUint32(8, true) };
    }
    const err = p.signals.setAltStack(ss, sp);
    if (err < 0) return err;
  }
  if (a[1] !== 0) {
    const report = { sp: old.sp, flags: p.signals.altStackFlags(sp) | (old.flags & SS_AUTODISARM), size: old.size };
    if (wide) p.mem.writeBytes(a[1], encodeStack64(report));
    else {
      const out = new Uint8Array(12);
      const v = new DataView(out.buffer);
      v.setUint32(0, report.sp, true);
      v.setInt32(4, report.flags, true);
      v.setUint32(8, report.size, true);
      p.mem.writeBytes(a[1], out);
    }
  }
  return 0;
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

