/**
 * vmsplice(fd, iov, nr_segs, flags): user memory into a pipe (fd open for writing) or out of it
 * (fd open for reading only), in the kernel's order: unknown flags EINVAL, the descriptor
 * (EBADF, an O_PATH one too), the iovecs (EINVAL, EFAULT), nothing to move is 0 on any file,
 * then a descriptor that is no pipe is EBADF. SPLICE_F_NONBLOCK, not the descriptor's
 * O_NONBLOCK, decides whether a full or empty pipe is EAGAIN or a wait (vmsplice_to_pipe,
 * vmsplice_to_user). Into a pipe goes one page piece of a segment per free slot of the pipe's
 * 16 (iter_to_pipe; approximation: the bytes in the pipe are taken to fill whole pages, as
 * write packs them, and a later write may still join a spliced page). A pipe without readers
 * is EPIPE and SIGPIPE. A host pipe (or FIFO) moves its bytes by write and read.
 */
import { fstatSync } from 'node:fs';
import { EAGAIN, EBADF, EINVAL, EPIPE } from '../errno';
import { fileRead, fileWrite } from '../file-io';
import { O_ACCMODE, O_PATH, O_RDONLY, type OpenFile } from '../fd-table';
import type { LinuxProcess } from '../process';
import { SIGPIPE, SI_USER } from '../signal';
import type { SyscallArgs } from '../syscall-args';
import { WouldBlock } from '../would-block';
import { readIovecs, scatterIovecs } from './io';

const SPLICE_F_NONBLOCK = 0x02;
/** SPLICE_F_MOVE, NONBLOCK, MORE, GIFT. */
const SPLICE_F_ALL = 0x0f;
const PAGE_SIZE = 4096;

type Iovec = { base: number; len: number };

const nextPage = (addr: number): number => addr - (addr % PAGE_SIZE) + PAGE_SIZE;

/** What the iovecs hold, at most `pieces` page pieces of them (undefined: all). */
function gather(p: LinuxProcess, iovs: Iovec[], pieces = Infinity): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const { base, len } of iovs) {
    // addresses are whole numbers up to 2^64 (no bitwise masks)
    for (let at = base; at < base + len && parts.length < pieces; at = nextPage(at)) {
      parts.push(p.mem.readBytes(at, Math.min(base + len, nextPage(at)) - at));
    }
  }
  return Buffer.concat(parts);
}

function toPipe(p: LinuxProcess, file: OpenFile, iovs: Iovec[], nonblock: boolean): number {
  const pipe = file.pipe;
  if (!pipe) {
    const n = fileWrite(file, gather(p, iovs));
    if (n === -EPIPE) p.queueSignal(SIGPIPE, SI_USER);
    return n;
  }
  if (pipe.readers === 0) {
    p.queueSignal(SIGPIPE, SI_USER);
    return -EPIPE;
  }
  const freeSlots = pipe.freeSlots;
  if (freeSlots <= 0) {
    if (nonblock) return -EAGAIN;
    throw new WouldBlock('vmsplice to a full pipe', undefined, undefined, false, undefined, false, true);
  }
  return pipe.write(gather(p, iovs, freeSlots));
}

function fromPipe(p: LinuxProcess, file: OpenFile, iovs: Iovec[], total: number, nonblock: boolean): number {
  const pipe = file.pipe;
  if (pipe && pipe.length === 0) {
    if (pipe.writers === 0) return 0;
    if (nonblock) return -EAGAIN;
    throw new WouldBlock('vmsplice from an empty pipe', undefined, undefined, false, undefined, false, true);
  }
  // a fault leaves the bytes in the pipe (pipe_to_user fails before the buffer is consumed)
  const data = pipe ? pipe.peek(total) : fileRead(file, total);
  if (typeof data === 'number') return data;
  scatterIovecs(p, iovs, data);
  pipe?.consume(data.length);
  return data.length;
}

export function sysVmsplice(p: LinuxProcess, a: SyscallArgs): number {
  const flags = a[3];
  if (flags & ~SPLICE_F_ALL) return -EINVAL;
  const file = p.file(a[0] | 0);
  if (typeof file === 'number') return file;
  if (file.flags & O_PATH) return -EBADF;
  const iovs = readIovecs(p, a[1], a[2]);
  if (typeof iovs === 'number') return iovs;
  const total = iovs.reduce((s, v) => s + v.len, 0);
  if (total === 0) return 0;
  const isPipe = file.pipe !== undefined || (file.kind === 'stream' && fstatSync(file.hostFd).isFIFO());
  if (!isPipe) return -EBADF;
  const nonblock = (flags & SPLICE_F_NONBLOCK) !== 0;
  // FMODE_WRITE decides the direction: an O_RDWR end is written to
  return (file.flags & O_ACCMODE) === O_RDONLY ? fromPipe(p, file, iovs, total, nonblock) : toPipe(p, file, iovs, nonblock);
}
