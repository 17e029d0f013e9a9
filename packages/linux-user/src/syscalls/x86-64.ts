/**
 * The handlers of x86-64 system calls whose arguments or structures differ from every i386
 * call (QEMU's TARGET_X86_64 branches of do_syscall): 64-bit offsets in one register, struct
 * stat's 64-bit layout, mmap's byte offset, arch_prctl's segment bases. Where an x86-64
 * call is an i386 one with the same meaning, its row reuses the i386 handler
 * (syscall-table-x86_64.ts). `a` holds the six argument registers whole (syscall-args.ts).
 */
import { R_FS, R_GS } from '@dbtlab/x86-frontend';
import { EBADF, EFAULT, EINVAL, ENOMEM, EPERM } from '../errno';
import { MMAP_MIN_ADDR, pageAlignUp, TARGET_PAGE_SIZE } from '../layout';
import { MAP_FIXED, MAP_FIXED_NOREPLACE } from '../mmap';
import type { LinuxProcess } from '../process';
import { doMmap } from './memory';
import { seek, sysFcntl64, sysPread64, sysPreadv as sysPreadv32, sysPreadv2 as sysPreadv2x, sysPwrite64, sysPwritev as sysPwritev32, sysPwritev2 as sysPwritev2x } from './io';
import { sysFtruncate64 } from './fs-meta';
import { sysFadvise64_64, sysFallocate as sysFallocate32, sysReadahead as sysReadaheadx, sysSyncFileRange as sysSyncFileRangex, sysTruncate64 } from './fs-meta';
import { sysModifyLdt as sysModifyLdt32, sysPrlimit64 } from './process';
import { MemoryFault } from '@dbtlab/mips-host';
import { argsLike, high32, long, ulong, type SyscallArgs } from '../syscall-args';


const MAP_32BIT = 0x40;
/** Where MAP_32BIT puts a mapping (x86-64 Linux's find_start_end, without randomization): bottom-up in the second GiB. */
const MAP_32BIT_BEGIN = 0x4000_0000;
const MAP_32BIT_END = 0x8000_0000;

/**
 * mmap(addr, len, prot, flags, fd, offset): the offset in bytes, page aligned. Address and
 * length are taken whole, in the 47-bit user space (a hint beyond TASK_SIZE is not honoured,
 * MAP_FIXED there is ENOMEM).
 * MAP_32BIT (not fixed): the hint if the range is free below 2 GiB, else the lowest free gap
 * from 1 GiB up, as arch_get_unmapped_area; ENOMEM when there is none.
 */
export function sysMmap(p: LinuxProcess, a: SyscallArgs): number {
  const off = long(a, 5);
  if (off % 4096 !== 0 || off < 0) return -EINVAL;
  let addr = ulong(a, 0);
  const len = ulong(a, 1), flags = a[3];
  if (flags & MAP_32BIT && !(flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && len !== 0) {
    const length = pageAlignUp(len);
    const hint = Math.floor(addr / TARGET_PAGE_SIZE) * TARGET_PAGE_SIZE;
    if (!(hint >= MMAP_MIN_ADDR && hint + length <= MAP_32BIT_END && p.mem.isRangeFree(hint, length))) {
      const gap = length <= MAP_32BIT_END ? p.mem.freeGapBottomUp(MAP_32BIT_BEGIN, MAP_32BIT_END, length) : undefined;
      if (gap === undefined) return -ENOMEM;
      addr = gap; // free: taken as the hint
    }
  }
  return doMmap(p, addr, len, a[2], flags, a[4] | 0, off);
}

/** lseek(fd, off_t offset, whence): a 64-bit offset, the new position as the result. */
export function sysLseek(p: LinuxProcess, a: SyscallArgs): number {
  const file = p.file(a[0] | 0);
  if (typeof file === 'number') return file;
  return seek(file, long(a, 1), a[2]);
}

/**
 * The arguments of the i386 call that takes the same 64-bit values split into (low, high)
 * register pairs: the x86-64 arguments in `wide` are each one register holding a whole loff_t.
 */
function splitWide(a: SyscallArgs, wide: readonly number[]): SyscallArgs {
  const out: number[] = [];
  for (let i = 0; i < 6 && out.length < 6; i++) {
    if (wide.includes(i)) out.push(a[i] >>> 0, high32(a, i));
    else out.push(a[i]);
  }
  return argsLike(a, out.slice(0, 6));
}
/** An x86-64 handler: the i386 handler `handler` over the arguments with `wide` split in two. */
const overI386 = (handler: (p: LinuxProcess, a: SyscallArgs) => number, ...wide: number[]) => (p: LinuxProcess, a: SyscallArgs): number => handler(p, splitWide(a, wide));

/** pread64/pwrite64(fd, buf, count, offset), truncate(path, length), ftruncate(fd, length), fallocate(fd, mode, offset, len). */
export const sysPread = overI386(sysPread64, 3);
export const sysPwrite = overI386(sysPwrite64, 3);
/** preadv/pwritev(fd, iov, vlen, pos_l, pos_h): the offset whole in pos_l (pos_h is shifted out). */
export const sysPreadv = overI386(sysPreadv32, 3);
export const sysPwritev = overI386(sysPwritev32, 3);
export const sysTruncate = overI386(sysTruncate64, 1);
export const sysFtruncate = overI386(sysFtruncate64, 1);
export const sysFallocate = overI386(sysFallocate32, 2, 3);
/** fadvise64(fd, offset, len, advice): i386's fadvise64_64 with both 64-bit values in one register. */
export const sysFadvise64 = overI386(sysFadvise64_64, 1, 2);

/** getrlimit/setrlimit(resource, struct rlimit *): unsigned longs, so prlimit64 on the caller. */
export const sysGetrlimit = (p: LinuxProcess, a: SyscallArgs): number => sysPrlimit64(p, argsLike(a, [0, a[0], 0, a[1]]));

/** preadv2/pwritev2(fd, iov, vlen, pos_l, pos_h, flags): the offset whole in pos_l, the flags kept in place. */
const withPosSplit = (handler: (p: LinuxProcess, a: SyscallArgs) => number) => (p: LinuxProcess, a: SyscallArgs): number =>
  handler(p, argsLike(a, [a[0], a[1], a[2], a[3] >>> 0, high32(a, 3), a[5]]));
export const sysPreadv2 = withPosSplit(sysPreadv2x);
export const sysPwritev2 = withPosSplit(sysPwritev2x);
/** readahead(fd, offset, count), sync_file_range(fd, offset, nbytes, flags) */
export const sysReadahead = overI386(sysReadaheadx, 1);
export const sysSyncFileRange = overI386(sysSyncFileRangex, 1, 2);

const F_GETLK64 = 12;
const F_SETLKW64 = 14;
/** fcntl: i386's fcntl64, but a 64-bit kernel has no F_GETLK64/F_SETLK64/F_SETLKW64 (EINVAL once the fd is found). */
export function sysFcntl(p: LinuxProcess, a: SyscallArgs): number {
  if (a[1] < F_GETLK64 || a[1] > F_SETLKW64) return sysFcntl64(p, a);
  return p.fds.entry(a[0] | 0) ? -EINVAL : -EBADF;
}

const ARCH_SET_GS = 0x1001;
const ARCH_SET_FS = 0x1002;
const ARCH_GET_FS = 0x1003;
const ARCH_GET_GS = 0x1004;

/** arch_prctl(code, addr): the %fs and %gs bases (TLS) of a 64-bit thread. */
export function sysArchPrctl(p: LinuxProcess, a: SyscallArgs): number {
  const addr = long(a, 1);
  switch (a[0]) {
    case ARCH_SET_FS:
    case ARCH_SET_GS:
      // a base beyond the user address space is refused as the kernel does (>= TASK_SIZE_MAX)
      if (addr < 0 || addr >= 0x7fff_ffff_f000) return -EPERM;
      // the kernel loads a null selector first (loadseg(seg, 0)), so a selector loaded earlier reads back 0
      p.cpu.setSegSelector(a[0] === ARCH_SET_FS ? R_FS : R_GS, 0);
      p.cpu.setSegBase64(a[0] === ARCH_SET_FS ? R_FS : R_GS, addr);
      return 0;
    case ARCH_GET_FS:
    case ARCH_GET_GS: {
      const base = p.cpu.segBase64(a[0] === ARCH_GET_FS ? R_FS : R_GS);
      const out = new Uint8Array(8);
      new DataView(out.buffer).setBigUint64(0, BigInt(base), true);
      p.mem.writeBytes(a[1], out);
      return 0;
    }
    default:
      return -EINVAL;
  }
}

/**
 * modify_ldt(func, ptr, bytecount): i386's, but the 64-bit kernel returns its int result as an
 * unsigned int (sys_modify_ldt's cast), so an error reaches rax zero-extended, never negative.
 */
export function sysModifyLdt(p: LinuxProcess, a: SyscallArgs): number {
  try {
    return sysModifyLdt32(p, a) >>> 0;
  } catch (e) {
    if (e instanceof MemoryFault) return -EFAULT >>> 0;
    throw e;
  }
}
