/**
 * Per-process signal state: the action of each signal (rt_sigaction), the blocked mask
 * (rt_sigprocmask), the pending set (kill/tgkill to itself), the alternate stack
 * (sigaltstack), and the default action table. Frames are built in signal-frame.ts.
 */
import { EINVAL, ENOMEM, EPERM } from './errno';
import type { SigInfo } from './signal-frame';
export const NSIG = 64;
export const SIGHUP = 1;
export const SIGINT = 2;
export const SIGQUIT = 3;
export const SIGILL = 4;
export const SIGTRAP = 5;
export const SIGABRT = 6;
export const SIGBUS = 7;
export const SIGFPE = 8;
export const SIGKILL = 9;
export const SIGUSR1 = 10;
export const SIGSEGV = 11;
export const SIGUSR2 = 12;
export const SIGPIPE = 13;
export const SIGALRM = 14;
export const SIGTERM = 15;
export const SIGCHLD = 17;
export const SIGCONT = 18;
export const SIGSTOP = 19;
export const SIGTSTP = 20;
export const SIGTTIN = 21;
export const SIGTTOU = 22;
export const SIGXFSZ = 25;
export const SIGWINCH = 28;
export const SIGRTMIN = 32;

export const SIG_DFL = 0;
export const SIG_IGN = 1;

export const SA_NOCLDSTOP = 0x1;
export const SA_SIGINFO = 0x4;
export const SA_NOCLDWAIT = 0x2;
export const SA_RESTORER = 0x04000000;
export const SA_ONSTACK = 0x08000000;
export const SA_RESTART = 0x10000000;
export const SA_NODEFER = 0x40000000;
export const SA_RESETHAND = 0x80000000;

export const SS_ONSTACK = 1;
export const SS_DISABLE = 2;
export const MINSIGSTKSZ = 2048;
export const SS_AUTODISARM = 1 << 31;

export const SIG_BLOCK = 0;
export const SIG_UNBLOCK = 1;
export const SIG_SETMASK = 2;

/** si_code values the kernel uses for signals sent by a process. */
export const SI_USER = 0;
export const SI_TKILL = -6;

/**
 * The siginfo of a signal sent to dbtlab from outside (a kill of dbtlab's pid): SI_USER;
 * si_pid 0, as Linux shows a sender outside the receiver's pid namespace, which the guests'
 * pid view is (Node gives no siginfo, so the sender's pid is unknown); si_uid dbtlab's real
 * uid, the guest's own at start (a sender without CAP_KILL must share dbtlab's uid).
 */
export const outsideSender = (): SigInfo => ({ code: SI_USER, pid: 0, uid: process.getuid?.() ?? 0 });

export type DefaultAction = 'term' | 'core' | 'ignore' | 'stop' | 'cont';

/** signal(7): the action SIG_DFL takes, and the name strace prints. */
export const SIGNALS: ReadonlyArray<{ nr: number; name: string; dfl: DefaultAction }> = [
  { nr: 1, name: 'SIGHUP', dfl: 'term' },
  { nr: 2, name: 'SIGINT', dfl: 'term' },
  { nr: 3, name: 'SIGQUIT', dfl: 'core' },
  { nr: 4, name: 'SIGILL', dfl: 'core' },
  { nr: 5, name: 'SIGTRAP', dfl: 'core' },
  { nr: 6, name: 'SIGABRT', dfl: 'core' },
  { nr: 7, name: 'SIGBUS', dfl: 'core' },
  { nr: 8, name: 'SIGFPE', dfl: 'core' },
  { nr: 9, name: 'SIGKILL', dfl: 'term' },
  { nr: 10, name: 'SIGUSR1', dfl: 'term' },
  { nr: 11, name: 'SIGSEGV', dfl: 'core' },
  { nr: 12, name: 'SIGUSR2', dfl: 'term' },
  { nr: 13, name: 'SIGPIPE', dfl: 'term' },
  { nr: 14, name: 'SIGALRM', dfl: 'term' },
  { nr: 15, name: 'SIGTERM', dfl: 'term' },
  { nr: 16, name: 'SIGSTKFLT', dfl: 'term' },
  { nr: 17, name: 'SIGCHLD', dfl: 'ignore' },
  { nr: 18, name: 'SIGCONT', dfl: 'cont' },
  { nr: 19, name: 'SIGSTOP', dfl: 'stop' },
  { nr: 20, name: 'SIGTSTP', dfl: 'stop' },
  { nr: 21, name: 'SIGTTIN', dfl: 'stop' },
  { nr: 22, name: 'SIGTTOU', dfl: 'stop' },
  { nr: 23, name: 'SIGURG', dfl: 'ignore' },
  { nr: 24, name: 'SIGXCPU', dfl: 'core' },
  { nr: 25, name: 'SIGXFSZ', dfl: 'core' },
  { nr: 26, name: 'SIGVTALRM', dfl: 'term' },
  { nr: 27, name: 'SIGPROF', dfl: 'term' },
  { nr: 28, name: 'SIGWINCH', dfl: 'ignore' },
  { nr: 29, name: 'SIGIO', dfl: 'term' },
  { nr: 30, name: 'SIGPWR', dfl: 'term' },
  { nr: 31, name: 'SIGSYS', dfl: 'core' },
];

/** The kernel's name; real-time signals as strace names them (SIGRTMIN = 32, SIGRT_n = 32 + n). */
export function signalName(sig: number): string {
  if (sig === 32) return 'SIGRTMIN';
  if (sig > 32 && sig <= NSIG) return `SIGRT_${sig - 32}`;
  return SIGNALS[sig - 1]?.name ?? `${sig}`;
}

/** Real-time signals (32..64) terminate by default. */
export function defaultAction(sig: number): DefaultAction {
  return SIGNALS[sig - 1]?.dfl ?? 'term';
}

export const sigBit = (sig: number): bigint => 1n << BigInt(sig - 1);
/** The signals whose default action stops the process (sig_kernel_stop). */
export const STOP_SIGNALS = sigBit(SIGSTOP) | sigBit(SIGTSTP) | sigBit(SIGTTIN) | sigBit(SIGTTOU);
/** SIGKILL and SIGSTOP can be neither caught nor blocked. */
export const UNBLOCKABLE = sigBit(SIGKILL) | sigBit(SIGSTOP);

export interface SigAction {
  handler: number;
  flags: number;
  restorer: number;
  mask: bigint;
}

export class SignalState {
  actions: SigAction[] = Array.from({ length: NSIG + 1 }, () => ({ handler: SIG_DFL, flags: 0, restorer: 0, mask: 0n }));
  blocked = 0n;
  /** rt_sigsuspend's saved_sigmask: the mask the next frame saves (and sigreturn restores). */
  savedMask: bigint | undefined;
  pending = 0n;
  /**
   * Sender info of each pending signal (si_code, pid, uid, value), in the order sent: one for
   * a standard signal (a second one sent while it is pending is lost), one per send for a
   * real-time signal (they queue: sigqueue's values all arrive, in order).
   */
  private readonly pendingInfo = new Map<number, SigInfo[]>();

  /** `sig` is sent with `info` (the caller has dropped a standard signal already pending). */
  enqueue(sig: number, info: SigInfo): void {
    this.pending |= sigBit(sig);
    const q = this.pendingInfo.get(sig);
    if (q) q.push(info);
    else this.pendingInfo.set(sig, [info]);
  }

  /** Takes the first pending `sig` (collect_signal): it stays pending while more are queued. */
  dequeue(sig: number): SigInfo | undefined {
    const q = this.pendingInfo.get(sig);
    const info = q?.shift();
    if (!q || q.length === 0) {
      this.pending &= ~sigBit(sig);
      this.pendingInfo.delete(sig);
    }
    return info;
  }

  /** How many signals are queued (each pending standard signal once, each real-time send): what counts against RLIMIT_SIGPENDING. */
  get queued(): number {
    let n = 0;
    for (const q of this.pendingInfo.values()) n += q.length;
    return n;
  }

  /** Discards every pending `sig`s (ignored, or a stop/continue cancelling the other). */
  flush(sigs: bigint): void {
    this.pending &= ~sigs;
    for (const sig of this.pendingInfo.keys()) if (sigs & sigBit(sig)) this.pendingInfo.delete(sig);
  }
  /**
   * sigaltstack as stored (t->sas_ss_*): the flags are the ones the guest gave; 0 in a new process
   * (execve clears them), SS_DISABLE in a new thread (sas_ss_reset). The rt frame's uc_stack shows
   * them as they are (a native frame of a fresh process: ss_flags 0), sigaltstack computes its answer.
   */
  altStack = { sp: 0, flags: 0, size: 0 };
  /**
   * The thread's last exception that raised a signal (thread.trap_nr, error_code, cr2): every
   * frame's sigcontext shows them, a kill()'s too; cr2 changes with page faults only.
   */
  lastTrap = { trapno: 0, err: 0, cr2: 0 };

  /** fork: the child keeps dispositions, mask, alternate stack and last trap; nothing is pending. */
  clone(): SignalState {
    const s = new SignalState();
    this.actions.forEach((a, i) => (s.actions[i] = { ...a }));
    s.blocked = this.blocked;
    s.altStack = { ...this.altStack };
    s.lastTrap = { ...this.lastTrap };
    return s;
  }

  /** A new thread: the dispositions are shared, the mask and last trap inherited; nothing pending, no alternate stack. */
  forThread(): SignalState {
    const s = new SignalState();
    s.actions = this.actions;
    s.blocked = this.blocked;
    s.lastTrap = { ...this.lastTrap };
    s.altStack = { sp: 0, flags: SS_DISABLE, size: 0 };
    return s;
  }

  /** execve: handled signals go back to SIG_DFL (ignored ones stay ignored); no alternate stack. */
  resetHandlers(): void {
    for (const a of this.actions) if (a.handler !== SIG_IGN && a.handler !== SIG_DFL) Object.assign(a, { handler: SIG_DFL, flags: 0, restorer: 0, mask: 0n });
    this.altStack = { sp: 0, flags: 0, size: 0 };
  }

  /** sas_ss_flags(): is `sp` on the alternate stack, or is there none. */
  altStackFlags(sp: number): number {
    if (this.altStack.size === 0) return SS_DISABLE;
    return sp > this.altStack.sp && sp - this.altStack.sp <= this.altStack.size ? SS_ONSTACK : 0;
  }

  /**
   * do_sigaltstack's "set" half, shared by sigaltstack and rt_sigreturn: 0 or -errno.
   * `sp` is the current stack pointer (no change while running on the alternate stack).
   */
  setAltStack(ss: { sp: number; flags: number; size: number }, sp: number): number {
    if (this.altStackFlags(sp) === SS_ONSTACK) return -EPERM;
    const mode = ss.flags & ~SS_AUTODISARM;
    if (mode !== 0 && mode !== SS_DISABLE && mode !== SS_ONSTACK) return -EINVAL;
    if (mode === SS_DISABLE) this.altStack = { sp: 0, flags: ss.flags, size: 0 };
    else if (ss.size < MINSIGSTKSZ) return -ENOMEM;
    else this.altStack = { ...ss };
    return 0;
  }

  /**
   * Does a pending, unblocked signal interrupt a sleeping system call (EINTR)? Only one that
   * runs a handler or kills; an ignored one (SIGCHLD by default) is discarded instead. One
   * that stops the process is left pending (stopsSleep): the call is restarted after SIGCONT.
   */
  interruptsSleep(): boolean {
    for (let sig = this.nextDeliverable(); sig !== 0; sig = this.nextDeliverable()) {
      const a = this.actions[sig];
      const dfl = defaultAction(sig);
      if (a.handler !== SIG_IGN && (a.handler !== SIG_DFL || dfl === 'term' || dfl === 'core')) return true;
      if (a.handler === SIG_DFL && dfl === 'stop') return false;
      this.flush(sigBit(sig));
    }
    return false;
  }

  /** Is the next signal to deliver one whose default action (taken) stops the process? */
  stopsSleep(): boolean {
    const sig = this.nextDeliverable();
    return sig !== 0 && this.actions[sig].handler === SIG_DFL && defaultAction(sig) === 'stop';
  }

  /** Lowest pending signal that is not blocked, or 0. */
  nextDeliverable(): number {
    const ready = this.pending & ~this.blocked;
    if (ready === 0n) return 0;
    for (let sig = 1; sig <= NSIG; sig++) if (ready & sigBit(sig)) return sig;
    return 0;
  }
}
