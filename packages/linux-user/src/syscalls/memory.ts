/**
 * Memory system calls: brk, mmap2 (and the old struct-argument mmap), munmap, mprotect,
 * mremap, madvise, on the AddressSpace allocator. File mappings copy the file's bytes in;
 * MAP_SHARED stores are not written back to the file.
 */
import { fstatSync, readSync } from 'node:fs';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from '@dbtlab/mips-host';
import { EACCES, EBADF, EINVAL, ENODEV } from '../errno';
import { O_ACCMODE, O_RDWR, O_WRONLY } from '../fd-table';
import { TARGET_PAGE_SIZE, pageAlignUp } from '../layout';
import { MAP_ANONYMOUS, MAP_SHARED } from '../mmap';
import type { LinuxProcess } from '../process';

const PROT_MASK = PROT_READ | PROT_WRITE | PROT_EXEC;

export const sysBrk = (p: LinuxProcess, a: Uint32Array): number => p.space.doBrk(a[0]);

function doMmap(p: LinuxProcess, addr: number, len: number, prot: number, flags: number, fd: number, offset: number): number {
  if (prot & ~PROT_MASK) return -EINVAL;
  let contents: Uint8Array | undefined;
  if (!(flags & MAP_ANONYMOUS)) {
    const file = p.fds.get(fd);
    if (!file) return -EBADF;
    if (file.kind !== 'file') return -ENODEV;
    const mode = file.flags & O_ACCMODE;
    if (mode === O_WRONLY || (flags & MAP_SHARED && prot & PROT_WRITE && mode !== O_RDWR)) return -EACCES;
    if (len === 0) return -EINVAL;
    // only the file's bytes: the rest of the mapping reads as zeros without being held
    contents = new Uint8Array(Math.max(0, Math.min(pageAlignUp(len), fstatSync(file.hostFd).size - offset)));
    readSync(file.hostFd, contents, 0, contents.length, offset);
  }
  return p.space.targetMmap(addr, len, prot, flags, contents);
}

/** mmap2(addr, len, prot, flags, fd, pgoffset): the offset counts 4 KiB pages. */
export const sysMmap2 = (p: LinuxProcess, a: Uint32Array): number => doMmap(p, a[0], a[1], a[2], a[3], a[4] | 0, a[5] * TARGET_PAGE_SIZE);

/** old_mmap(struct mmap_arg_struct *): six words, the offset in bytes and page aligned. */
export function sysOldMmap(p: LinuxProcess, a: Uint32Array): number {
  const raw = p.mem.readBytes(a[0], 24);
  const v = new DataView(raw.buffer);
  const w = (i: number): number => v.getUint32(4 * i, true);
  if (w(5) % TARGET_PAGE_SIZE !== 0) return -EINVAL;
  return doMmap(p, w(0), w(1), w(2), w(3), w(4) | 0, w(5));
}

export const sysMunmap = (p: LinuxProcess, a: Uint32Array): number => p.space.targetMunmap(a[0], a[1]);
export const sysMprotect = (p: LinuxProcess, a: Uint32Array): number => (a[2] & ~PROT_MASK ? -EINVAL : p.space.targetMprotect(a[0], a[1], a[2]));
export const sysMremap = (p: LinuxProcess, a: Uint32Array): number => p.space.targetMremap(a[0], a[1], a[2], a[3], a[4]);

const MADV_DONTNEED = 4;
/** madvise: only MADV_DONTNEED changes what a program sees (private pages read back as zero). */
export const sysMadvise = (p: LinuxProcess, a: Uint32Array): number => (a[2] === MADV_DONTNEED ? p.space.zeroPages(a[0], a[1]) : a[0] % TARGET_PAGE_SIZE ? -EINVAL : 0);
