/**
 * Time system calls: clock_gettime(64), clock_getres(64), gettimeofday, time, nanosleep,
 * clock_nanosleep(64), sched_yield. Clocks come from the host (hrtime is CLOCK_MONOTONIC) or
 * from the virtual clock; sleeping waits as LinuxProcess.waitForSignal does (a signal with a
 * handler ends it early with EINTR and the time left).
 */
import { EINTR, EINVAL, EOPNOTSUPP } from '../errno';
import type { LinuxProcess } from '../process';
import type { SyscallArgs } from '../syscall-args';
import { hostTaiOffsetSeconds } from './adjtimex';
import { tasksNamed } from './process-tree';
import { NSEC_PER_JIFFY } from './sched';

const NS = 1_000_000_000n;
/**
 * CLOCK_REALTIME = this offset + the monotonic clock (Date.now only has milliseconds). The two
 * clocks drift apart (NTP slews the wall clock, not the monotonic one): whenever the sum leaves
 * the millisecond Date.now reports, the offset is taken again.
 */
let realtimeOffsetNs = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();
/** The last CLOCK_REALTIME read: a new offset may not take the clock back (a slewed clock never goes back). */
let lastRealtimeNs = 0n;
function hostRealtimeNs(): bigint {
  const mono = process.hrtime.bigint();
  const wallMs = BigInt(Date.now()) * 1_000_000n;
  let rt = realtimeOffsetNs + mono;
  if (rt < wallMs || rt >= wallMs + 1_000_000n) {
    realtimeOffsetNs = wallMs - mono;
    rt = wallMs;
  }
  if (rt < lastRealtimeNs) rt = lastRealtimeNs;
  lastRealtimeNs = rt;
  return rt;
}

const CLOCK_REALTIME = 0;
export const TIMER_ABSTIME = 1;

const cpuTimeNs = (): bigint => {
  const u = process.cpuUsage();
  return BigInt(u.user + u.system) * 1000n;
};

/** CLOCK_REALTIME at virtual time 0 (ProcessOptions.clock): 2020-01-01T00:00:00Z. */
const VIRTUAL_EPOCH_NS = 1_577_836_800n * NS;

/** The monotonic clock: the host's, or the process's virtual one (deterministic runs). */
export const monotonic = (p: LinuxProcess): bigint => p.virtualNow() ?? process.hrtime.bigint();
const realtime = (p: LinuxProcess): bigint => {
  const v = p.virtualNow();
  return v !== undefined ? VIRTUAL_EPOCH_NS + v : hostRealtimeNs();
};
/** The guest's CPU time: the virtual clock, or dbtlab's own CPU time (translation included). */
export const cpuTime = (p: LinuxProcess): bigint => p.virtualNow() ?? cpuTimeNs();

type Clock = { now: (p: LinuxProcess) => bigint; resNs: bigint };
const CLOCK_TAI = 11;
/** A tick (TICK_NSEC): the resolution of the coarse clocks and the tick-based CPU clocks. */
const TICK_NS = BigInt(NSEC_PER_JIFFY);

/**
 * CLOCK_TAI - CLOCK_REALTIME: the host's TAI offset (adjtimex's tai), read once when a guest
 * first asks; 0 on the virtual clock, whose epoch is fixed.
 */
let hostTaiOffsetNs: bigint | undefined;
const tai = (p: LinuxProcess): bigint => {
  if (p.virtualNow() !== undefined) return realtime(p);
  hostTaiOffsetNs ??= BigInt(hostTaiOffsetSeconds()) * NS;
  return realtime(p) + hostTaiOffsetNs;
};

/**
 * Clock ids 0..11 (REALTIME, MONOTONIC, PROCESS_CPUTIME, THREAD_CPUTIME, MONOTONIC_RAW,
 * REALTIME_COARSE, MONOTONIC_COARSE, BOOTTIME, the two alarm clocks, which need an RTC this
 * host's kernel does not offer (EINVAL as natively), SGI_CYCLE (gone), TAI).
 */
export const CLOCKS: Readonly<Record<number, Clock>> = {
  0: { now: realtime, resNs: 1n },
  1: { now: monotonic, resNs: 1n },
  2: { now: cpuTime, resNs: 1n },
  3: { now: cpuTime, resNs: 1n },
  4: { now: monotonic, resNs: 1n },
  5: { now: realtime, resNs: TICK_NS },
  6: { now: monotonic, resNs: TICK_NS },
  7: { now: monotonic, resNs: 1n },
  [CLOCK_TAI]: { now: tai, resNs: 1n },
};

/**
 * A clock id as the kernel reads it (clockid_to_kclock): 0..11, or a CPU-time clock of a task
 * (make_process_cpuclock: ~pid << 3 | per-thread 4 | PROF 0, VIRT 1, SCHED 2; pid 0 the caller).
 * A thread's clock names a thread of the caller's own group, a process's a group leader; every
 * guest's CPU time is this Node.js process's (cpuTime). A dynamic (fd) clock (type 3): EINVAL,
 * dbtlab has no PTP devices. A task outside the guest tree is not found (process-tree.ts).
 */
export function clockOf(p: LinuxProcess, id: number): Clock | undefined {
  if (id >= 0) return CLOCKS[id];
  const which = id & 3;
  if (which === 3) return undefined;
  const pid = ~(id >> 3);
  const perThread = (id & 4) !== 0;
  if (pid !== 0) {
    const t = tasksNamed(p, 'task', pid)[0];
    if (!t || (perThread ? !p.threadGroup.has(t) : t.tid !== t.pid)) return undefined;
  }
  return { now: cpuTime, resNs: which === 2 ? 1n : TICK_NS };
}

/** struct timespec (two 32-bit words) or __kernel_timespec (two 64-bit words). */
export function encodeTimespec(ns: bigint, wide: boolean): Uint8Array {
  const out = new Uint8Array(wide ? 16 : 8);
  const v = new DataView(out.buffer);
  if (wide) {
    v.setBigInt64(0, ns / NS, true);
    v.setBigInt64(8, ns % NS, true);
  } else {
    v.setInt32(0, Number(ns / NS), true);
    v.setInt32(4, Number(ns % NS), true);
  }
  return out;
}

export function readTimespec(p: LinuxProcess, addr: number, wide: boolean): bigint | number {
  const raw = p.mem.readBytes(addr, wide ? 16 : 8);
  const v = new DataView(raw.buffer);
  const sec = wide ? v.getBigInt64(0, true) : BigInt(v.getInt32(0, true));
  // a 32-bit caller's __kernel_timespec: the padding above tv_nsec is not looked at (get_timespec64)
  const nsec = wide ? (p.abi === 'i386' ? BigInt(v.getUint32(8, true)) : v.getBigInt64(8, true)) : BigInt(v.getInt32(4, true));
  if (sec < 0n || nsec < 0n || nsec >= NS) return -EINVAL;
  return sec * NS + nsec;
}

function clockGettime(p: LinuxProcess, a: SyscallArgs, wide: boolean): number {
  const clock = clockOf(p, a[0] | 0);
  if (!clock) return -EINVAL;
  p.mem.writeBytes(a[1], encodeTimespec(clock.now(p), wide));
  return 0;
}
export const sysClockGettime = (p: LinuxProcess, a: SyscallArgs): number => clockGettime(p, a, false);
export const sysClockGettime64 = (p: LinuxProcess, a: SyscallArgs): number => clockGettime(p, a, true);

function clockGetres(p: LinuxProcess, a: SyscallArgs, wide: boolean): number {
  const clock = clockOf(p, a[0] | 0);
  if (!clock) return -EINVAL;
  if (a[1] !== 0) p.mem.writeBytes(a[1], encodeTimespec(clock.resNs, wide));
  return 0;
}
export const sysClockGetres = (p: LinuxProcess, a: SyscallArgs): number => clockGetres(p, a, false);
export const sysClockGetres64 = (p: LinuxProcess, a: SyscallArgs): number => clockGetres(p, a, true);

export function sysGettimeofday(p: LinuxProcess, a: SyscallArgs): number {
  const ns = CLOCKS[CLOCK_REALTIME].now(p);
  if (a[0] !== 0) {
    // struct timeval: two longs (4 bytes each for i386, 8 for x86-64)
    const wide = p.abi === 'x86_64';
    const tv = new Uint8Array(wide ? 16 : 8);
    const v = new DataView(tv.buffer);
    if (wide) {
      v.setBigInt64(0, ns / NS, true);
      v.setBigInt64(8, (ns % NS) / 1000n, true);
    } else {
      v.setInt32(0, Number(ns / NS), true);
      v.setInt32(4, Number((ns % NS) / 1000n), true);
    }
    p.mem.writeBytes(a[0], tv);
  }
  if (a[1] !== 0) p.mem.writeBytes(a[1], new Uint8Array(8)); // struct timezone: UTC, no DST
  return 0;
}

export function sysTime(p: LinuxProcess, a: SyscallArgs): number {
  const sec = Number(CLOCKS[CLOCK_REALTIME].now(p) / NS);
  if (a[0] !== 0) p.mem.writeBytes(a[0], new Uint8Array(new BigInt64Array([BigInt(sec)]).buffer).subarray(0, p.abi === 'x86_64' ? 8 : 4));
  return sec;
}

/**
 * Sleeps `ns` on the monotonic clock: 0, or -EINTR when a signal with a handler arrived
 * first (its remaining time written to `remAddr` when given).
 */
function sleepFor(p: LinuxProcess, ns: bigint, remAddr: number, wide: boolean): number {
  if (ns <= 0n) return 0;
  const until = p.callStart() + ns;
  if (!p.waitForSignal(p.signals.blocked, until)) return 0;
  if (remAddr !== 0) p.mem.writeBytes(remAddr, encodeTimespec(until > monotonic(p) ? until - monotonic(p) : 0n, wide));
  return -EINTR;
}

/** nanosleep(req, rem): i386's 32-bit timespec, x86-64's 64-bit one */
export function sysNanosleep(p: LinuxProcess, a: SyscallArgs): number {
  const wide = p.abi === 'x86_64';
  const req = readTimespec(p, a[0], wide);
  if (typeof req === 'number') return req;
  return sleepFor(p, req, a[1], wide);
}

function clockNanosleep(p: LinuxProcess, a: SyscallArgs, wide: boolean): number {
  const clock = CLOCKS[a[0]];
  if (!clock) return -EINVAL;
  if (a[0] === 3) return -EOPNOTSUPP; // the thread CPU clock has no nsleep
  const req = readTimespec(p, a[2], wide);
  if (typeof req === 'number') return req;
  // an absolute sleep is not restarted with a remainder
  return sleepFor(p, a[1] & TIMER_ABSTIME ? req - clock.now(p) : req, a[1] & TIMER_ABSTIME ? 0 : a[3], wide);
}
export const sysClockNanosleep = (p: LinuxProcess, a: SyscallArgs): number => clockNanosleep(p, a, false);
export const sysClockNanosleep64 = (p: LinuxProcess, a: SyscallArgs): number => clockNanosleep(p, a, true);

/** sched_yield: in a GuestTree the caller's time slice ends if another guest can run. */
/** getcpu: the guest runs on one simulated CPU, 0, of NUMA node 0 (the third argument is unused since Linux 2.6.24). */
export function sysGetcpu(p: LinuxProcess, a: SyscallArgs): number {
  if (a[0] !== 0) p.mem.write32(a[0], 0);
  if (a[1] !== 0) p.mem.write32(a[1], 0);
  return 0;
}

export function sysSchedYield(p: LinuxProcess): number {
  p.tree?.yield(p);
  return 0;
}
