/**
 * Readiness: poll, ppoll(_time64), select (old and _newselect), pselect6(_time64).
 *
 * What is ready: readiness.ts. Nothing changes a guest pipe while the single guest thread
 * waits, so a wait with nothing ready is a wait for a signal, a timer or the timeout
 * (LinuxProcess.waitFor); a timerfd or signalfd becomes ready that way too.
 */
import { EBADF, EINVAL } from '../errno';
import type { LinuxProcess } from '../process';
import { POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT, POLLPRI, readiness, readSigmask, waitReady } from '../readiness';
import { encodeTimespec, monotonic } from './time';
import { wordAt, type SyscallArgs } from '../syscall-args';

const ALWAYS = POLLERR | POLLHUP | POLLNVAL;
const NS = 1_000_000_000n;
const RLIMIT_NOFILE_MAX = 1 << 20;

/** A relative timeout (ns) from a timespec/timeval pointer: undefined = forever; -EINVAL when malformed. */
function readTimeout(p: LinuxProcess, addr: number, kind: 'ts32' | 'ts64' | 'tv'): bigint | number | undefined {
  if (addr === 0) return undefined;
  // x86-64's timeval is two longs, like a 64-bit timespec
  const wide = kind === 'ts64' || (kind === 'tv' && p.abi === 'x86_64');
  const v = new DataView(p.mem.readBytes(addr, wide ? 16 : 8).buffer);
  const sec = wide ? v.getBigInt64(0, true) : BigInt(v.getInt32(0, true));
  const frac = wide ? v.getBigInt64(8, true) : BigInt(v.getInt32(4, true));
  const unit = kind === 'tv' ? 1000n : 1n;
  if (sec < 0n || frac < 0n || frac * unit >= NS) return -EINVAL;
  return sec * NS + frac * unit;
}

/** Writes the time left back (Linux updates the timeout argument of select/ppoll/pselect). */
function writeLeft(p: LinuxProcess, addr: number, kind: 'ts32' | 'ts64' | 'tv', until: bigint | undefined): void {
  if (addr === 0 || until === undefined) return;
  const now = monotonic(p);
  const left = until > now ? until - now : 0n;
  if (kind === 'tv' && p.abi === 'x86_64') {
    const out = new DataView(new ArrayBuffer(16));
    out.setBigInt64(0, left / NS, true);
    out.setBigInt64(8, (left % NS) / 1000n, true);
    p.mem.writeBytes(addr, new Uint8Array(out.buffer));
  } else if (kind === 'tv') {
    p.mem.write32(addr, Number(left / NS));
    p.mem.write32(addr + 4, Number((left % NS) / 1000n));
  } else p.mem.writeBytes(addr, encodeTimespec(left, kind === 'ts64'));
}

// ---- poll ----

function doPoll(p: LinuxProcess, fdsAddr: number, nfds: number, timeout: bigint | undefined, mask: bigint | undefined): number {
  if (nfds > RLIMIT_NOFILE_MAX || nfds > p.fds.limit()) return -EINVAL;
  const raw = p.mem.readBytes(fdsAddr, 8 * nfds);
  const v = new DataView(raw.buffer);
  const scan = (): number => {
    let ready = 0;
    for (let i = 0; i < nfds; i++) {
      const fd = v.getInt32(8 * i, true);
      const events = v.getUint16(8 * i + 4, true);
      let revents = 0;
      if (fd >= 0) {
        const f = p.fds.get(fd);
        revents = f ? readiness(f) & (events | ALWAYS) : POLLNVAL;
      }
      v.setUint16(8 * i + 6, revents, true);
      if (revents) ready++;
    }
    return ready;
  };
  let ready = scan();
  let ret = ready;
  if (ready === 0 && timeout !== 0n) {
    const until = timeout === undefined ? undefined : p.callStart() + timeout;
    const files = Array.from({ length: nfds }, (_, i) => p.fds.get(v.getInt32(8 * i, true))).filter((f) => f !== undefined);
    ret = waitReady(p, () => scan() > 0, mask, until, files);
    if (ret === 0) ret = ready = scan();
  }
  p.mem.writeBytes(fdsAddr, raw);
  return ret;
}

export function sysPoll(p: LinuxProcess, a: SyscallArgs): number {
  const ms = a[2] | 0;
  return doPoll(p, a[0], a[1], ms < 0 ? undefined : BigInt(ms) * 1_000_000n, undefined);
}

/** ppoll(fds, nfds, timeout, sigmask, sigsetsize) */
function ppoll(p: LinuxProcess, a: SyscallArgs, kind: 'ts32' | 'ts64'): number {
  const timeout = readTimeout(p, a[2], kind);
  if (typeof timeout === 'number') return timeout;
  const mask = readSigmask(p, a[3], a[4]);
  if (typeof mask === 'number') return mask;
  const until = timeout === undefined ? undefined : p.callStart() + timeout;
  const ret = doPoll(p, a[0], a[1], timeout, mask);
  writeLeft(p, a[2], kind, until);
  return ret;
}
export const sysPpoll = (p: LinuxProcess, a: SyscallArgs): number => ppoll(p, a, 'ts32');
export const sysPpoll64 = (p: LinuxProcess, a: SyscallArgs): number => ppoll(p, a, 'ts64');

// ---- select ----

const FD_SETSIZE_WORDS = (n: number): number => Math.ceil(n / 32);

function doSelect(p: LinuxProcess, n: number, sets: [number, number, number], timeoutAddr: number, kind: 'ts32' | 'ts64' | 'tv', mask: bigint | undefined): number {
  if ((n | 0) < 0) return -EINVAL;
  n = Math.min(n, p.fds.limit());
  const timeout = readTimeout(p, timeoutAddr, kind);
  if (typeof timeout === 'number') return timeout;
  const words = FD_SETSIZE_WORDS(n);
  const inputs = sets.map((addr) => (addr === 0 ? undefined : p.mem.readBytes(addr, 4 * words)));
  const isSet = (bits: Uint8Array | undefined, fd: number): boolean => bits !== undefined && (bits[fd >> 3] & (1 << (fd & 7))) !== 0;
  for (let fd = 0; fd < n; fd++) if (inputs.some((b) => isSet(b, fd)) && !p.fds.get(fd)) return -EBADF;
  const scan = (): [number, Uint8Array[]] => {
    const outs = inputs.map(() => new Uint8Array(4 * words));
    let count = 0;
    for (let fd = 0; fd < n; fd++) {
      if (!inputs.some((b) => isSet(b, fd))) continue;
      const r = readiness(p.fds.get(fd)!);
      const hits = [r & (POLLIN | POLLHUP | POLLERR), r & (POLLOUT | POLLERR), r & POLLPRI];
      hits.forEach((hit, i) => {
        if (hit && isSet(inputs[i], fd)) {
          outs[i][fd >> 3] |= 1 << (fd & 7);
          count++;
        }
      });
    }
    return [count, outs];
  };
  let [count, outs] = scan();
  const until = timeout === undefined ? undefined : p.callStart() + timeout;
  if (count === 0 && timeout !== 0n) {
    const files = Array.from({ length: n }, (_, fd) => (inputs.some((b) => isSet(b, fd)) ? p.fds.get(fd) : undefined)).filter((f) => f !== undefined);
    const r = waitReady(p, () => scan()[0] > 0, mask, until, files);
    if (r < 0) {
      writeLeft(p, timeoutAddr, kind, until);
      return r;
    }
    [count, outs] = scan();
  }
  sets.forEach((addr, i) => {
    if (addr !== 0) p.mem.writeBytes(addr, outs[i]);
  });
  writeLeft(p, timeoutAddr, kind, until);
  return count;
}

/** _newselect(n, in, out, ex, struct timeval *) */
export const sysNewselect = (p: LinuxProcess, a: SyscallArgs): number => doSelect(p, a[0], [a[1], a[2], a[3]], a[4], 'tv', undefined);

/** select (nr 82): one pointer to {n, in, out, ex, tvp} (sys_old_select). */
export function sysOldSelect(p: LinuxProcess, a: SyscallArgs): number {
  const v = new DataView(p.mem.readBytes(a[0], 20).buffer);
  const w = (i: number): number => v.getUint32(4 * i, true);
  return doSelect(p, w(0), [w(1), w(2), w(3)], w(4), 'tv', undefined);
}

/** pselect6(n, in, out, ex, timespec, {const sigset_t *ss; size_t len} *) */
function pselect6(p: LinuxProcess, a: SyscallArgs, kind: 'ts32' | 'ts64'): number {
  let mask: bigint | undefined;
  if (a[5] !== 0) {
    // {sigset_t *ss; size_t len}: two words of the ABI's size
    const w = p.abi === 'x86_64' ? 8 : 4;
    const v = new DataView(p.mem.readBytes(a[5], 2 * w).buffer);
    const m = readSigmask(p, wordAt(v, 0, w), wordAt(v, w, w));
    if (typeof m === 'number') return m;
    mask = m;
  }
  return doSelect(p, a[0], [a[1], a[2], a[3]], a[4], kind, mask);
}
export const sysPselect6 = (p: LinuxProcess, a: SyscallArgs): number => pselect6(p, a, 'ts32');
export const sysPselect6Time64 = (p: LinuxProcess, a: SyscallArgs): number => pselect6(p, a, 'ts64');

