/**
 * The guest's mappings above the ELF image: brk and an mmap allocator that hand out the
 * addresses Linux would (top-down from mmap_base, first fit from the top, as
 * unmapped_area_topdown does), so that a program observes the same addresses on every run.
 * Page occupancy is GuestMemory itself: a page is in use iff it is mapped.
 *
 *   const as = new AddressSpace(mem);
 *   as.setBrk(0x80f1000);
 *   const a = as.targetMmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS);
 *
 * Results are addresses, or -errno (as the system calls return them).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { GuestMemory, PROT_EXEC, PROT_READ, PROT_WRITE } from '@dbtlab/mips-host';
import type { Descriptor } from '@dbtlab/x86-semantics';
import { EACCES, EEXIST, EFAULT, EINVAL, ENOMEM } from './errno';
import type { OpenFile } from './fd-table';
import { type AddressLayout, layoutOf, MMAP_MIN_ADDR, STACK_RLIMIT, TARGET_PAGE_SIZE, pageAlignUp } from './layout';
import { expandDownwards, mmapBaseFor, STACK_GUARD_GAP } from './stack-growth';

export const MAP_SHARED = 0x01;
export const MAP_PRIVATE = 0x02;
export const MAP_FIXED = 0x10;
export const MAP_ANONYMOUS = 0x20;
export const MAP_GROWSDOWN = 0x100;
export const MAP_FIXED_NOREPLACE = 0x100000;
export const MREMAP_MAYMOVE = 1;
export const MREMAP_FIXED = 2;
export const MREMAP_DONTUNMAP = 4;

/** The file behind a file mapping: /proc/self/maps names it, MADV_DONTNEED reads a loaded ELF segment's page from it again. */
export interface FileMapping {
  start: number;
  end: number;
  /** Host path of the file (resolved when it was mapped). */
  path: string;
  /** File offset of `start`. */
  offset: number;
  /** MAP_SHARED ('s' in /proc/self/maps). */
  shared: boolean;
  /** st_dev and st_ino of the file. */
  dev: number;
  inode: number;
  /** The file is shmem (a memfd, a tmpfs file): its pages count as RssShmem. */
  shmem?: boolean;
}

const isAligned = (a: number): boolean => a % TARGET_PAGE_SIZE === 0;

export class AddressSpace {
  /** Start of the brk area (page after the bss, or ELF_ET_DYN_BASE for a static-PIE). */
  brkStart = 0;
  /** Current break as the guest last set it (not page aligned, as Linux keeps mm->brk). */
  brk = 0;
  /** The file mappings made by mmap, cut where unmapped (the pages themselves hold copies). */
  fileMappings: FileMapping[] = [];
  /** The LDT (modify_ldt): the address space's, as Linux keeps it in mm->context. */
  ldt: Descriptor[] = [];
  /** The membarrier registrations of the address space (its REGISTER_* commands; kept by fork, dropped by exec). */
  membarrier = 0;
  /** The file execve ran (mm->exe_file, exe-file.ts); none for the first program. */
  exeFile: OpenFile | undefined;
  /** TASK_SIZE of the guest's ABI (its memory's address width). */
  readonly layout: AddressLayout;
  /** Where top-down mmap starts: below the stack's RLIMIT_STACK when the space was made (exec), inherited by fork. */
  mmapBase: number;

  /**
   * The first space made over `mem` (an exec's or a fork's copy; not a thread's or a CLONE_VM
   * child's) grows its stacks on faults below them (stack-growth.ts).
   */
  constructor(
    readonly mem: GuestMemory,
    /** The current RLIMIT_AS, RLIMIT_DATA and RLIMIT_STACK soft limits in bytes (Infinity when unlimited). */
    readonly limits: () => { as: number; data: number; stack: number } = () => ({ as: Infinity, data: Infinity, stack: STACK_RLIMIT }),
  ) {
    this.layout = layoutOf(mem.bits);
    this.mmapBase = mmapBaseFor(this.layout.taskSize, limits().stack);
    mem.host.onUnmappedAccess ??= (hostAddr) => expandDownwards(mem, mem.guestAddress(hostAddr), limits());
  }

  setBrk(start: number): void {
    this.brkStart = start;
    this.brk = start;
  }

  private rangeFree(addr: number, len: number): boolean {
    return this.mem.isRangeFree(addr, len);
  }

  /** Highest free gap of `len` bytes below mmap_base, as unmapped_area_topdown picks it. */
  findFreeTopDown(len: number): number | undefined {
    return this.mem.freeGapTopDown(MMAP_MIN_ADDR, this.mmapBase, len, STACK_GUARD_GAP);
  }

  /** Tells the runtime that the translated code of [addr, addr + len) goes (pages holding some are always touched ones). */
  private dropTranslatedCode(addr: number, len: number): void {
    for (const [a, page] of [...this.mem.touchedPages(addr, len)]) if (page.holdsCode) this.mem.dropCode(a, TARGET_PAGE_SIZE);
  }

  private unmapPages(addr: number, len: number): void {
    this.dropTranslatedCode(addr, len);
    this.mem.unmap(addr, len);
    this.fileMappings = this.fileMappings.flatMap((f) => clip(f, f.start, addr).concat(clip(f, addr + len, f.end)));
  }

  /**
   * RLIMIT_AS bounds all mapped bytes, RLIMIT_DATA the private writable ones (brk included,
   * the stack not: Linux's data_vm); a mapping of `len` more bytes that would pass a limit
   * fails with ENOMEM, as may_expand_vm says.
   */
  private mayExpand(len: number, writable: boolean): boolean {
    if (this.mem.mappedBytes() + len > this.limits().as) return false;
    if (!writable) return true;
    const stacks = this.mem.areas().reduce((n, a) => n + (a.growsDown && a.prot & PROT_WRITE ? a.end - a.start : 0), 0);
    return this.mem.mappedBytes(PROT_WRITE) - stacks + len <= this.limits().data;
  }

  /** A hint's range is free and not in the guard gap below a stack (get_unmapped_area's vm_start_gap). */
  private hintFree(addr: number, len: number): boolean {
    if (!this.rangeFree(addr, len)) return false;
    const next = this.mem.areas().find((a) => a.start >= addr + len);
    return next === undefined || !next.growsDown || addr + len <= next.start - STACK_GUARD_GAP;
  }

  /** mmap semantics (do_mmap): the range, its pages unmapped (the caller maps a file's pages over it); `file` names what it maps. */
  targetMmap(addr: number, length: number, prot: number, flags: number, file?: Omit<FileMapping, 'start' | 'end'>): number {
    if (length === 0) return -EINVAL;
    const len = pageAlignUp(length);
    if (len === 0 || len > this.layout.taskSize) return -ENOMEM;
    const type = flags & (MAP_SHARED | MAP_PRIVATE);
    if (type !== MAP_SHARED && type !== MAP_PRIVATE) return -EINVAL;
    // shared anonymous memory cannot grow (do_mmap)
    if (flags & MAP_GROWSDOWN && type === MAP_SHARED && !file) return -EINVAL;
    let start: number | undefined;
    if (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) {
      if (!isAligned(addr)) return -EINVAL;
      if (addr + len > this.layout.taskSize) return -ENOMEM;
      if (flags & MAP_FIXED_NOREPLACE && !(flags & MAP_FIXED) && !this.rangeFree(addr, len)) return -EEXIST;
      start = addr;
      if (!this.mayExpand(len - this.mem.mappedBytesIn(start, len), !!(prot & PROT_WRITE) && type === MAP_PRIVATE)) return -ENOMEM;
      this.unmapPages(start, len);
    } else {
      // a hint is honoured when the range is free, as get_unmapped_area does
      const hint = Math.floor(addr / TARGET_PAGE_SIZE) * TARGET_PAGE_SIZE;
      if (hint >= MMAP_MIN_ADDR && hint + len <= this.layout.taskSize && this.hintFree(hint, len)) start = hint;
      else start = this.findFreeTopDown(len);
      if (start === undefined || !this.mayExpand(len, !!(prot & PROT_WRITE) && type === MAP_PRIVATE)) return -ENOMEM;
    }
    // MAP_GROWSDOWN: an anonymous private stack that grows on faults below it, as the initial one
    this.mem.map(start, len, prot, !!(flags & MAP_GROWSDOWN) && !file && type === MAP_PRIVATE);
    if (file) this.fileMappings.push({ start, end: start + len, ...file });
    return start;
  }

  targetMunmap(addr: number, length: number): number {
    if (!isAligned(addr) || length === 0 || addr < 0 || addr + length > this.layout.taskSize) return -EINVAL;
    this.unmapPages(addr, pageAlignUp(length));
    return 0;
  }

  /**
   * mprotect over [addr, addr + length), mapping by mapping as Linux's loop goes: at a hole
   * (ENOMEM) or at `refusedAt`, a mapping that may not take the new protection (EACCES), it
   * stops, and what it changed before stays changed.
   */
  targetMprotect(addr: number, length: number, prot: number, refusedAt?: number): number {
    if (!isAligned(addr)) return -EINVAL;
    const len = pageAlignUp(length);
    if (len === 0) return 0;
    // beyond user space (an x86-64 address above 2^63 arrives negative) there is no mapping
    if (addr < 0 || addr + len < addr) return -ENOMEM;
    const mapped = this.mappedRun(addr, Math.min(addr + len, this.layout.taskSize));
    const end = Math.min(mapped, refusedAt ?? mapped);
    // translated code of a page that stops being executable goes (QEMU's page_set_flags): the
    // next execution fetches again and faults where the CPU does, not in a cached TB
    if (end > addr && !(prot & PROT_EXEC)) this.dropTranslatedCode(addr, end - addr);
    if (end > addr) this.mem.protect(addr, end - addr, prot);
    if (end === addr + len) return 0;
    return refusedAt !== undefined && refusedAt < mapped ? -EACCES : -ENOMEM;
  }

  /** The end of the pages mapped without a hole from `addr` (page-aligned), at most `limit`. */
  private mappedRun(addr: number, limit: number): number {
    let end = addr;
    for (const area of this.mem.areas()) if (area.start <= end && area.end > end) end = area.end;
    return Math.min(Math.max(end, addr), limit);
  }

  /**
   * MADV_DONTNEED: a page reads back as a fresh fault would fill it, zeros for private anonymous
   * memory, its bytes unchanged for shared memory, and the file's bytes for a private file
   * mapping: mmap'd ones read the file's cached page again at the next touch; a loaded ELF
   * segment's page is read again now from the file's path (zeros past its end, or when the file
   * lost its name).
   */
  zeroPages(addr: number, length: number): number {
    if (!isAligned(addr)) return -EINVAL;
    if (length > 0 && (addr < 0 || addr + length > this.layout.taskSize || !this.mem.isRangeMapped(addr, pageAlignUp(length)))) return -ENOMEM;
    for (const [a, page] of [...this.mem.touchedPages(addr, pageAlignUp(length))]) {
      // shared memory (MAP_SHARED|MAP_ANONYMOUS, SysV shm) is shmem: its pages keep their bytes
      if (page.backing) continue;
      if (page.holdsCode) this.mem.dropCode(a, TARGET_PAGE_SIZE);
      const file = this.fileMappings.find((f) => a >= f.start && a < f.end);
      // private anonymous, or over a file's cached pages: the page is given back (zeros, or the
      // file's page, at the next touch; not resident until then)
      if (!file || this.mem.sharedRanges(a, TARGET_PAGE_SIZE).length > 0) {
        this.mem.discard(a, TARGET_PAGE_SIZE);
        continue;
      }
      page.own();
      page.data.fill(0);
      readFileBytes(file.path, file.offset + (a - file.start), page.data);
    }
    return 0;
  }

  /**
   * mremap semantics (mm/mremap.c). old_size 0 maps the shared mapping at oldAddr again, newLen
   * long, and keeps it (the "duplicate shm area" case; private memory EINVAL). MREMAP_DONTUNMAP
   * moves the pages and leaves the old range mapped: private pages there read as a fresh fault
   * fills them (zeros, or the file's page), shared ones stay the object's.
   */
  targetMremap(oldAddr: number, oldLength: number, newLength: number, flags: number, newAddr: number): number {
    if (!isAligned(oldAddr) || oldAddr < 0 || newLength === 0 || flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) return -EINVAL;
    const oldLen = pageAlignUp(oldLength);
    const newLen = pageAlignUp(newLength);
    // MREMAP_FIXED and MREMAP_DONTUNMAP name a new address (a hint for DONTUNMAP): checked first, as check_mremap_params does
    if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP)) {
      if (!(flags & MREMAP_MAYMOVE) || (flags & MREMAP_DONTUNMAP && oldLen !== newLen)) return -EINVAL;
      if (!isAligned(newAddr) || newAddr < 0 || newAddr + newLen > this.layout.taskSize) return -EINVAL;
      if (newAddr < oldAddr + oldLen && oldAddr < newAddr + newLen) return -EINVAL;
    }
    // the old range one mapping (vma_lookup, then old_len within it), else EFAULT: a range past the top of memory too
    if (oldAddr + oldLen > this.layout.taskSize || !this.mem.isRangeMapped(oldAddr, Math.max(oldLen, TARGET_PAGE_SIZE))) return -EFAULT;
    const shared = this.mem.sharedRanges(oldAddr, TARGET_PAGE_SIZE)[0];
    if (oldLen === 0 && (shared === undefined || shared.private)) return -EINVAL;
    const prot = this.mem.prot(oldAddr) ?? 0;
    const keepsOld = oldLen === 0 || (flags & MREMAP_DONTUNMAP) !== 0;
    if (!(flags & (MREMAP_FIXED | MREMAP_DONTUNMAP))) {
      if (newLen <= oldLen) {
        if (newLen < oldLen) this.unmapPages(oldAddr + newLen, oldLen - newLen);
        return oldAddr;
      }
      if (!this.mayExpand(newLen - oldLen, !!(prot & PROT_WRITE))) return -ENOMEM;
      if (oldLen > 0 && oldAddr + newLen <= this.layout.taskSize && this.rangeFree(oldAddr + oldLen, newLen - oldLen)) {
        this.mem.map(oldAddr + oldLen, newLen - oldLen, prot);
        this.growShared(oldAddr, oldLen, oldAddr, newLen, prot);
        return oldAddr;
      }
      if (!(flags & MREMAP_MAYMOVE)) return -ENOMEM;
    } else if (keepsOld && !this.mayExpand(newLen, !!(prot & PROT_WRITE) && shared === undefined)) return -ENOMEM;
    let dest: number | undefined;
    if (flags & MREMAP_FIXED) {
      this.unmapPages(newAddr, newLen);
      dest = newAddr;
    } else if (flags & MREMAP_DONTUNMAP && newAddr !== 0 && this.hintFree(newAddr, newLen)) dest = newAddr;
    else dest = this.findFreeTopDown(newLen);
    if (dest === undefined) return -ENOMEM;
    this.mem.map(dest, newLen, prot);
    if (oldLen === 0) {
      // the same object's pages from oldAddr's on, as far as newLen reaches (past its end SIGBUS)
      this.mem.mapShared(dest, shared!.src, prot, shared!.srcFirst, newLen / TARGET_PAGE_SIZE, false);
      const f = this.fileMappings.find((m) => oldAddr >= m.start && oldAddr < m.end);
      if (f) this.fileMappings.push({ ...f, start: dest, end: dest + newLen, offset: f.offset + (oldAddr - f.start) });
      return dest;
    }
    // a shared mapping moves as a mapping of the same pages (touched or not: another process's stores stay visible)
    for (const r of this.mem.sharedRanges(oldAddr, Math.min(oldLen, newLen))) this.mem.mapShared(dest + r.addr - oldAddr, r.src, prot, r.srcFirst, r.pages, r.private);
    if (newLen > oldLen) this.growShared(oldAddr, oldLen, dest, newLen, prot);
    for (const [a, from] of [...this.mem.touchedPages(oldAddr, Math.min(oldLen, newLen))]) {
      const to = this.mem.page(dest + a - oldAddr);
      if (to && to.data !== from.data) {
        to.own();
        to.data.set(from.data);
      }
    }
    const moved = this.fileMappings.flatMap((f) => clip(f, oldAddr, oldAddr + Math.min(oldLen, newLen)));
    if (keepsOld) {
      this.dropTranslatedCode(oldAddr, oldLen);
      this.mem.discard(oldAddr, oldLen);
    } else this.unmapPages(oldAddr, oldLen);
    for (const f of moved) this.fileMappings.push({ ...f, start: f.start + dest - oldAddr, end: f.end + dest - oldAddr });
    return dest;
  }

  /**
   * A shared mapping [oldAddr, +oldLen) grown to [addr, +newLen): the new part maps the object's
   * following pages (the VMA's file offsets go on), so the pages past the object's size are
   * SIGBUS, as shmem's fault gives, not new zero pages.
   */
  private growShared(oldAddr: number, oldLen: number, addr: number, newLen: number, prot: number): void {
    const last = this.mem.sharedRanges(oldAddr + oldLen - TARGET_PAGE_SIZE, TARGET_PAGE_SIZE)[0];
    if (last === undefined) return;
    this.mem.mapShared(addr + oldLen, last.src, prot, last.srcFirst + 1, (newLen - oldLen) / TARGET_PAGE_SIZE, last.private);
  }

  /** brk semantics (mm/mmap.c): returns the new break, or the old one when the request fails. */
  doBrk(request: number): number {
    if (request < this.brkStart) return this.brk;
    const oldEnd = pageAlignUp(this.brk);
    const newEnd = pageAlignUp(request);
    if (newEnd < oldEnd) this.unmapPages(newEnd, oldEnd - newEnd);
    else if (newEnd > oldEnd) {
      // the kernel keeps one guard page between the heap and the next mapping
      if (newEnd + TARGET_PAGE_SIZE > this.layout.taskSize || !this.rangeFree(oldEnd, newEnd - oldEnd + TARGET_PAGE_SIZE)) return this.brk;
      if (!this.mayExpand(newEnd - oldEnd, true)) return this.brk;
      this.mem.map(oldEnd, newEnd - oldEnd, PROT_READ | PROT_WRITE);
    }
    this.brk = request;
    return this.brk;
  }
}

/** The part of `f` inside [lo, hi), as a list of zero or one mappings. */
function clip(f: FileMapping, lo: number, hi: number): FileMapping[] {
  const start = Math.max(f.start, lo), end = Math.min(f.end, hi);
  return start < end ? [{ ...f, start, end, offset: f.offset + (start - f.start) }] : [];
}

/** Fills `into` with the file's bytes at `offset` (what is past its end, or unreadable, stays zero). */
function readFileBytes(path: string, offset: number, into: Uint8Array): void {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    readSync(fd, into, 0, into.length, offset);
  } catch {
    // the file is gone or unreadable: zeros, as documented
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
