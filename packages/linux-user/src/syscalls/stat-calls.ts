/**
 * stat(path, buf), lstat, fstat(fd, buf) and fstatat(dirfd, path, buf, flags) for each struct
 * stat layout (stat.ts's encoders): i386's old struct stat and struct stat64, x86-64's stat.
 */
import type { BigIntStats } from 'node:fs';
import { EOVERFLOW } from '../errno';
import type { LinuxProcess } from '../process';
import { encodeStat, encodeStat64, encodeStatX86_64 } from '../stat';
import type { SyscallHandler } from '../syscall-table';
import { fdStats, statAt } from './fs';
import { AT_FDCWD, AT_SYMLINK_NOFOLLOW } from './paths';

/** The four calls storing one layout: `encode` gives undefined where a value does not fit it (EOVERFLOW). */
function statCalls(encode: (st: BigIntStats) => Uint8Array | undefined): { stat: SyscallHandler; lstat: SyscallHandler; fstat: SyscallHandler; fstatat: SyscallHandler } {
  const put = (p: LinuxProcess, st: BigIntStats | number, addr: number): number => {
    if (typeof st === 'number') return st;
    const out = encode(st);
    if (!out) return -EOVERFLOW;
    p.mem.writeBytes(addr, out);
    return 0;
  };
  return {
    stat: (p, a) => put(p, statAt(p, AT_FDCWD, a[0], 0), a[1]),
    lstat: (p, a) => put(p, statAt(p, AT_FDCWD, a[0], AT_SYMLINK_NOFOLLOW), a[1]),
    fstat: (p, a) => put(p, fdStats(p, a[0] | 0), a[1]),
    fstatat: (p, a) => put(p, statAt(p, a[0] | 0, a[1], a[3]), a[2]),
  };
}

/** i386's stat, lstat and fstat (the old struct stat; it has no fstatat). */
export const OLD_STAT = statCalls(encodeStat);
/** i386's stat64, lstat64, fstat64 and fstatat64. */
export const STAT64 = statCalls(encodeStat64);
/** x86-64's stat, lstat, fstat and newfstatat. */
export const STAT_X86_64 = statCalls(encodeStatX86_64);
