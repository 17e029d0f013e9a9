/**
 * The calls that set the system clock: settimeofday, clock_settime(64) and stime. dbtlab runs as
 * root with CAP_SYS_TIME, so a set passed on would change the real machine's clock for every
 * process on it: the host's clock is never changed. Every check the kernel makes before the
 * change is made here in its order (EFAULT; EINVAL for a timeval, timespec or clock that cannot
 * be set; EPERM for a caller without CAP_SYS_TIME; then the timezone's range); where the kernel
 * would then set the clock or the timezone, the guest gets EPERM, as a process without
 * CAP_SYS_TIME does: the one answer a real kernel gives that changes nothing. A privileged
 * guest's settimeofday(NULL, NULL), which sets nothing, succeeds. CLOCK_REALTIME is the only
 * clock with a clock_set (the CPU-time clocks 2 and 3 have none; the encoded ones of
 * clock_getcpuclockid and the dynamic fd clocks, EPERM and the fd's answer natively, are EINVAL).
 */
import { capable, CAP_SYS_TIME } from '../capabilities';
import { EINVAL, EPERM } from '../errno';
import type { LinuxProcess } from '../process';
import type { SyscallArgs } from '../syscall-args';
import { readTimespec } from './time';

const NS = 1_000_000_000n;
const CLOCK_REALTIME = 0;
/** KTIME_SEC_MAX less 30 years of uptime: the latest time timespec64_valid_settod accepts. */
const TIME_SETTOD_SEC_MAX = 8_277_292_036n;
const MINUTES_WEST_MAX = 15 * 60;

/** do_sys_settimeofday64 with an optional time and timezone (minutes west). */
function setTimeOfDay(p: LinuxProcess, tv: { sec: bigint; nsec: bigint } | undefined, minutesWest: number | undefined): number {
  if (tv && (tv.sec < 0n || tv.nsec < 0n || tv.nsec >= NS || tv.sec >= TIME_SETTOD_SEC_MAX)) return -EINVAL;
  if (!capable(p, CAP_SYS_TIME)) return -EPERM;
  if (minutesWest !== undefined && Math.abs(minutesWest) > MINUTES_WEST_MAX) return -EINVAL;
  // the host's clock and timezone stay as they are (see above)
  return tv === undefined && minutesWest === undefined ? 0 : -EPERM;
}

/** settimeofday(tv, tz): struct timeval of longs (4 bytes for i386, 8 for x86-64), struct timezone. */
export function sysSettimeofday(p: LinuxProcess, a: SyscallArgs): number {
  let tv: { sec: bigint; nsec: bigint } | undefined;
  if (a[0] !== 0) {
    const wide = p.abi === 'x86_64';
    const v = new DataView(p.mem.readBytes(a[0], wide ? 16 : 8).buffer);
    const sec = wide ? v.getBigInt64(0, true) : BigInt(v.getInt32(0, true));
    const usec = wide ? v.getBigInt64(8, true) : BigInt(v.getInt32(4, true));
    if (usec > 1_000_000n || usec < 0n) return -EINVAL;
    tv = { sec, nsec: usec * 1000n };
  }
  const minutesWest = a[1] === 0 ? undefined : new DataView(p.mem.readBytes(a[1], 8).buffer).getInt32(0, true);
  return setTimeOfDay(p, tv, minutesWest);
}

/** clock_settime(clock, tp): a clock without clock_set is EINVAL before tp is read. */
function clockSettime(p: LinuxProcess, a: SyscallArgs, wide: boolean): number {
  if ((a[0] | 0) !== CLOCK_REALTIME) return -EINVAL;
  const ns = readTimespec(p, a[1], wide);
  if (typeof ns === 'number') return ns;
  return setTimeOfDay(p, { sec: ns / NS, nsec: ns % NS }, undefined);
}
export const sysClockSettime = (p: LinuxProcess, a: SyscallArgs): number => clockSettime(p, a, false);
export const sysClockSettime64 = (p: LinuxProcess, a: SyscallArgs): number => clockSettime(p, a, true);

/** stime(tptr) (i386): the 32-bit time is read, then CAP_SYS_TIME; the set itself is refused as above. */
export function sysStime(p: LinuxProcess, a: SyscallArgs): number {
  p.mem.read32(a[0]);
  return -EPERM;
}
