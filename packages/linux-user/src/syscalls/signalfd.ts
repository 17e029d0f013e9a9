/**
 * signalfd(fd, mask, sizemask) and signalfd4(..., flags): a descriptor that dequeues the
 * process's pending signals in its mask as struct signalfd_siginfo (128 bytes each) instead
 * of delivering them; poll says POLLIN while one is pending. fd -1 creates one, a signalfd's
 * fd changes its mask.
 */
import { anonOf, callerOf, installAnon, type AnonFile } from '../anon-file';
import { EAGAIN, EBADF, EINVAL } from '../errno';
import { O_CLOEXEC, O_NONBLOCK, O_RDWR } from '../fd-table';
import type { LinuxProcess } from '../process';
import { POLLIN, POLLRDNORM, waitReady } from '../readiness';
import { NSIG, sigBit, UNBLOCKABLE } from '../signal';
import type { SigInfo } from '../signal-frame';
import { SI_QUEUE, SI_TIMER } from '../siginfo-codes';
import type { SyscallArgs } from '../syscall-args';

const SIGNALFD_SIGINFO_SIZE = 128;
const SIGSET_SIZE = 8;

/** struct signalfd_siginfo for one dequeued signal (signalfd_copyinfo's fields by si_code). */
function encodeSignalfdSiginfo(sig: number, info: SigInfo): Uint8Array {
  const out = new Uint8Array(SIGNALFD_SIGINFO_SIZE);
  const v = new DataView(out.buffer);
  v.setUint32(0, sig, true);
  v.setInt32(8, info.code, true);
  if (info.addr !== undefined) {
    v.setBigUint64(72, BigInt(info.addr < 0 ? info.addr >>> 0 : info.addr), true);
    return out;
  }
  if (info.code === SI_TIMER) {
    // the timer convention of queueSignal: pid = timer id, uid = overrun
    v.setUint32(24, info.pid ?? 0, true);
    v.setUint32(32, info.uid ?? 0, true);
  } else {
    v.setUint32(12, info.pid ?? 0, true);
    v.setUint32(16, info.uid ?? 0, true);
  }
  if (info.code === SI_TIMER || info.code === SI_QUEUE) {
    v.setInt32(44, info.value ?? 0, true);
    v.setBigUint64(48, BigInt(info.value ?? 0), true);
  }
  return out;
}

export class SignalFd implements AnonFile {
  readonly name = '[signalfd]';
  constructor(
    private readonly p: LinuxProcess,
    public mask: bigint,
  ) {}

  /** The signals of the reading process (signalfd reads its caller's, as after fork the child's). */
  private get reader(): LinuxProcess {
    return callerOf(this.p);
  }

  private ready(): bigint {
    return this.reader.signals.pending & this.mask;
  }

  read(len: number, nonblock: boolean): Uint8Array | number {
    const room = Math.floor(len / SIGNALFD_SIGINFO_SIZE);
    if (room === 0) return -EINVAL;
    this.reader.pollEvents();
    if (this.ready() === 0n) {
      if (nonblock) return -EAGAIN;
      const r = waitReady(this.reader, () => this.ready() !== 0n, undefined, undefined, [], true);
      if (r < 0) return r;
    }
    const parts: Uint8Array[] = [];
    // lowest first; a queued real-time signal may fill several records
    for (let sig = 1; sig <= NSIG && parts.length < room; ) {
      if (!(this.ready() & sigBit(sig))) {
        sig++;
        continue;
      }
      parts.push(encodeSignalfdSiginfo(sig, this.reader.signals.dequeue(sig) ?? { code: 0 }));
    }
    return Buffer.concat(parts);
  }

  write(): number {
    return -EINVAL;
  }

  poll(): number {
    this.reader.pollEvents();
    return this.ready() !== 0n ? POLLIN | POLLRDNORM : 0;
  }
}

function signalfd(p: LinuxProcess, fd: number, maskAddr: number, size: number, flags: number): number {
  if (flags & ~(O_CLOEXEC | O_NONBLOCK)) return -EINVAL;
  if (size !== SIGSET_SIZE) return -EINVAL;
  const mask = new DataView(p.mem.readBytes(maskAddr, SIGSET_SIZE).buffer).getBigUint64(0, true) & ~UNBLOCKABLE;
  if (fd === -1) return installAnon(p, new SignalFd(p, mask), O_RDWR | (flags & O_NONBLOCK), (flags & O_CLOEXEC) !== 0);
  if (!p.fds.get(fd)) return -EBADF;
  const existing = anonOf(p, fd, SignalFd);
  if (!existing) return -EINVAL;
  existing.mask = mask;
  return fd;
}

export const sysSignalfd = (p: LinuxProcess, a: SyscallArgs): number => signalfd(p, a[0] | 0, a[1], a[2], 0);
export const sysSignalfd4 = (p: LinuxProcess, a: SyscallArgs): number => signalfd(p, a[0] | 0, a[1], a[2], a[3]);
