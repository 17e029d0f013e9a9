/**
 * timerfd_create, timerfd_settime(64), timerfd_gettime(64): a timer on the process's
 * TimerTable whose expirations are counted instead of signalled; read returns the count
 * (blocking until the first), poll says POLLIN while it is non-zero. Under the virtual clock
 * a wait for it jumps the clock to the expiry, as every other wait does.
 */
import { capable, CAP_WAKE_ALARM } from '../capabilities';
import { anonOf, callerOf, installAnon, type AnonFile } from '../anon-file';
import { EAGAIN, EBADF, EINVAL, EPERM } from '../errno';
import { O_CLOEXEC, O_NONBLOCK, O_RDWR } from '../fd-table';
import type { LinuxProcess } from '../process';
import { POLLIN, POLLRDNORM, waitReady } from '../readiness';
import { SIGEV_SIGNAL, type GuestTimer } from '../timers';
import { arm, encodeItimerspec, readItimerspec, remaining } from './timers';
import type { SyscallArgs } from '../syscall-args';

const CLOCK_REALTIME = 0;
const CLOCK_MONOTONIC = 1;
const CLOCK_BOOTTIME = 7;
const CLOCK_REALTIME_ALARM = 8;
const CLOCK_BOOTTIME_ALARM = 9;
const TFD_TIMER_ABSTIME = 1;
const TFD_TIMER_CANCEL_ON_SET = 2;

export class TimerFd implements AnonFile {
  readonly name = '[timerfd]';
  ticks = 0n;
  readonly timer: GuestTimer;
  constructor(
    private readonly p: LinuxProcess,
    clock: number,
  ) {
    this.timer = { clock, deadline: 0n, interval: 0n, sig: 0, notify: SIGEV_SIGNAL, value: 0, overrun: 0, id: -1, expire: (n) => (this.ticks += BigInt(n)) };
    p.timers.fdTimers.add(this.timer);
  }

  read(len: number, nonblock: boolean): Uint8Array | number {
    if (len < 8) return -EINVAL;
    this.p.pollEvents();
    if (this.ticks === 0n) {
      if (nonblock) return -EAGAIN;
      const r = waitReady(callerOf(this.p), () => this.ticks > 0n, undefined, undefined, [], true);
      if (r < 0) return r;
    }
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, this.ticks, true);
    this.ticks = 0n;
    return out;
  }

  write(): number {
    return -EINVAL;
  }

  poll(): number {
    this.p.pollEvents();
    return this.ticks > 0n ? POLLIN | POLLRDNORM : 0;
  }

  release(): void {
    this.p.timers.fdTimers.delete(this.timer);
  }
}

export function sysTimerfdCreate(p: LinuxProcess, a: SyscallArgs): number {
  let clock = a[0];
  const flags = a[1];
  if (flags & ~(O_CLOEXEC | O_NONBLOCK)) return -EINVAL;
  if (clock === CLOCK_REALTIME_ALARM || clock === CLOCK_BOOTTIME_ALARM) {
    // CAP_WAKE_ALARM; the alarm clocks read as their plain ones
    if (!capable(p, CAP_WAKE_ALARM)) return -EPERM;
    clock = clock === CLOCK_REALTIME_ALARM ? CLOCK_REALTIME : CLOCK_BOOTTIME;
  } else if (clock !== CLOCK_REALTIME && clock !== CLOCK_MONOTONIC && clock !== CLOCK_BOOTTIME) return -EINVAL;
  return installAnon(p, new TimerFd(p, clock), O_RDWR | (flags & O_NONBLOCK), (flags & O_CLOEXEC) !== 0);
}

/** The timerfd behind `fd`, or -EBADF / -EINVAL (open but not a timerfd). */
function timerfd(p: LinuxProcess, fd: number): TimerFd | number {
  if (!p.fds.get(fd)) return -EBADF;
  return anonOf(p, fd, TimerFd) ?? -EINVAL;
}

/** timerfd_settime(fd, flags, new, old): setting the timer discards the expirations not yet read. */
function settime(p: LinuxProcess, a: SyscallArgs, wide: boolean): number {
  const spec = readItimerspec(p, a[2], wide);
  if (a[1] & ~(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET) || !spec) return -EINVAL;
  const t = timerfd(p, a[0] | 0);
  if (typeof t === 'number') return t;
  p.pollEvents();
  if (a[3] !== 0) p.mem.writeBytes(a[3], encodeItimerspec(t.timer.interval, remaining(p, t.timer), wide));
  t.ticks = 0n;
  arm(p, t.timer, spec[1], spec[0], (a[1] & TFD_TIMER_ABSTIME) !== 0);
  return 0;
}
export const sysTimerfdSettime = (p: LinuxProcess, a: SyscallArgs): number => settime(p, a, false);
export const sysTimerfdSettime64 = (p: LinuxProcess, a: SyscallArgs): number => settime(p, a, true);

function gettime(p: LinuxProcess, a: SyscallArgs, wide: boolean): number {
  const t = timerfd(p, a[0] | 0);
  if (typeof t === 'number') return t;
  p.pollEvents();
  p.mem.writeBytes(a[1], encodeItimerspec(t.timer.interval, remaining(p, t.timer), wide));
  return 0;
}
export const sysTimerfdGettime = (p: LinuxProcess, a: SyscallArgs): number => gettime(p, a, false);
export const sysTimerfdGettime64 = (p: LinuxProcess, a: SyscallArgs): number => gettime(p, a, true);
