/**
 * adjtimex and clock_adjtime(64): the NTP state of the clock, read only. A guest may read it
 * (modes 0, or adjtime's read-only ADJ_OFFSET_SS_READ), as any process may: the host kernel's
 * state (offset, frequency, errors, status, constant, tick, TAI offset: read by perl with the
 * same read-only modes), with the time field the guest's own CLOCK_REALTIME. A set never
 * reaches the host (dbtlab holds CAP_SYS_TIME: a set would discipline the real machine's
 * clock), as time-set.ts: timekeeping_validate_timex's checks come in the kernel's order
 * (EINVAL for a bad adjtime mode, tick, offset to inject or frequency; EPERM without
 * CAP_SYS_TIME), and where the kernel would then change the clock the guest gets EPERM.
 * clock_adjtime reads the structure first (EFAULT), then the clock: CLOCK_REALTIME adjusts,
 * the other clocks have no clock_adj (EOPNOTSUPP), unused ids and the dynamic fd clocks (no
 * guest file is a PTP clock) are EINVAL.
 */
import { capable, CAP_SYS_TIME } from '../capabilities';
import { EINVAL, ENOSYS, EOPNOTSUPP, EPERM } from '../errno';
import { HOST_NR, hostCall } from '../host-call';
import type { LinuxProcess } from '../process';
import type { SyscallArgs } from '../syscall-args';
import { CLOCKS } from './time';

const ADJ_FREQUENCY = 0x0002;
const ADJ_SETOFFSET = 0x0100;
const ADJ_NANO = 0x2000;
const ADJ_TICK = 0x4000;
/** adjtime's mode (the kernel's ADJ_ADJTIME), with its single shot and read-only bits. */
const ADJ_ADJTIME = 0x8000;
const ADJ_OFFSET_SINGLESHOT = 0x0001;
const ADJ_OFFSET_READONLY = 0x2000;
const STA_NANO = 0x2000;
/** USER_HZ 100: ADJ_TICK's bounds (the quartz off by at most 10%). */
const TICK_MIN = 900_000 / 100;
const TICK_MAX = 1_100_000 / 100;
/** PPM_SCALE: ADJ_FREQUENCY's bound is LLONG_MAX / PPM_SCALE either way (a 64-bit kernel). */
const FREQ_MAX = ((1n << 63n) - 1n) / 65_536_000n;
const CLOCK_REALTIME = 0;
/** The clock ids with a k_clock (1-9 and 11; 10 is unused): no clock_adj but CLOCK_REALTIME's. */
const CLOCK_TAI = 11;
const CLOCK_UNUSED = 10;
const CLOCKFD = 3;

/**
 * struct __kernel_timex's fields after modes (the x86-64 and time64 layout: offset, freq,
 * maxerror, esterror, status, constant, precision, tolerance, time.tv_sec, time.tv_usec,
 * tick, ppsfreq, jitter, shift, stabil, jitcnt, calcnt, errcnt, stbcnt, tai): offset and
 * size. The compat old_timex32 holds the same fields as 32-bit words from offset 4.
 */
const FIELDS: ReadonlyArray<readonly [number, 4 | 8]> = [
  [8, 8], [16, 8], [24, 8], [32, 8], [40, 4], [48, 8], [56, 8], [64, 8], [72, 8], [80, 8],
  [88, 8], [96, 8], [104, 8], [112, 4], [120, 8], [128, 8], [136, 8], [144, 8], [152, 8], [160, 4],
];
const [F_FREQ, F_STATUS, F_SEC, F_USEC, F_TICK, F_TAI] = [1, 4, 8, 9, 10, 19];
const WIDE_SIZE = 208;
const COMPAT_SIZE = 128;

/** The guest's struct timex: its modes and fields (sign-extended from the compat words), and its bytes. */
interface Timex {
  modes: number;
  fields: bigint[];
  raw: Uint8Array;
}

function readTimex(p: LinuxProcess, addr: number, wide: boolean): Timex {
  const raw = p.mem.readBytes(addr, wide ? WIDE_SIZE : COMPAT_SIZE);
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const fields = FIELDS.map(([off, size], i) => (wide ? (size === 8 ? v.getBigInt64(off, true) : BigInt(v.getInt32(off, true))) : BigInt(v.getInt32(4 + 4 * i, true))));
  return { modes: v.getUint32(0, true), fields, raw };
}

/** timekeeping_validate_timex: 0, or the errno of a request the kernel refuses before any change. */
function validate(p: LinuxProcess, tx: Timex): number {
  const { modes, fields } = tx;
  const mayChange = capable(p, CAP_SYS_TIME);
  if (modes & ADJ_ADJTIME) {
    if (!(modes & ADJ_OFFSET_SINGLESHOT)) return -EINVAL;
    if (!(modes & ADJ_OFFSET_READONLY) && !mayChange) return -EPERM;
  } else {
    if (modes && !mayChange) return -EPERM;
    if (modes & ADJ_TICK && (fields[F_TICK] < TICK_MIN || fields[F_TICK] > TICK_MAX)) return -EINVAL;
  }
  if (modes & ADJ_SETOFFSET) {
    if (!mayChange) return -EPERM;
    if (fields[F_USEC] < 0n || fields[F_USEC] >= (modes & ADJ_NANO ? 1_000_000_000n : 1_000_000n)) return -EINVAL;
  }
  if (modes & ADJ_FREQUENCY && (fields[F_FREQ] > FREQ_MAX || fields[F_FREQ] < -FREQ_MAX)) return -EINVAL;
  return 0;
}

/** The host's answer to a read (adjtimex with modes 0 or ADJ_OFFSET_SS_READ): the clock state and the 208-byte struct. */
function hostRead(modes: number): { state: number; tx: DataView } | number {
  const nr = HOST_NR[process.arch]?.adjtimex;
  if (nr === undefined) return -ENOSYS;
  const r = hostCall('my $b = pack("L", $ARGV[1]) . ("\\0" x 204); my $r = syscall($ARGV[0], $b); exit($! + 0) if $r < 0; print unpack("H*", pack("l", $r) . $b);', [`${nr}`, `${modes}`]);
  if (typeof r === 'number') return r;
  const v = new DataView(r.buffer, r.byteOffset, r.byteLength);
  return { state: v.getInt32(0, true), tx: new DataView(r.buffer, r.byteOffset + 4, WIDE_SIZE) };
}

/** The host's TAI - UTC offset in seconds (the tai field; 0 where the host cannot be asked). */
export function hostTaiOffsetSeconds(): number {
  const host = hostRead(0);
  return typeof host === 'number' ? 0 : host.tx.getInt32(FIELDS[F_TAI][0], true);
}

/** do_adjtimex for the guest: the state (TIME_OK..TIME_ERROR) with the structure filled, or -errno (refused sets: EPERM). */
function adjtimex(p: LinuxProcess, addr: number, tx: Timex, wide: boolean): number {
  const err = validate(p, tx);
  if (err) return err;
  const { modes } = tx;
  const read = modes === 0 || (modes & ADJ_ADJTIME && modes & ADJ_OFFSET_READONLY && !(modes & ADJ_SETOFFSET));
  // a set the kernel would make now: refused, the host's clock left alone (see above)
  if (!read) return -EPERM;
  const host = hostRead(modes & (ADJ_ADJTIME | ADJ_OFFSET_READONLY | ADJ_OFFSET_SINGLESHOT));
  if (typeof host === 'number') return host;
  const fields = FIELDS.map(([off, size]) => (size === 8 ? host.tx.getBigInt64(off, true) : BigInt(host.tx.getInt32(off, true))));
  const now = CLOCKS[CLOCK_REALTIME].now(p);
  fields[F_SEC] = now / 1_000_000_000n;
  fields[F_USEC] = (now % 1_000_000_000n) / (fields[F_STATUS] & BigInt(STA_NANO) ? 1n : 1000n);
  // the wide struct goes back as it came, its fields replaced; the compat one is built anew (put_old_timex32)
  const out = wide ? tx.raw.slice() : new Uint8Array(COMPAT_SIZE);
  const v = new DataView(out.buffer);
  v.setUint32(0, modes, true);
  FIELDS.forEach(([off, size], i) => {
    if (!wide) v.setInt32(4 + 4 * i, Number(BigInt.asIntN(32, fields[i])), true);
    else if (size === 8) v.setBigInt64(off, fields[i], true);
    else v.setInt32(off, Number(fields[i]), true);
  });
  p.mem.writeBytes(addr, out);
  return host.state;
}

/** adjtimex(buf): i386's struct is old_timex32, x86-64's __kernel_timex. */
export function sysAdjtimex(p: LinuxProcess, a: SyscallArgs): number {
  const wide = p.abi === 'x86_64';
  return adjtimex(p, a[0], readTimex(p, a[0], wide), wide);
}

function clockAdjtime(p: LinuxProcess, a: SyscallArgs, wide: boolean): number {
  const tx = readTimex(p, a[1], wide);
  const clock = a[0] | 0;
  if (clock === CLOCK_REALTIME) return adjtimex(p, a[1], tx, wide);
  if (clock < 0) return (clock & 7) === CLOCKFD ? -EINVAL : -EOPNOTSUPP;
  return clock <= CLOCK_TAI && clock !== CLOCK_UNUSED ? -EOPNOTSUPP : -EINVAL;
}
/** clock_adjtime(clock, tx): i386's old_timex32 (x86-64's __kernel_timex). */
export const sysClockAdjtime = (p: LinuxProcess, a: SyscallArgs): number => clockAdjtime(p, a, p.abi === 'x86_64');
/** clock_adjtime64 (i386): __kernel_timex. */
export const sysClockAdjtime64 = (p: LinuxProcess, a: SyscallArgs): number => clockAdjtime(p, a, true);
