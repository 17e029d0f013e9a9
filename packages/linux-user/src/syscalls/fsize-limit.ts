/**
 * RLIMIT_FSIZE as the kernel applies it to regular files: a write at `pos`
 * (generic_write_check_limits) at or past the limit raises SIGXFSZ and fails with EFBIG, else its
 * count is cut to what fits below the limit (an empty write is not checked); a truncate that
 * grows a file past the limit (inode_newsize_ok) raises SIGXFSZ and fails with EFBIG.
 */
import { fstatSync } from 'node:fs';
import { EFBIG } from '../errno';
import type { OpenFile } from '../fd-table';
import type { LinuxProcess } from '../process';
import { RLIM_INFINITY, RLIMIT_FSIZE } from '../rlimit';
import { SI_USER, SIGXFSZ } from '../signal';

const fsizeLimit = (p: LinuxProcess): bigint => p.rlimits[RLIMIT_FSIZE].cur;

function exceeded(p: LinuxProcess): number {
  p.queueSignal(SIGXFSZ, SI_USER);
  return -EFBIG;
}

/** How many of `len` bytes a write at `pos` (undefined: the file's position; under O_APPEND always its end, as IOCB_APPEND) may write, or -EFBIG. */
export function writeLimited(p: LinuxProcess, file: OpenFile, pos: number | undefined, len: number, append: boolean): number {
  const limit = fsizeLimit(p);
  if (limit === RLIM_INFINITY || len === 0 || file.kind !== 'file') return len;
  const st = fstatSync(file.hostFd);
  if (!st.isFile()) return len;
  const at = BigInt(append ? st.size : (pos ?? file.pos));
  if (at >= limit) return exceeded(p);
  return Math.min(len, Number(limit - at));
}

/** 0, or -EFBIG when a file of `size` bytes would grow to `newSize` past the limit. */
export function growLimited(p: LinuxProcess, size: number, newSize: number): number {
  const limit = fsizeLimit(p);
  return newSize > size && limit !== RLIM_INFINITY && BigInt(newSize) > limit ? exceeded(p) : 0;
}
