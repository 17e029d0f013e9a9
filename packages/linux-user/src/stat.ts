/**
 * The i386 stat structures the kernel copies out: struct stat64 (96 bytes, 4-byte aligned
 * 64-bit fields, as cp_stat64 fills it) and struct statx (256 bytes), from Node's BigIntStats.
 */
import type { BigIntStats } from 'node:fs';

export const STAT64_SIZE = 96;
export const STATX_SIZE = 256;
/** STATX_TYPE..STATX_BLOCKS: what every filesystem reports. */
export const STATX_BASIC_STATS = 0x7ff;

const NS = 1_000_000_000n;

/**
 * atime, mtime and ctime as {seconds, nanoseconds} pairs at `at` (in that order), each field
 * `sec`/`nsec` bytes wide: every stat structure differs only in these widths and places.
 */
function putTimes(v: DataView, st: BigIntStats, at: readonly [number, number, number], sec: 4 | 8, nsec: 4 | 8): void {
  [st.atimeNs, st.mtimeNs, st.ctimeNs].forEach((ns, i) => {
    const s = ns / NS;
    if (sec === 8) v.setBigInt64(at[i], s, true);
    else v.setUint32(at[i], Number(s & 0xffffffffn), true);
    if (nsec === 8) v.setBigInt64(at[i] + sec, ns % NS, true);
    else v.setUint32(at[i] + sec, Number(ns % NS), true);
  });
}

export function encodeStat64(st: BigIntStats): Uint8Array {
  const out = new Uint8Array(STAT64_SIZE);
  const v = new DataView(out.buffer);
  v.setBigUint64(0, st.dev, true);
  v.setUint32(12, Number(st.ino & 0xffffffffn), true); // __st_ino
  v.setUint32(16, Number(st.mode), true);
  v.setUint32(20, Number(st.nlink), true);
  v.setUint32(24, Number(st.uid), true);
  v.setUint32(28, Number(st.gid), true);
  v.setBigUint64(32, st.rdev, true);
  v.setBigInt64(44, st.size, true);
  v.setUint32(52, Number(st.blksize), true);
  v.setBigUint64(56, st.blocks, true);
  putTimes(v, st, [64, 72, 80], 4, 4);
  v.setBigUint64(88, st.ino, true);
  return out;
}

/** glibc's dev_t encoding (what Node reports) split into major and minor. */
export function devMajor(dev: bigint): number {
  return Number(((dev >> 8n) & 0xfffn) | ((dev >> 32n) & ~0xfffn));
}
export function devMinor(dev: bigint): number {
  return Number((dev & 0xffn) | ((dev >> 12n) & ~0xffn));
}

export function encodeStatx(st: BigIntStats): Uint8Array {
  const out = new Uint8Array(STATX_SIZE);
  const v = new DataView(out.buffer);
  v.setUint32(0, STATX_BASIC_STATS, true);
  v.setUint32(4, Number(st.blksize), true);
  v.setUint32(16, Number(st.nlink), true);
  v.setUint32(20, Number(st.uid), true);
  v.setUint32(24, Number(st.gid), true);
  v.setUint16(28, Number(st.mode), true);
  v.setBigUint64(32, st.ino, true);
  v.setBigUint64(40, st.size, true);
  v.setBigUint64(48, st.blocks, true);
  // stx_atime 64, stx_btime 80 (not reported), stx_ctime 96, stx_mtime 112
  putTimes(v, st, [64, 112, 96], 8, 4);
  v.setUint32(128, devMajor(st.rdev), true);
  v.setUint32(132, devMinor(st.rdev), true);
  v.setUint32(136, devMajor(st.dev), true);
  v.setUint32(140, devMinor(st.dev), true);
  return out;
}

export const STAT_SIZE = 64;
const U16_OVERFLOW_ID = 65534; // overflowuid/overflowgid: ids above 16 bits

/**
 * struct stat of the old stat/lstat/fstat calls (cp_compat_stat): 32-bit inode and size,
 * 16-bit mode/nlink/uid/gid, old-encoded devices; what does not fit is EOVERFLOW.
 */
export function encodeStat(st: BigIntStats): Uint8Array | undefined {
  const oldDev = (dev: bigint): number | undefined => {
    const major = devMajor(dev);
    const minor = devMinor(dev);
    return major < 256 && minor < 256 ? (major << 8) | minor : undefined;
  };
  const dev = oldDev(st.dev);
  const rdev = oldDev(st.rdev);
  if (dev === undefined || rdev === undefined || st.ino > 0xffffffffn || st.nlink > 0xffffn || st.size > 0x7fffffffn) return undefined;
  const id16 = (id: bigint): number => (id > 0xffffn ? U16_OVERFLOW_ID : Number(id));
  const out = new Uint8Array(STAT_SIZE);
  const v = new DataView(out.buffer);
  v.setUint32(0, dev, true);
  v.setUint32(4, Number(st.ino), true);
  v.setUint16(8, Number(st.mode), true);
  v.setUint16(10, Number(st.nlink), true);
  v.setUint16(12, id16(st.uid), true);
  v.setUint16(14, id16(st.gid), true);
  v.setUint32(16, rdev, true);
  v.setUint32(20, Number(st.size), true);
  v.setUint32(24, Number(st.blksize), true);
  v.setUint32(28, Number(st.blocks & 0xffffffffn), true);
  putTimes(v, st, [32, 40, 48], 4, 4);
  return out;
}

/** x86-64's struct stat (144 bytes, natural alignment, as cp_new_stat fills it for a 64-bit process). */
export const STAT_X86_64_SIZE = 144;

export function encodeStatX86_64(st: BigIntStats): Uint8Array {
  const out = new Uint8Array(STAT_X86_64_SIZE);
  const v = new DataView(out.buffer);
  v.setBigUint64(0, st.dev, true);
  v.setBigUint64(8, st.ino, true);
  v.setBigUint64(16, st.nlink, true);
  v.setUint32(24, Number(st.mode), true);
  v.setUint32(28, Number(st.uid), true);
  v.setUint32(32, Number(st.gid), true);
  v.setBigUint64(40, st.rdev, true);
  v.setBigInt64(48, st.size, true);
  v.setBigInt64(56, st.blksize, true);
  v.setBigInt64(64, st.blocks, true);
  putTimes(v, st, [72, 88, 104], 8, 8);
  return out;
}
