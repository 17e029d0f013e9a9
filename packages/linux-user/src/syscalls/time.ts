/**
 * Time system calls: clock_gettime(64), clock_getres(64), gettimeofday, time, nanosleep,
 * clock_nanosleep(64), sched_yield. Clocks come from the host (hrtime is CLOCK_MONOTONIC);
 * sleeping blocks the thread (host-sleep.ts), as the guest's only thread would block.
 */
import { EINVAL } from '../errno';
import { hostSleepMs } from '../host-sleep';
import type { LinuxProcess } from '../process';

const NS = 1_000_000_000n;
/** CLOCK_REALTIME = this offset + the monotonic clock (Date.now only has milliseconds). */
const realtimeOffsetNs = BigInt(Date.now()) * 1_000_000n - process.hrtime.bigint();

const CLOCK_REALTIME = 0;
const TIMER_ABSTIME = 1;

const cpuTimeNs = (): bigint => {
  const u = process.cpuUsage();
  return BigInt(u.user + u.system) * 1000n;
};

/** CLOCK_REALTIME at virtual time 0 (ProcessOptions.clock): 2020-01-01T00:00:00Z. */
const VIRTUAL_EPOCH_NS = 1_577_836_800n * NS;

/** The monotonic clock: the host's, or the process's virtual one (deterministic runs). */
const monotonic = (p: LinuxProcess): bigint => p.opts.clock?.() ?? process.hrtime.bigint();
const realtime = (p: LinuxProcess): bigint =>
  p.opts.clock ? VIRTUAL_EPOCH_NS + p.opts.clock() : realtimeOffsetNs + process.hrtime.bigint();
const cpuTime = (p: LinuxProcess): bigint => p.opts.clock?.() ?? cpuTimeNs();

/** Clock ids 0..7 (REALTIME, MONOTONIC, PROCESS_CPUTIME, THREAD_CPUTIME, MONOTONIC_RAW, REALTIME_COARSE, MONOTONIC_COARSE, BOOTTIME). */
const CLOCKS: ReadonlyArray<{ now: (p: LinuxProcess) => bigint; resNs: bigint }> = [
  { now: realtime, resNs: 1n },
  { now: monotonic, resNs: 1n },
  { now: cpuTime, resNs: 1n },
  { now: cpuTime, resNs: 1n },
  { now: monotonic, resNs: 1n },
  { now: realtime, resNs: 4_000_000n },
  { now: monotonic, resNs: 4_000_000n },
  { now: monotonic, resNs: 1n },
];

/** struct timespec (two 32-bit words) or __kernel_timespec (two 64-bit words). */
function encodeTimespec(ns: bigint, wide: boolean): Uint8Array {
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

function readTimespec(p: LinuxProcess, addr: number, wide: boolean): bigint | number {
  const raw = p.mem.readBytes(addr, wide ? 16 : 8);
  const v = new DataView(raw.buffer);
  const sec = wide ? v.getBigInt64(0, true) : BigInt(v.getInt32(0, true));
  const nsec = wide ? v.getBigInt64(8, true) : BigInt(v.getInt32(4, true));
  if (sec < 0n || nsec < 0n || nsec >= NS) return -EINVAL;
  return sec * NS + nsec;
}

function clockGettime(p: LinuxProcess, a: Uint32Array, wide: boolean): number {
  const clock = CLOCKS[a[0]];
  if (!clock) return -EINVAL;
  p.mem.writeBytes(a[1], encodeTimespec(clock.now(p), wide));
  return 0;
}
export const sysClockGettime = (p: LinuxProcess, a: Uint32Array): number => clockGettime(p, a, false);
export const sysClockGettime64 = (p: LinuxProcess, a: Uint32Array): number => clockGettime(p, a, true);

function clockGetres(p: LinuxProcess, a: Uint32Array, wide: boolean): number {
  const clock = CLOCKS[a[0]];
  if (!clock) return -EINVAL;
  if (a[1] !== 0) p.mem.writeBytes(a[1], encodeTimespec(clock.resNs, wide));
  return 0;
}
export const sysClockGetres = (p: LinuxProcess, a: Uint32Array): number => clockGetres(p, a, false);
export const sysClockGetres64 = (p: LinuxProcess, a: Uint32Array): number => clockGetres(p, a, true);

export function sysGettimeofday(p: LinuxProcess, a: Uint32Array): number {
  const ns = CLOCKS[CLOCK_REALTIME].now(p);
  if (a[0] !== 0) {
    const tv = new Uint8Array(8);
    new DataView(tv.buffer).setInt32(0, Number(ns / NS), true);
    new DataView(tv.buffer).setInt32(4, Number((ns % NS) / 1000n), true);
    p.mem.writeBytes(a[0], tv);
  }
  if (a[1] !== 0) p.mem.writeBytes(a[1], new Uint8Array(8)); // struct timezone: UTC, no DST
  return 0;
}

export function sysTime(p: LinuxProcess, a: Uint32Array): number {
  const sec = Number(CLOCKS[CLOCK_REALTIME].now(p) / NS);
  if (a[0] !== 0) p.mem.write32(a[0], sec);
  return sec;
}

function sleepNs(ns: bigint): void {
  if (ns > 0n) hostSleepMs(Number(ns) / 1e6);
}

/** nanosleep(req, rem): never interrupted (no asynchronous signals), so rem is left alone. */
export function sysNanosleep(p: LinuxProcess, a: Uint32Array): number {
  const req = readTimespec(p, a[0], false);
  if (typeof req === 'number') return req;
  sleepNs(req);
  return 0;
}

function clockNanosleep(p: LinuxProcess, a: Uint32Array, wide: boolean): number {
  const clock = CLOCKS[a[0]];
  if (!clock || a[0] === 3) return -EINVAL; // not on the thread CPU clock
  const req = readTimespec(p, a[2], wide);
  if (typeof req === 'number') return req;
  sleepNs(a[1] & TIMER_ABSTIME ? req - clock.now(p) : req);
  return 0;
}
export const sysClockNanosleep = (p: LinuxProcess, a: Uint32Array): number => clockNanosleep(p, a, false);
export const sysClockNanosleep64 = (p: LinuxProcess, a: Uint32Array): number => clockNanosleep(p, a, true);

export const sysSchedYield = (): number => 0;
