/**
 * getsockopt and setsockopt: the options of AF_UNIX and inet sockets as one table (level,
 * name -> how it is stored and read). Integers and booleans (stored 0/1, as sock_setsockopt's
 * valbool) live in the socket's options map with their initial value here; the buffer sizes,
 * SO_LINGER, the timeouts, SO_PEERCRED and the read-only facts have their own rules below.
 */
import { EDOM, EINVAL, ENOPROTOOPT, EOPNOTSUPP } from '../errno';
import { hostCall, ON_FD3 } from '../host-call';
import { AF_INET, AF_INET6, InetSocket, IPPROTO_TCP } from '../inet-socket';
import type { LinuxProcess } from '../process';
import { UnixSocket } from '../unix-socket';

const SOL_SOCKET = 1;
const SOL_IP = 0;
const SOL_TCP = 6;
const SOL_UDP = 17;
const SOL_IPV6 = 41;
const AF_UNIX = 1;
const SO_SNDBUF = 7;
const SO_RCVBUF = 8;
const SO_LINGER = 13;
const SO_PEERCRED = 17;
const SO_RCVTIMEO = 20;
const SO_SNDTIMEO = 21;
/** sysctl net.core.wmem_max / rmem_max, and SOCK_MIN_SNDBUF / SOCK_MIN_RCVBUF. */
const BUF_MAX = 212992;
const MIN_SNDBUF = 4608;
const MIN_RCVBUF = 2304;

interface Option {
  /** 'bool': stored 0/1; 'int': stored as given, within `range`; 'ro': getsockopt only. */
  kind: 'bool' | 'int' | 'ro';
  initial: (s: UnixSocket) => number;
  range?: [number, number];
}
const zero = (): number => 0;
const bool: Option = { kind: 'bool', initial: zero };
const ro = (initial: (s: UnixSocket) => number): Option => ({ kind: 'ro', initial });
const int = (initial: number, range: [number, number]): Option => ({ kind: 'int', initial: () => initial, range });
const inet = (s: UnixSocket): InetSocket | undefined => (s instanceof InetSocket ? s : undefined);

/** The options by level, then name. */
const OPTIONS: Record<number, Record<number, Option>> = {
  [SOL_SOCKET]: {
    2: bool, // SO_REUSEADDR
    3: ro((s) => s.type), // SO_TYPE
    4: ro((s) => takeError(s)), // SO_ERROR
    5: bool, // SO_DONTROUTE
    6: bool, // SO_BROADCAST
    9: bool, // SO_KEEPALIVE
    10: bool, // SO_OOBINLINE
    12: int(0, [0, 6]), // SO_PRIORITY
    15: bool, // SO_REUSEPORT
    16: bool, // SO_PASSCRED
    18: int(1, [1, 0x7fffffff]), // SO_RCVLOWAT
    19: ro(() => 1), // SO_SNDLOWAT
    30: ro((s) => (s.listening ? 1 : 0)), // SO_ACCEPTCONN
    38: ro((s) => inet(s)?.protocol ?? 0), // SO_PROTOCOL
    39: ro((s) => inet(s)?.family ?? AF_UNIX), // SO_DOMAIN
  },
  [SOL_IP]: {
    1: int(0, [0, 255]), // IP_TOS
    2: int(64, [1, 255]), // IP_TTL (-1: the default)
  },
  [SOL_TCP]: {
    1: bool, // TCP_NODELAY
    3: bool, // TCP_CORK
    4: int(7200, [1, 32767]), // TCP_KEEPIDLE
    5: int(75, [1, 32767]), // TCP_KEEPINTVL
    6: int(9, [1, 127]), // TCP_KEEPCNT
  },
  [SOL_UDP]: {},
  [SOL_IPV6]: {
    16: int(64, [0, 255]), // IPV6_UNICAST_HOPS (-1: the default)
    26: bool, // IPV6_V6ONLY
  },
};

/** Whether `level` exists for the socket (else EOPNOTSUPP, as the protocol's getsockopt answers). */
function levelApplies(s: UnixSocket, level: number): boolean {
  if (level === SOL_SOCKET) return true;
  const i = inet(s);
  if (!i) return false;
  if (level === SOL_IP) return i.family === AF_INET || i.family === AF_INET6;
  if (level === SOL_TCP) return i.protocol === IPPROTO_TCP;
  if (level === SOL_UDP) return i.protocol !== IPPROTO_TCP;
  return level === SOL_IPV6 && i.family === AF_INET6;
}

/** Takes the pending error (sock_error): SO_ERROR reads and clears it. */
export function takeError(s: UnixSocket): number {
  const i = inet(s);
  if (!i) return 0;
  const e = i.soError;
  i.soError = 0;
  return e;
}

/** struct timeval: two longs (4 bytes each on i386, 8 on x86-64). */
const timevalSize = (p: LinuxProcess): number => (p.abi === 'x86_64' ? 16 : 8);

/** The option's bytes as getsockopt gives them, or -errno. */
function optionBytes(p: LinuxProcess, s: UnixSocket, level: number, name: number): Uint8Array | number {
  if (!levelApplies(s, level)) return -EOPNOTSUPP;
  const ints = (...v: number[]): Uint8Array => new Uint8Array(Int32Array.from(v).buffer);
  if (level === SOL_SOCKET) {
    if (name === SO_SNDBUF) return ints(s.sndbuf);
    if (name === SO_RCVBUF) return ints(s.rcvbuf);
    if (name === SO_LINGER) return ints(s.linger.onoff, s.linger.secs);
    if (name === SO_PEERCRED) {
      const c = s.peer?.cred;
      return ints(c?.pid ?? 0, c?.uid ?? -1, c?.gid ?? -1);
    }
    if (name === SO_RCVTIMEO || name === SO_SNDTIMEO) {
      const [sec, usec] = name === SO_RCVTIMEO ? s.timeouts.rcv : s.timeouts.snd;
      return p.abi === 'x86_64' ? new Uint8Array(BigInt64Array.of(BigInt(sec), BigInt(usec)).buffer) : ints(sec, usec);
    }
  }
  const opt = OPTIONS[level]?.[name];
  if (!opt) return -ENOPROTOOPT;
  return ints(opt.kind === 'ro' ? opt.initial(s) : (s.options.get(`${level}/${name}`) ?? opt.initial(s)));
}

/** getsockopt(fd, level, optname, optval, optlen): the value, cut to the caller's room. */
export function getOption(p: LinuxProcess, s: UnixSocket, level: number, name: number, val: number, lenAddr: number): number {
  return putOption(p, val, lenAddr, () => optionBytes(p, s, level, name));
}

function putOption(p: LinuxProcess, val: number, lenAddr: number, bytes: () => Uint8Array | number): number {
  const room = p.mem.read32(lenAddr) | 0;
  if (room < 0) return -EINVAL;
  const out = bytes();
  if (typeof out === 'number') return out;
  const n = Math.min(room, out.length);
  p.mem.writeBytes(val, out.subarray(0, n));
  p.mem.write32(lenAddr, n);
  return 0;
}

const HOST_GETSOCKOPT = `${ON_FD3}my $v = getsockopt($s, $ARGV[0], $ARGV[1]); defined $v or exit($! + 0); print unpack("H*", $v)`;
const HOST_SETSOCKOPT = `${ON_FD3}setsockopt($s, $ARGV[0], $ARGV[1], pack("H*", $ARGV[2])) or exit($! + 0)`;
/** More than any option takes (sock_setsockopt reads what it needs). */
const OPTLEN_MAX = 4096;

/** An i386 guest's struct timeval (SO_RCVTIMEO/SO_SNDTIMEO) has 4-byte fields, the host's 8-byte ones. */
const i386Timeval = (p: LinuxProcess, level: number, name: number): boolean => p.abi !== 'x86_64' && level === SOL_SOCKET && (name === SO_RCVTIMEO || name === SO_SNDTIMEO);

/**
 * getsockopt and setsockopt on a socket dbtlab inherited (its stdio may be socketpairs): the
 * host's own calls on it (host-call.ts), as QEMU passes them through, the timeval converted.
 */
export function hostGetOption(p: LinuxProcess, hostFd: number, level: number, name: number, val: number, lenAddr: number): number {
  return putOption(p, val, lenAddr, () => {
    const out = hostCall(HOST_GETSOCKOPT, [`${level}`, `${name}`], hostFd);
    if (typeof out === 'number' || !i386Timeval(p, level, name)) return out;
    const v = new DataView(out.buffer, out.byteOffset, out.length);
    return new Uint8Array(Int32Array.of(Number(v.getBigInt64(0, true)), Number(v.getBigInt64(8, true))).buffer);
  });
}
export function hostSetOption(p: LinuxProcess, hostFd: number, level: number, name: number, val: number, len: number): number {
  if ((len | 0) < 0) return -EINVAL;
  let bytes = p.mem.readBytes(val, Math.min(len, OPTLEN_MAX));
  if (i386Timeval(p, level, name) && bytes.length >= 8) {
    const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    bytes = new Uint8Array(BigInt64Array.of(BigInt(v.getInt32(0, true)), BigInt(v.getInt32(4, true))).buffer);
  }
  const r = hostCall(HOST_SETSOCKOPT, [`${level}`, `${name}`, Buffer.from(bytes).toString('hex')], hostFd);
  return typeof r === 'number' ? r : 0;
}

/** SO_PASSCRED is set: messages carry their sender's credentials, recvmsg shows them. */
export const passcred = (s: UnixSocket): boolean => (s.options.get(`${SOL_SOCKET}/16`) ?? 0) !== 0;

/** setsockopt(fd, level, optname, optval, optlen). */
export function setOption(p: LinuxProcess, s: UnixSocket, level: number, name: number, val: number, len: number): number {
  if (!levelApplies(s, level)) return -EOPNOTSUPP;
  if (level === SOL_SOCKET && (name === SO_RCVTIMEO || name === SO_SNDTIMEO)) {
    if ((len | 0) < timevalSize(p)) return -EINVAL;
    const v = new DataView(p.mem.readBytes(val, timevalSize(p)).buffer);
    const [sec, usec] = p.abi === 'x86_64' ? [Number(v.getBigInt64(0, true)), Number(v.getBigInt64(8, true))] : [v.getInt32(0, true), v.getInt32(4, true)];
    if (usec < 0 || usec >= 1_000_000) return -EDOM;
    const t = sec < 0 ? [0, 0] : [sec, usec];
    if (name === SO_RCVTIMEO) s.timeouts.rcv = t;
    else s.timeouts.snd = t;
    return 0;
  }
  if ((len | 0) < 4) return -EINVAL;
  const v = p.mem.read32(val) | 0;
  if (level === SOL_SOCKET && name === SO_LINGER) {
    if ((len | 0) < 8) return -EINVAL;
    s.linger = { onoff: v !== 0 ? 1 : 0, secs: p.mem.read32(val + 4) | 0 };
    return 0;
  }
  if (level === SOL_SOCKET && (name === SO_SNDBUF || name === SO_RCVBUF)) {
    // sock_setsockopt: clamped to [0, wmem_max/rmem_max], stored doubled, at least the minimum
    const size = Math.max(Math.min(v, BUF_MAX), 0) * 2;
    if (name === SO_SNDBUF) s.sndbuf = Math.max(size, MIN_SNDBUF);
    else s.rcvbuf = Math.max(size, MIN_RCVBUF);
    return 0;
  }
  const opt = OPTIONS[level]?.[name];
  if (!opt || opt.kind === 'ro') return -ENOPROTOOPT;
  let stored = v;
  if (opt.kind === 'bool') stored = v !== 0 ? 1 : 0;
  else if (v === -1 && (level === SOL_IP || level === SOL_IPV6) && opt.range![0] >= 0) stored = opt.initial(s);
  else if (v < opt.range![0] || v > opt.range![1]) return -EINVAL;
  s.options.set(`${level}/${name}`, stored);
  return 0;
}
