/**
 * eventfd(initval) and eventfd2(initval, flags): a 64-bit counter behind a descriptor. write
 * adds, read takes the whole count (or 1 with EFD_SEMAPHORE) and blocks at zero; poll says
 * POLLIN while the count is non-zero and POLLOUT while one more can be added.
 */
import { callerOf, installAnon, Wakes, type AnonFile } from '../anon-file';
import { EAGAIN, EINVAL } from '../errno';
import { O_CLOEXEC, O_NONBLOCK, O_RDWR } from '../fd-table';
import type { LinuxProcess } from '../process';
import { POLLIN, POLLOUT, POLLRDNORM, POLLWRNORM, waitReady } from '../readiness';
import type { SyscallArgs } from '../syscall-args';

const EFD_SEMAPHORE = 1;
/** The largest count; a write that would pass it blocks, a write of ULLONG_MAX is EINVAL. */
const COUNT_MAX = 0xffff_ffff_ffff_fffen;

export class EventFd implements AnonFile {
  readonly name = '[eventfd]';
  readonly wakes = new Wakes();
  constructor(
    private readonly p: LinuxProcess,
    private count: bigint,
    private readonly semaphore: boolean,
  ) {}

  read(len: number, nonblock: boolean): Uint8Array | number {
    if (len < 8) return -EINVAL;
    if (this.count === 0n) {
      if (nonblock) return -EAGAIN;
      const r = waitReady(callerOf(this.p), () => this.count > 0n, undefined, undefined, [], true);
      if (r < 0) return r;
    }
    const v = this.semaphore ? 1n : this.count;
    this.count -= v;
    this.wakes.out++;
    const out = new Uint8Array(8);
    new DataView(out.buffer).setBigUint64(0, v, true);
    return out;
  }

  write(data: Uint8Array, nonblock: boolean): number {
    if (data.length < 8) return -EINVAL;
    const v = new DataView(data.buffer, data.byteOffset, 8).getBigUint64(0, true);
    if (v > COUNT_MAX) return -EINVAL;
    if (COUNT_MAX - this.count < v) {
      if (nonblock) return -EAGAIN;
      const r = waitReady(callerOf(this.p), () => COUNT_MAX - this.count >= v, undefined, undefined, [], true);
      if (r < 0) return r;
    }
    this.count += v;
    this.wakes.in++;
    return 8;
  }

  poll(): number {
    return (this.count > 0n ? POLLIN | POLLRDNORM : 0) | (this.count < COUNT_MAX ? POLLOUT | POLLWRNORM : 0);
  }
}

function eventfd(p: LinuxProcess, initval: number, flags: number): number {
  if (flags & ~(O_CLOEXEC | O_NONBLOCK | EFD_SEMAPHORE)) return -EINVAL;
  return installAnon(p, new EventFd(p, BigInt(initval), (flags & EFD_SEMAPHORE) !== 0), O_RDWR | (flags & O_NONBLOCK), (flags & O_CLOEXEC) !== 0);
}

export const sysEventfd = (p: LinuxProcess, a: SyscallArgs): number => eventfd(p, a[0], 0);
export const sysEventfd2 = (p: LinuxProcess, a: SyscallArgs): number => eventfd(p, a[0], a[1]);
