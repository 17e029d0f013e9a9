/**
 * SysV shared memory: shmget, shmat, shmdt, shmctl. A segment is one SharedPages (each page
 * allocated at its first touch, SHM_INFO's shm_rss); every attachment,
 * in any guest process of the tree, maps the same bytes (GuestMemory.mapShared), so a store is
 * seen by the others at once, and a fork keeps the child's attachments on the same bytes.
 * Attachments are per address space (threads share them); exec and exit detach them. A
 * segment removed with IPC_RMID lives until its last detach (SHM_DEST, key IPC_PRIVATE).
 */
import type { GuestMemory } from '@dbtlab/mips-host';
import { PROT_EXEC, PROT_READ, PROT_WRITE, SharedPages } from '@dbtlab/mips-host';
import { EACCES, EINVAL, ENOSPC, EPERM } from '../errno';
import { TARGET_PAGE_SIZE, pageAlignUp } from '../layout';
import { MAP_FIXED, MAP_SHARED } from '../mmap';
import type { LinuxProcess } from '../process';
import {
  IPC_INFO, IPC_RMID, IPC_SET, IPC_STAT, S_IRUGO, S_IWUGO, S_IXUGO, ipcDenied, ipcGet, ipcIds, ipcOwner, ipcTime, putIpcPerm, readIpcSet, updatePerm, encodeIds64X86_64, ipc64PermSize,
  type IpcIds, type IpcPerm,
} from '../sysv-ipc';
import type { SyscallArgs } from '../syscall-args';

const SHM_RDONLY = 0o10000;
const SHM_RND = 0o20000;
const SHM_REMAP = 0o40000;
const SHM_EXEC = 0o100000;
const SHM_LOCK = 11;
const SHM_UNLOCK = 12;
const SHM_STAT = 13;
const SHM_INFO = 14;
const SHM_STAT_ANY = 15;
/** perm.mode bits: removed, waiting for its last detach; locked in memory. */
const SHM_DEST = 0o1000;
const SHM_LOCKED = 0o2000;
/** The smallest segment (SHMMAX, the 64-bit kernel's, is above any 32-bit size). */
const SHMMIN = 1;

interface ShmSegment {
  perm: IpcPerm;
  size: number;
  bytes: SharedPages;
  nattch: number;
  atime: number;
  dtime: number;
  ctime: number;
  cpid: number;
  lpid: number;
}

/** The attachments of an address space: start address -> segment. */
const attachments = new WeakMap<GuestMemory, Map<number, ShmSegment>>();

const segments = (p: LinuxProcess): IpcIds<ShmSegment> => ipcIds<ShmSegment>(p, 'shm');

function attachmentsOf(mem: GuestMemory): Map<number, ShmSegment> {
  let m = attachments.get(mem);
  if (!m) attachments.set(mem, (m = new Map()));
  return m;
}

/** The SysV segment whose bytes `src` are (an attachment in `mem`), for /proc/PID/maps: its key and id. */
export function shmSegmentOf(mem: GuestMemory, src: SharedPages): { key: number; id: number } | undefined {
  for (const seg of attachmentsOf(mem).values()) if (seg.bytes === src) return seg.perm;
  return undefined;
}

/** shmget(key, size, shmflg). */
export function sysShmget(p: LinuxProcess, a: SyscallArgs): number {
  const key = a[0] | 0, size = a[1], flag = a[2];
  return ipcGet(p, segments(p), key, flag, () => {
    if (size < SHMMIN) return -EINVAL;
    const len = pageAlignUp(size);
    if (len < size || len === 0) return -ENOSPC;
    const perm = segments(p).newPerm(p, key, flag);
    if (!perm) return -ENOSPC;
    return { perm, size, bytes: new SharedPages(len), nattch: 0, atime: 0, dtime: 0, ctime: ipcTime(), cpid: p.pid, lpid: 0 };
  }, (s) => (size > s.size ? -EINVAL : 0));
}

/** do_shmat: the address the segment is attached at, or -errno. */
export function shmat(p: LinuxProcess, id: number, addr: number, flag: number): number {
  if (id < 0) return -EINVAL;
  if (addr % TARGET_PAGE_SIZE) {
    if (!(flag & SHM_RND)) return -EINVAL;
    addr -= addr % TARGET_PAGE_SIZE;
    if (addr === 0 && flag & SHM_REMAP) return -EINVAL;
  }
  let prot = PROT_READ | PROT_WRITE;
  let acc = S_IRUGO | S_IWUGO;
  if (flag & SHM_RDONLY) {
    prot = PROT_READ;
    acc = S_IRUGO;
  }
  if (flag & SHM_EXEC) {
    prot |= PROT_EXEC;
    acc |= S_IXUGO;
  }
  const seg = segments(p).get(id);
  if (!seg) return -EINVAL;
  if (ipcDenied(p, seg.perm, acc)) return -EACCES;
  const len = seg.bytes.length;
  if (addr !== 0 && !(flag & SHM_REMAP) && (addr + len > 2 ** 32 || !p.mem.isRangeFree(addr, len))) return -EINVAL;
  if (addr !== 0) shmUnmapped(p, addr, len);
  const at = p.space.targetMmap(addr, len, prot, MAP_SHARED | (addr !== 0 ? MAP_FIXED : 0));
  if (at < 0) return at;
  p.mem.mapShared(at, seg.bytes, prot);
  attachmentsOf(p.mem).set(at, seg);
  seg.nattch++;
  seg.atime = ipcTime();
  seg.lpid = p.pid;
  return at;
}

/** shmat(shmid, shmaddr, shmflg). */
export const sysShmat = (p: LinuxProcess, a: SyscallArgs): number => shmat(p, a[0] | 0, a[1], a[2]);

function detach(p: LinuxProcess, mem: GuestMemory, at: number, seg: ShmSegment): void {
  attachmentsOf(mem).delete(at);
  seg.nattch--;
  seg.dtime = ipcTime();
  seg.lpid = p.pid;
  if (seg.nattch === 0 && seg.perm.mode & SHM_DEST) segments(p).remove(seg);
}

/** shmdt(shmaddr): unmaps the attachment that starts there. */
export function sysShmdt(p: LinuxProcess, a: SyscallArgs): number {
  const at = a[0];
  if (at % TARGET_PAGE_SIZE) return -EINVAL;
  const seg = attachmentsOf(p.mem).get(at);
  if (!seg) return -EINVAL;
  p.space.targetMunmap(at, seg.bytes.length);
  detach(p, p.mem, at, seg);
  return 0;
}

/** munmap or a replacing mapping: attachments that start inside [addr, addr + len) end. */
export function shmUnmapped(p: LinuxProcess, addr: number, len: number): void {
  for (const [at, seg] of [...(attachments.get(p.mem) ?? [])]) if (at >= addr && at < addr + len) detach(p, p.mem, at, seg);
}

/** mremap moved the attachment that started at `from` to `to`: shmdt finds it there. */
export function shmMoved(p: LinuxProcess, from: number, to: number): void {
  const m = attachments.get(p.mem);
  const seg = m?.get(from);
  if (!m || !seg || from === to) return;
  m.delete(from);
  m.set(to, seg);
}

/** A forked child's address space holds the parent's attachments (the same bytes: copyPagesTo shares them). */
export function shmFork(parent: GuestMemory, child: GuestMemory): void {
  const from = attachments.get(parent);
  if (!from) return;
  for (const [at, seg] of from) {
    attachmentsOf(child).set(at, seg);
    seg.nattch++;
  }
}

/** exec and exit: the address space's attachments end. */
export function shmDetachAll(p: LinuxProcess, mem: GuestMemory): void {
  for (const [at, seg] of [...(attachments.get(mem) ?? [])]) detach(p, mem, at, seg);
}

/** shmid64_ds (84 bytes; x86-64's 112, of longs) or, without IPC_64, the old shmid_ds (48 bytes). */
function encodeShmid(s: ShmSegment, wide: boolean, abi: LinuxProcess['abi']): Uint8Array {
  if (abi === 'x86_64') {
    return encodeIds64X86_64(s.perm, 112, [[48, s.size, 8], [56, s.atime, 8], [64, s.dtime, 8], [72, s.ctime, 8], [80, s.cpid, 4], [84, s.lpid, 4], [88, s.nattch, 8]]);
  }
  const out = new Uint8Array(wide ? 84 : 48);
  const v = new DataView(out.buffer);
  putIpcPerm(v, s.perm, wide);
  if (wide) {
    v.setUint32(36, s.size, true);
    v.setUint32(40, s.atime, true);
    v.setUint32(48, s.dtime, true);
    v.setUint32(56, s.ctime, true);
    v.setUint32(64, s.cpid, true);
    v.setUint32(68, s.lpid, true);
    v.setUint32(72, s.nattch, true);
  } else {
    v.setInt32(16, s.size, true);
    v.setInt32(20, s.atime, true);
    v.setInt32(24, s.dtime, true);
    v.setInt32(28, s.ctime, true);
    v.setUint16(32, s.cpid, true);
    v.setUint16(34, s.lpid, true);
    v.setUint16(36, s.nattch, true);
  }
  return out;
}

/** shmctl(shmid, cmd, buf): `wide` the ipc64 structures. */
export function shmctl(p: LinuxProcess, id: number, cmd: number, buf: number, wide: boolean): number {
  const ids = segments(p);
  switch (cmd) {
    case IPC_STAT:
    case SHM_STAT:
    case SHM_STAT_ANY: {
      const seg = cmd === IPC_STAT ? ids.get(id) : id >= 0 ? ids.atIndex(id) : undefined;
      if (!seg) return -EINVAL;
      if (cmd !== SHM_STAT_ANY && ipcDenied(p, seg.perm, S_IRUGO)) return -EACCES;
      p.mem.writeBytes(buf, encodeShmid(seg, wide, p.abi));
      return cmd === IPC_STAT ? 0 : seg.perm.id;
    }
    case IPC_SET:
    case IPC_RMID: {
      const set = cmd === IPC_SET ? readIpcSet(new DataView(p.mem.readBytes(buf, wide ? ipc64PermSize(p) : 16).buffer), wide) : undefined;
      const seg = ids.get(id);
      if (!seg) return -EINVAL;
      if (!ipcOwner(p, seg.perm)) return -EPERM;
      if (set) {
        updatePerm(seg.perm, set);
        seg.ctime = ipcTime();
      } else {
        // an attached segment stays (by id) until its last detach; its key is free at once
        seg.perm.mode |= SHM_DEST;
        seg.perm.key = 0;
        if (seg.nattch === 0) ids.remove(seg);
      }
      return 0;
    }
    case SHM_LOCK:
    case SHM_UNLOCK: {
      const seg = ids.get(id);
      if (!seg) return -EINVAL;
      if (!ipcOwner(p, seg.perm)) return -EPERM;
      if (cmd === SHM_LOCK) seg.perm.mode |= SHM_LOCKED;
      else seg.perm.mode &= ~SHM_LOCKED;
      return 0;
    }
    case IPC_INFO:
      if (id < 0) return -EINVAL;
      p.mem.writeBytes(buf, shminfo(p, wide));
      return Math.max(ids.maxIndex(), 0);
    case SHM_INFO: {
      if (id < 0) return -EINVAL;
      // struct shm_info: used_ids (int), then shm_tot, shm_rss, shm_swp, swap_attempts, swap_successes (unsigned longs)
      let pages = 0, rss = 0;
      for (let i = 0; i <= ids.maxIndex(); i++) {
        pages += Math.ceil((ids.atIndex(i)?.size ?? 0) / TARGET_PAGE_SIZE);
        rss += ids.atIndex(i)?.bytes.resident ?? 0;
      }
      const x64 = p.abi === 'x86_64';
      const out = new Uint8Array(x64 ? 48 : 24);
      const v = new DataView(out.buffer);
      v.setInt32(0, ids.size, true);
      // resident: the pages touched through some attachment (never swapped)
      if (x64) [pages, rss].forEach((n, i) => v.setBigUint64(8 + 8 * i, BigInt(n), true));
      else [pages, rss].forEach((n, i) => v.setUint32(4 + 4 * i, n, true));
      p.mem.writeBytes(buf, out);
      return Math.max(ids.maxIndex(), 0);
    }
    default:
      return -EINVAL;
  }
}

/** SHMMAX and SHMALL, ULONG_MAX - 2^24 on a 64-bit kernel; SHMMNI, and SHMSEG = SHMMNI. */
const SHM_LIMIT64 = 0xffff_ffff_feff_ffffn;
const SHMMNI = 4096;

/**
 * IPC_INFO's struct shminfo: x86-64's shminfo64 (unsigned longs); for a 32-bit caller the
 * compat copy with shmmax cut to INT_MAX and shmall to its low 32 bits, in compat_shminfo64
 * (36 bytes, IPC_64) or the old struct shminfo (five ints).
 */
function shminfo(p: LinuxProcess, wide: boolean): Uint8Array {
  if (p.abi === 'x86_64') return new Uint8Array(BigUint64Array.of(SHM_LIMIT64, BigInt(SHMMIN), BigInt(SHMMNI), BigInt(SHMMNI), SHM_LIMIT64, 0n, 0n, 0n, 0n).buffer);
  const info = [0x7fff_ffff, SHMMIN, SHMMNI, SHMMNI, Number(SHM_LIMIT64 & 0xffff_ffffn)];
  const out = new Uint8Array(wide ? 36 : 20);
  info.forEach((x, i) => new DataView(out.buffer).setUint32(4 * i, x, true));
  return out;
}

/** shmctl(shmid, cmd, buf), the direct call: the ipc64 structures, cmd as given. */
export const sysShmctl = (p: LinuxProcess, a: SyscallArgs): number => shmctl(p, a[0] | 0, a[1] | 0, a[2], true);
