/**
 * fcntl F_GETPIPE_SZ and F_SETPIPE_SZ on a guest pipe (pipe_fcntl): the ring's size in bytes. A
 * new size is rounded up to a power of two of pages (at least one; above 2^31 it is EINVAL),
 * cannot hold fewer buffers than the pipe holds (EBUSY), and grows past fs.pipe-max-size (the
 * host's /proc/sys/fs/pipe-max-size, which is what the guest reads there) only with
 * CAP_SYS_RESOURCE (EPERM). Any other file is EBADF (host FIFOs included: Node cannot resize them).
 */
import { readFileSync } from 'node:fs';
import { capable, CAP_SYS_RESOURCE } from '../capabilities';
import { EBADF, EINVAL, EPERM } from '../errno';
import type { OpenFile } from '../fd-table';
import { PIPE_PAGE } from '../guest-pipe';
import type { LinuxProcess } from '../process';

export const F_SETPIPE_SZ = 1031;
export const F_GETPIPE_SZ = 1032;

/** round_pipe_size: bytes a ring for `size` takes (0: too large). */
function roundPipeSize(size: number): number {
  if (size > 2 ** 31) return 0;
  return size < PIPE_PAGE ? PIPE_PAGE : 2 ** Math.ceil(Math.log2(size));
}

const pipeMaxSize = (): number => Number(readFileSync('/proc/sys/fs/pipe-max-size', 'latin1'));

export function fcntlPipeSize(p: LinuxProcess, file: OpenFile, cmd: number, arg: number): number {
  const pipe = file.pipe;
  if (!pipe) return -EBADF;
  if (cmd === F_GETPIPE_SZ) return pipe.capacity;
  // the argument is an unsigned int
  const size = roundPipeSize(arg >>> 0);
  const slots = size / PIPE_PAGE;
  if (slots === 0) return -EINVAL;
  if (slots > pipe.slots && size > pipeMaxSize() && !capable(p, CAP_SYS_RESOURCE)) return -EPERM;
  const r = pipe.resize(slots);
  return r < 0 ? r : pipe.capacity;
}
