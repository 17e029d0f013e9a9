/**
 * The process's timers: the three interval timers (setitimer/alarm: ITIMER_REAL raises
 * SIGALRM on the monotonic clock, ITIMER_VIRTUAL SIGVTALRM and ITIMER_PROF SIGPROF on the
 * process CPU clock), POSIX timers (timer_create) and timerfds (which count expirations
 * instead of raising a signal). Each keeps its deadline on its own
 * clock; `fireExpired` queues the signals of those that are due, as the kernel's hrtimer
 * callbacks do, and the engine asks `nextDeadline` when to look again.
 */
export const ITIMER_REAL = 0;
export const ITIMER_VIRTUAL = 1;
export const ITIMER_PROF = 2;

export const SIGEV_SIGNAL = 0;
export const SIGEV_NONE = 1;
export const SIGEV_THREAD_ID = 4;

export interface GuestTimer {
  /** clock id (CLOCK_MONOTONIC for ITIMER_REAL, CLOCK_PROCESS_CPUTIME_ID for the CPU ones) */
  clock: number;
  /** absolute expiry on `clock` in ns; 0n = disarmed */
  deadline: bigint;
  interval: bigint;
  sig: number;
  notify: number;
  /** sigev_value (POSIX timers) */
  value: number;
  /** expirations missed at the last expiry (timer_getoverrun, si_overrun) */
  overrun: number;
  /** POSIX timer id, or -1 for an interval timer */
  id: number;
  /** A timerfd's: takes the expirations (1 + overruns) instead of a signal. */
  expire?: (count: number) => void;
}

export interface TimerHost {
  now(clock: number): bigint;
  raise(t: GuestTimer): void;
}

export class TimerTable {
  /** ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF */
  readonly itimers: GuestTimer[];
  readonly posix = new Map<number, GuestTimer>();
  /** The timers of open timerfds. */
  readonly fdTimers = new Set<GuestTimer>();
  private nextId = 0;

  constructor() {
    const make = (clock: number, sig: number): GuestTimer => ({ clock, deadline: 0n, interval: 0n, sig, notify: SIGEV_SIGNAL, value: 0, overrun: 0, id: -1 });
    this.itimers = [make(1, 14), make(2, 26), make(2, 27)];
  }

  create(clock: number, sig: number, notify: number, value: number): number {
    const id = this.nextId++;
    this.posix.set(id, { clock, deadline: 0n, interval: 0n, sig, notify, value, overrun: 0, id });
    return id;
  }

  private *all(): Iterable<GuestTimer> {
    yield* this.itimers;
    yield* this.posix.values();
    yield* this.fdTimers;
  }

  /** Queues the signal of every timer that is due and rearms the periodic ones. */
  fireExpired(host: TimerHost): void {
    for (const t of this.all()) {
      if (t.deadline === 0n) continue;
      const now = host.now(t.clock);
      if (now < t.deadline) continue;
      let missed = 0;
      if (t.interval > 0n) {
        missed = Number((now - t.deadline) / t.interval);
        t.deadline += BigInt(missed + 1) * t.interval;
      } else t.deadline = 0n;
      t.overrun = missed;
      if (t.expire) t.expire(missed + 1);
      else if (t.notify !== SIGEV_NONE) host.raise(t);
    }
  }

  /** How long until the next armed timer is due, in ns (0n if one is due), or undefined. */
  nextDue(host: TimerHost): bigint | undefined {
    let best: bigint | undefined;
    for (const t of this.all()) {
      if (t.deadline === 0n || t.notify === SIGEV_NONE) continue;
      const left = t.deadline - host.now(t.clock);
      const d = left > 0n ? left : 0n;
      if (best === undefined || d < best) best = d;
    }
    return best;
  }
}
