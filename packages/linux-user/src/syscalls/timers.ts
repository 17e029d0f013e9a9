/**
 * Timer system calls: alarm, setitimer/getitimer and the POSIX timers (timer_create,
 * timer_settime/gettime in both timespec widths, timer_getoverrun, timer_delete) on the
 * process's TimerTable. Expiry is checked by the engine at TB boundaries and by every wait.
 */
import { EINVAL } from '../errno';
import type { LinuxProcess } from '../process';
import { NSIG } from '../signal';
import { GuestTimer, ITIMER_PROF, ITIMER_REAL, SIGEV_NONE, SIGEV_SIGNAL, SIGEV_THREAD_ID } from '../timers';
import { CLOCKS, encodeTimespec, TIMER_ABSTIME } from './time';
import { wordAt, type SyscallArgs } from '../syscall-args';

const NS = 1_000_000_000n;
const US = 1000n;
const SIGALRM = 14;

export const remaining = (p: LinuxProcess, t: GuestTimer): bigint => {
  if (t.deadline === 0n) return 0n;
  const left = t.deadline - CLOCKS[t.clock].now(p);
  return left > 0n ? left : 1n; // due but not yet fired: the kernel reports the smallest value
};

export function arm(p: LinuxProcess, t: GuestTimer, value: bigint, interval: bigint, absolute: boolean): void {
  t.interval = interval;
  if (value === 0n) t.deadline = 0n;
  else t.deadline = absolute ? (value > 0n ? value : 1n) : CLOCKS[t.clock].now(p) + value;
}

// ---- interval timers (struct itimerval: two timevals of two longs: 4-byte words on i386, 8-byte on x86-64) ----

const longSize = (p: LinuxProcess): 4 | 8 => (p.abi === 'x86_64' ? 8 : 4);

function encodeItimerval(interval: bigint, value: bigint, w: 4 | 8): Uint8Array {
  const out = new Uint8Array(4 * w);
  const v = new DataView(out.buffer);
  const put = (off: number, x: bigint): void => (w === 8 ? v.setBigInt64(off, x, true) : v.setInt32(off, Number(x), true));
  [interval, value].forEach((ns, i) => {
    // timevals round up, so that a running timer never reads as stopped
    const us = (ns + US - 1n) / US;
    put(2 * w * i, us / 1_000_000n);
    put(2 * w * i + w, us % 1_000_000n);
  });
  return out;
}

function readTimeval(v: DataView, off: number, w: 4 | 8): bigint | undefined {
  const sec = w === 8 ? v.getBigInt64(off, true) : BigInt(v.getInt32(off, true));
  const usec = w === 8 ? v.getBigInt64(off + 8, true) : BigInt(v.getInt32(off + 4, true));
  if (sec < 0n || usec < 0n || usec >= 1_000_000n) return undefined;
  return sec * NS + usec * US;
}

export function sysGetitimer(p: LinuxProcess, a: SyscallArgs): number {
  if (a[0] > ITIMER_PROF) return -EINVAL;
  const t = p.timers.itimers[a[0]];
  p.mem.writeBytes(a[1], encodeItimerval(t.interval, remaining(p, t), longSize(p)));
  return 0;
}

export function sysSetitimer(p: LinuxProcess, a: SyscallArgs): number {
  if (a[0] > ITIMER_PROF) return -EINVAL;
  const t = p.timers.itimers[a[0]];
  const w = longSize(p);
  let next: [bigint, bigint] | undefined;
  if (a[1] !== 0) {
    const v = new DataView(p.mem.readBytes(a[1], 4 * w).buffer);
    const interval = readTimeval(v, 0, w);
    const value = readTimeval(v, 2 * w, w);
    if (interval === undefined || value === undefined) return -EINVAL;
    next = [value, interval];
  }
  if (a[2] !== 0) p.mem.writeBytes(a[2], encodeItimerval(t.interval, remaining(p, t), w));
  if (next) arm(p, t, next[0], next[1], false);
  return 0;
}

/** alarm(seconds): the seconds left on the previous alarm (rounded, at least 1 if one ran). */
export function sysAlarm(p: LinuxProcess, a: SyscallArgs): number {
  const t = p.timers.itimers[ITIMER_REAL];
  const left = remaining(p, t);
  let old = Number((left + NS / 2n) / NS);
  if (old === 0 && left > 0n) old = 1;
  arm(p, t, BigInt(a[0]) * NS, 0n, false);
  return old;
}

// ---- POSIX timers ----

/** timer_create(clockid, struct sigevent *, timer_t *) */
export function sysTimerCreate(p: LinuxProcess, a: SyscallArgs): number {
  const clock = a[0];
  if (!CLOCKS[clock]) return -EINVAL;
  let sig = SIGALRM;
  let notify = SIGEV_SIGNAL;
  let value: number | undefined;
  if (a[1] !== 0) {
    // struct sigevent: sigev_value (a pointer-sized union), sigev_signo, sigev_notify, then the tid
    const at = p.abi === 'x86_64' ? 8 : 4;
    const v = new DataView(p.mem.readBytes(a[1], at + 12).buffer);
    value = wordAt(v, 0, at);
    sig = v.getInt32(at, true);
    notify = v.getInt32(at + 4, true);
    if (notify === SIGEV_THREAD_ID) {
      if (v.getInt32(at + 8, true) !== p.pid) return -EINVAL;
      notify = SIGEV_SIGNAL;
    }
    if (notify !== SIGEV_SIGNAL && notify !== SIGEV_NONE) return -EINVAL;
    if (notify === SIGEV_SIGNAL && (sig < 1 || sig > NSIG)) return -EINVAL;
  }
  const id = p.timers.create(clock, sig, notify, 0);
  const t = p.timers.posix.get(id)!;
  t.value = value ?? id; // without a sigevent, si_value is the timer id
  try {
    p.mem.write32(a[2], id);
  } catch (e) {
    p.timers.posix.delete(id);
    throw e;
  }
  return 0;
}

/** struct itimerspec: interval then value, each a timespec (32- or 64-bit fields). */
export function encodeItimerspec(interval: bigint, value: bigint, wide: boolean): Uint8Array {
  const a = encodeTimespec(interval, wide);
  const b = encodeTimespec(value, wide);
  const out = new Uint8Array(a.length * 2);
  out.set(a);
  out.set(b, a.length);
  return out;
}

export function readItimerspec(p: LinuxProcess, addr: number, wide: boolean): [bigint, bigint] | undefined {
  const size = wide ? 16 : 8;
  const v = new DataView(p.mem.readBytes(addr, 2 * size).buffer);
  const ts = (off: number): bigint | undefined => {
    const sec = wide ? v.getBigInt64(off, true) : BigInt(v.getInt32(off, true));
    const nsec = wide ? v.getBigInt64(off + 8, true) : BigInt(v.getInt32(off + 4, true));
    return sec < 0n || nsec < 0n || nsec >= NS ? undefined : sec * NS + nsec;
  };
  const interval = ts(0);
  const value = ts(size);
  return interval === undefined || value === undefined ? undefined : [interval, value];
}

function timerSettime(p: LinuxProcess, a: SyscallArgs, wide: boolean): number {
  const t = p.timers.posix.get(a[0] | 0);
  if (!t) return -EINVAL;
  // unknown flag bits are ignored, as the kernel does
  const spec = readItimerspec(p, a[2], wide);
  if (!spec) return -EINVAL;
  if (a[3] !== 0) p.mem.writeBytes(a[3], encodeItimerspec(t.interval, remaining(p, t), wide));
  arm(p, t, spec[1], spec[0], (a[1] & TIMER_ABSTIME) !== 0);
  return 0;
}
export const sysTimerSettime = (p: LinuxProcess, a: SyscallArgs): number => timerSettime(p, a, false);
export const sysTimerSettime64 = (p: LinuxProcess, a: SyscallArgs): number => timerSettime(p, a, true);

function timerGettime(p: LinuxProcess, a: SyscallArgs, wide: boolean): number {
  const t = p.timers.posix.get(a[0] | 0);
  if (!t) return -EINVAL;
  p.mem.writeBytes(a[1], encodeItimerspec(t.interval, remaining(p, t), wide));
  return 0;
}
export const sysTimerGettime = (p: LinuxProcess, a: SyscallArgs): number => timerGettime(p, a, false);
export const sysTimerGettime64 = (p: LinuxProcess, a: SyscallArgs): number => timerGettime(p, a, true);

export function sysTimerGetoverrun(p: LinuxProcess, a: SyscallArgs): number {
  const t = p.timers.posix.get(a[0] | 0);
  return t ? t.overrun : -EINVAL;
}

export const sysTimerDelete = (p: LinuxProcess, a: SyscallArgs): number => (p.timers.posix.delete(a[0] | 0) ? 0 : -EINVAL);
