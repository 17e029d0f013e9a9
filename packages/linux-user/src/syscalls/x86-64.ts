/**
 * The handlers of x86-64 system calls whose arguments or structures differ from every i386
 * call (QEMU's TARGET_X86_64 branches of do_syscall): 64-bit offsets in one register, struct
 * stat's 64-bit layout, mmap's byte offset, arch_prctl's segment bases. Where an x86-64
 * call is an i386 one with the same meaning, its row reuses the i386 handler
 * (syscall-table-x86_64.ts). `a` holds the low halves of the six argument registers;
 * `p.argsHi` the high halves.
 */
import { R_FS, R_GS } from '@dbtlab/x86-frontend';
import type { BigIntStats } from 'node:fs';
import { EINVAL, EPERM } from '../errno';
import type { LinuxProcess } from '../process';
import { encodeStatX86_64 } from '../stat';
import { fdStats, statAt } from './fs';
import { AT_FDCWD, AT_SYMLINK_NOFOLLOW } from './paths';
import { doMmap } from './memory';
import { seek, sysPread64, sysPwrite64 } from './io';

/** Argument i as a signed 64-bit number (exact below 2^53). */
const arg64 = (p: LinuxProcess, a: Uint32Array, i: number): number => (p.argsHi[i] | 0) * 0x1_0000_0000 + a[i];

function putStat(p: LinuxProcess, st: BigIntStats | number, addr: number): number {
  if (typeof st === 'number') return st;
  p.mem.writeBytes(addr, encodeStatX86_64(st));
  return 0;
}

export const sysStat = (p: LinuxProcess, a: Uint32Array): number => putStat(p, statAt(p, AT_FDCWD, a[0], 0), a[1]);
export const sysLstat = (p: LinuxProcess, a: Uint32Array): number => putStat(p, statAt(p, AT_FDCWD, a[0], AT_SYMLINK_NOFOLLOW), a[1]);
export const sysFstat = (p: LinuxProcess, a: Uint32Array): number => putStat(p, fdStats(p, a[0] | 0), a[1]);
export const sysNewfstatat = (p: LinuxProcess, a: Uint32Array): number => putStat(p, statAt(p, a[0] | 0, a[1], a[3]), a[2]);

/** mmap(addr, len, prot, flags, fd, offset): the offset in bytes, page aligned. */
export function sysMmap(p: LinuxProcess, a: Uint32Array): number {
  const off = arg64(p, a, 5);
  if (off % 4096 !== 0 || off < 0) return -EINVAL;
  return doMmap(p, a[0], a[1], a[2], a[3], a[4] | 0, off);
}

/** lseek(fd, off_t offset, whence): a 64-bit offset, the new position as the result. */
export function sysLseek(p: LinuxProcess, a: Uint32Array): number {
  const file = p.file(a[0] | 0);
  if (typeof file === 'number') return file;
  return seek(file, arg64(p, a, 1), a[2]);
}

/** pread64/pwrite64(fd, buf, count, offset): the offset in one register. */
const splitOffset = (p: LinuxProcess, a: Uint32Array): Uint32Array => {
  const off = arg64(p, a, 3);
  return new Uint32Array([a[0], a[1], a[2], off >>> 0, Math.floor(off / 0x1_0000_0000) >>> 0]);
};
export const sysPread = (p: LinuxProcess, a: Uint32Array): number => sysPread64(p, splitOffset(p, a));
export const sysPwrite = (p: LinuxProcess, a: Uint32Array): number => sysPwrite64(p, splitOffset(p, a));

const ARCH_SET_GS = 0x1001;
const ARCH_SET_FS = 0x1002;
const ARCH_GET_FS = 0x1003;
const ARCH_GET_GS = 0x1004;

/** arch_prctl(code, addr): the %fs and %gs bases (TLS) of a 64-bit thread. */
export function sysArchPrctl(p: LinuxProcess, a: Uint32Array): number {
  const addr = arg64(p, a, 1);
  switch (a[0]) {
    case ARCH_SET_FS:
    case ARCH_SET_GS:
      // a base beyond the user address space is refused as the kernel does (>= TASK_SIZE_MAX)
      if (addr < 0 || addr >= 0x7fff_ffff_f000) return -EPERM;
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
