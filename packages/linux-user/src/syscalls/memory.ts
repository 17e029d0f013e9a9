/**
 * Memory system calls: brk, mmap2 (and the old struct-argument mmap), munmap, mprotect,
 * mremap, madvise, msync, mincore and the mlock family, on the AddressSpace allocator. A file
 * mapping maps the file's cached pages (page-cache.ts): a MAP_SHARED one stores into them, written
 * back as shared-mappings.ts describes; a MAP_PRIVATE one reads each page from them until it
 * writes it (then the page is its own copy).
 */
import { fstatSync, statfsSync } from 'node:fs';
import { PROT_EXEC, PROT_READ, PROT_WRITE, SharedPages } from '@dbtlab/mips-host';
import { EACCES, EBADF, EFAULT, EINVAL, ENODEV, ENOMEM, EOPNOTSUPP, EPERM } from '../errno';
import { hostPathOf, OpenFile, O_ACCMODE, O_PATH, O_RDWR, O_WRONLY } from '../fd-table';
import { TARGET_PAGE_SIZE, pageAlignUp } from '../layout';
import { mapFilePages } from '../page-cache';
import { F_SEAL_FUTURE_WRITE, F_SEAL_WRITE } from './memfd';
import { MAP_ANONYMOUS, MAP_FIXED, MAP_PRIVATE, MAP_SHARED, MREMAP_DONTUNMAP, type FileMapping } from '../mmap';
import type { LinuxProcess } from '../process';
import { shmMoved, shmUnmapped } from './shm';
import { ulong, type SyscallArgs } from '../syscall-args';
import { movedVdso, VDSO_SIZE, type VdsoPages } from '../vdso';

const PROT_MASK = PROT_READ | PROT_WRITE | PROT_EXEC;
const MAP_TYPE = 0x0f;
const MAP_SHARED_VALIDATE = 0x03;
/** The flags mmap knew before MAP_SHARED_VALIDATE (LEGACY_MAP_MASK): shared, private, fixed, anonymous, denywrite, executable, uninitialized, growsdown, locked, noreserve, populate, nonblock, stack, hugetlb. */
const LEGACY_MAP_MASK = 0x03 | 0x10 | 0x20 | 0x800 | 0x1000 | 0x4000000 | 0x100 | 0x2000 | 0x4000 | 0x8000 | 0x10000 | 0x20000 | 0x40000;

export const sysBrk = (p: LinuxProcess, a: SyscallArgs): number => p.space.doBrk(a[0]);

export function doMmap(p: LinuxProcess, addr: number, len: number, prot: number, flags: number, fd: number, offset: number): number {
  if (prot & ~PROT_MASK) return -EINVAL;
  let file: OpenFile | undefined;
  let source: Omit<FileMapping, 'start' | 'end'> | undefined;
  if (!(flags & MAP_ANONYMOUS)) {
    file = p.fds.get(fd);
    if (!file || file.flags & O_PATH) return -EBADF; // an O_PATH descriptor is no file to map (fget)
    const zero = isDevZero(file);
    if (file.kind !== 'file' && !zero) return -ENODEV;
    // do_mmap's order: an empty length, then the map type (MAP_SHARED_VALIDATE refuses flags
    // it does not know), then the access mode
    if (len === 0) return -EINVAL;
    const type = flags & MAP_TYPE;
    if (type !== MAP_SHARED && type !== MAP_PRIVATE && type !== MAP_SHARED_VALIDATE) return -EINVAL;
    if (type === MAP_SHARED_VALIDATE) {
      if (flags & ~LEGACY_MAP_MASK) return -EOPNOTSUPP;
      flags = (flags & ~MAP_TYPE) | MAP_SHARED;
    }
    const mode = file.flags & O_ACCMODE;
    if (mode === O_WRONLY || (flags & MAP_SHARED && prot & PROT_WRITE && mode !== O_RDWR)) return -EACCES;
    // /dev/zero maps anonymous memory (shared: pages a forked child shares), whatever the offset
    if (zero) return doMmap(p, addr, len, prot, flags | MAP_ANONYMOUS, -1, 0);
    if (file.memfd && flags & MAP_SHARED && prot & PROT_WRITE && file.memfd.seals & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE)) return -EPERM;
    const st = fstatSync(file.hostFd);
    const path = file.memfd ? file.memfd.link().toString() : hostPathOf(file);
    source = { path, offset, shared: (flags & MAP_SHARED) !== 0, dev: st.dev, inode: st.ino, shmem: file.memfd !== undefined || onTmpfs(path) };
  }
  // a MAP_FIXED mapping replaces what was there: shared pages go back to their file first
  if (flags & MAP_FIXED && addr % TARGET_PAGE_SIZE === 0) {
    p.shared.unmap(addr, pageAlignUp(len));
    shmUnmapped(p, addr, pageAlignUp(len));
  }
  const at = p.space.targetMmap(addr, len, prot, flags, source);
  if (at < 0) return at;
  // anonymous shared memory: pages allocated at first touch, which a forked child's pages share
  if (!file) {
    if (flags & MAP_SHARED) p.mem.mapShared(at, new SharedPages(pageAlignUp(len)), prot);
    return at;
  }
  // a file mapping: the file's cached pages, private ones copied at their first write; stores
  // reach the file only through a shared mapping that could be made writable (O_RDWR)
  const cache = mapFilePages(file);
  const shared = (flags & MAP_SHARED) !== 0;
  p.mem.mapShared(at, cache.pages, prot, offset / TARGET_PAGE_SIZE, pageAlignUp(len) / TARGET_PAGE_SIZE, !shared);
  const sealed = (file.memfd?.seals ?? 0) & (F_SEAL_WRITE | F_SEAL_FUTURE_WRITE);
  p.shared.add(at, pageAlignUp(len), file, offset, cache, shared, shared && (file.flags & O_ACCMODE) === O_RDWR && !sealed);
  return at;
}

const TMPFS_MAGIC = 0x01021994;
/** Whether the host file at `path` lives on tmpfs (shmem), as far as its path still says. */
function onTmpfs(path: string): boolean {
  try {
    return statfsSync(path).type === TMPFS_MAGIC;
  } catch {
    return false;
  }
}

/** /dev/zero (character device 1:5), whose mmap is anonymous memory as in Linux's mmap_zero. */
const DEV_ZERO_RDEV = (1 << 8) | 5;
function isDevZero(file: OpenFile): boolean {
  if (file.kind !== 'stream') return false;
  const st = fstatSync(file.hostFd);
  return st.isCharacterDevice() && st.rdev === DEV_ZERO_RDEV;
}

/** mmap2(addr, len, prot, flags, fd, pgoffset): the offset counts 4 KiB pages. */
export const sysMmap2 = (p: LinuxProcess, a: SyscallArgs): number => doMmap(p, a[0], a[1], a[2], a[3], a[4] | 0, a[5] * TARGET_PAGE_SIZE);

/** old_mmap(struct mmap_arg_struct *): six words, the offset in bytes and page aligned. */
export function sysOldMmap(p: LinuxProcess, a: SyscallArgs): number {
  const raw = p.mem.readBytes(a[0], 24);
  const v = new DataView(raw.buffer);
  const w = (i: number): number => v.getUint32(4 * i, true);
  if (w(5) % TARGET_PAGE_SIZE !== 0) return -EINVAL;
  return doMmap(p, w(0), w(1), w(2), w(3), w(4) | 0, w(5));
}

export function sysMunmap(p: LinuxProcess, a: SyscallArgs): number {
  const len = ulong(a, 1);
  if (a[0] % TARGET_PAGE_SIZE === 0 && len !== 0) {
    p.shared.unmap(a[0], pageAlignUp(len));
    shmUnmapped(p, a[0], pageAlignUp(len));
  }
  return p.space.targetMunmap(a[0], len);
}
/**
 * mprotect: a shared file mapping that may not be written (its file read-only, or a memfd sealed
 * against writes when it was mapped) refuses PROT_WRITE (EACCES) when the mapped range reaches it
 * (a hole before it is ENOMEM). Either way the mappings before that point have changed already.
 */
export function sysMprotect(p: LinuxProcess, a: SyscallArgs): number {
  if (a[2] & ~PROT_MASK) return -EINVAL;
  const len = ulong(a, 1);
  const refused = a[2] & PROT_WRITE && a[0] % TARGET_PAGE_SIZE === 0 ? p.shared.firstUnwritable(a[0], pageAlignUp(len)) : undefined;
  return p.space.targetMprotect(a[0], len, a[2], refused);
}
/**
 * mremap: a shared file mapping moves or grows as a mapping of the same cached pages (a part cut
 * off is written back); a SysV shm attachment moves with its pages; [vdso] moves only whole and never grows, and the
 * process then enters and leaves it at its new place.
 */
export function sysMremap(p: LinuxProcess, a: SyscallArgs): number {
  const oldLen = ulong(a, 1);
  const newLen = ulong(a, 2);
  const vdso = p.vdso;
  const movesVdso = vdso !== undefined && a[0] < vdso.code + VDSO_SIZE && a[0] + oldLen > vdso.code;
  // a special mapping never grows (VM_DONTEXPAND: EFAULT), and vdso_mremap refuses any part of it
  if (movesVdso && newLen > oldLen) return -EFAULT;
  if (movesVdso && (a[0] !== vdso.code || oldLen !== VDSO_SIZE || newLen !== VDSO_SIZE)) return -EINVAL;
  const r = p.space.targetMremap(a[0], oldLen, newLen, a[3], a[4]);
  const [oldBytes, newBytes] = [pageAlignUp(oldLen), pageAlignUp(newLen)];
  // old_size 0 and MREMAP_DONTUNMAP keep the old mapping: the new one maps its pages too
  const keepsOld = oldLen === 0 || (a[3] & MREMAP_DONTUNMAP) !== 0;
  if (r >= 0) {
    if (newBytes < oldBytes) p.shared.unmap(a[0] + newBytes, oldBytes - newBytes);
    // MREMAP_FIXED replaced what was at the destination
    if (r !== a[0]) p.shared.unmap(r, newBytes);
    if (keepsOld) p.shared.copied(a[0], oldBytes, r, newBytes);
    else p.shared.moved(a[0], Math.min(oldBytes, newBytes), r, newBytes);
  }
  if (r >= 0 && !keepsOld) shmMoved(p, a[0], r);
  if (r >= 0 && movesVdso) vdsoMoved(p, vdso, r - vdso.code);
  return r;
}

/**
 * vdso_fix_landing: an i386 call made through __kernel_vsyscall returns to the moved copy of its
 * landing pad (after the int $0x80); signals return through the moved trampolines.
 */
function vdsoMoved(p: LinuxProcess, vdso: VdsoPages, delta: number): void {
  p.vdso = movedVdso(vdso, delta);
  if (p.cpu.eip === vdso.landing) p.cpu.eip = (p.cpu.eip + delta) >>> 0;
}

/** Every page of [addr, addr + len) mapped: 0, else -ENOMEM (the mlock/msync/mincore check). */
function checkRange(p: LinuxProcess, addr: number, len: number): number {
  if (addr % TARGET_PAGE_SIZE) return -EINVAL;
  const end = addr + pageAlignUp(len);
  if (end > p.space.layout.taskSize || end < addr || addr < 0) return -ENOMEM;
  for (let at = addr; at < end; at += TARGET_PAGE_SIZE) if (!p.mem.isMapped(at)) return -ENOMEM;
  return 0;
}

const MS_ASYNC = 1;
const MS_INVALIDATE = 2;
const MS_SYNC = 4;
/** msync(addr, len, flags): shared file pages go back to their file. */
export function sysMsync(p: LinuxProcess, a: SyscallArgs): number {
  const flags = a[2];
  if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC) || (flags & MS_ASYNC && flags & MS_SYNC)) return -EINVAL;
  const err = checkRange(p, a[0], ulong(a, 1));
  if (err) return err;
  p.shared.sync(a[0], pageAlignUp(ulong(a, 1)));
  return 0;
}

/**
 * mincore(addr, len, vec): a page is resident when it has been touched (memory is allocated on
 * first touch, as Linux faults pages in): through this mapping, or for shared anonymous memory
 * through any (shmem's page cache). A file mapping's pages are resident up to the file's end (a
 * file a program has just written or read is in the host's page cache; its holes are taken as
 * data) and not past it; a memfd's or tmpfs file's only where a guest has touched or mapped them
 * in (bytes written to one with write() and never mapped are not seen).
 */
export function sysMincore(p: LinuxProcess, a: SyscallArgs): number {
  const [start, len] = [a[0], ulong(a, 1)];
  const err = checkRange(p, start, len);
  if (err) return err;
  const vec = new Uint8Array(pageAlignUp(len) / TARGET_PAGE_SIZE);
  const end = start + vec.length * TARGET_PAGE_SIZE;
  const mark = (from: number, to: number): void => {
    vec.fill(1, Math.max(0, (from - start) / TARGET_PAGE_SIZE), Math.max(0, (Math.min(to, end) - start) / TARGET_PAGE_SIZE));
  };
  for (const [at] of p.mem.touchedPages(start, vec.length * TARGET_PAGE_SIZE)) mark(at, at + TARGET_PAGE_SIZE);
  const overCache = new Set<number>();
  for (const r of p.mem.sharedRanges(start, vec.length * TARGET_PAGE_SIZE)) {
    const f = p.space.fileMappings.find((m) => r.addr >= m.start && r.addr < m.end);
    // a file's page up to its end is in the host's page cache (the file was just written or read:
    // dbtlab cannot ask, and holes count as data); shmem has only the pages the guests made
    const cachedPages = f && !f.shmem ? Math.ceil(r.src.length / TARGET_PAGE_SIZE) : 0;
    for (let i = 0; i < r.pages; i++) {
      const at = r.addr + i * TARGET_PAGE_SIZE;
      overCache.add(at);
      if (r.src.has(r.srcFirst + i) || r.srcFirst + i < cachedPages) mark(at, at + TARGET_PAGE_SIZE);
    }
  }
  // the segments the ELF loader copied: the program's file, read at exec
  for (const f of p.space.fileMappings) {
    for (let at = Math.max(f.start, start); at < Math.min(f.end, end); at += TARGET_PAGE_SIZE) if (!overCache.has(at)) mark(at, at + TARGET_PAGE_SIZE);
  }
  p.mem.writeBytes(a[2], vec);
  return 0;
}

/** mlock/munlock(addr, len): pages are always resident; unmapped ranges are ENOMEM. */
export function sysMlock(p: LinuxProcess, a: SyscallArgs): number {
  const start = a[0] - (a[0] % TARGET_PAGE_SIZE);
  return checkRange(p, start, ulong(a, 1) + (a[0] - start));
}
const MLOCK_ONFAULT = 1;
export const sysMlock2 = (p: LinuxProcess, a: SyscallArgs): number => (a[2] & ~MLOCK_ONFAULT ? -EINVAL : sysMlock(p, a));
const MCL_CURRENT = 1;
const MCL_FUTURE = 2;
const MCL_ONFAULT = 4;
export function sysMlockall(_p: LinuxProcess, a: SyscallArgs): number {
  const f = a[0];
  return f === 0 || f & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) || f === MCL_ONFAULT ? -EINVAL : 0;
}
export const sysMunlockall = (): number => 0;

const MADV_DONTNEED = 4;
/** The advice values Linux accepts (MADV_NORMAL .. MADV_COLLAPSE), others EINVAL. */
const MADV_KNOWN = new Set([0, 1, 2, 3, 4, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
/** madvise: only MADV_DONTNEED changes what a program sees (pages read back as a new fault fills them). */
export function sysMadvise(p: LinuxProcess, a: SyscallArgs): number {
  if (a[0] % TARGET_PAGE_SIZE || !MADV_KNOWN.has(a[2])) return -EINVAL;
  if (a[2] === MADV_DONTNEED) {
    // shared file pages reach their file first: read again, they are what was stored
    if (a[1] !== 0) p.shared.sync(a[0], pageAlignUp(ulong(a, 1)));
    return p.space.zeroPages(a[0], ulong(a, 1));
  }
  return checkRange(p, a[0], ulong(a, 1));
}
