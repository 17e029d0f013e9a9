/**
 * MAP_SHARED file mappings of a process: each maps its file's cached pages (page-cache.ts), which
 * every mapping of the file in the run shares. What the guest stored reaches the file at msync,
 * munmap (or a mapping replaced by MAP_FIXED / mremap) and process exit, page by page where the
 * bytes differ from the file's (what the kernel's dirty-page writeback would write), through the
 * mappings whose file is open for writing.
 */
import { readSync, writeSync } from 'node:fs';
import { OpenFile } from './fd-table';
import { TARGET_PAGE_SIZE } from './layout';
import { type CachedFile, unmapFilePages } from './page-cache';

interface SharedMapping {
  addr: number;
  len: number;
  file: OpenFile;
  offset: number;
  cache: CachedFile;
  /** MAP_SHARED (a MAP_PRIVATE one only holds the cache its pages read). */
  shared: boolean;
  /** A shared mapping that may be made writable (VM_MAYWRITE: the file open for writing, no write seal then): stores go back to the file. */
  writable: boolean;
}

export class SharedMappings {
  private maps: SharedMapping[] = [];

  /** A new mapping of `file` over its cached pages (it holds a reference to the open file). */
  add(addr: number, len: number, file: OpenFile, offset: number, cache: CachedFile, shared: boolean, writable: boolean): void {
    file.refs++;
    if (writable) cache.writers++;
    this.maps.push({ addr, len, file, offset, cache, shared, writable });
  }

  /** `m`'s cache is held by n more (or fewer) mappings like it. */
  private hold(m: SharedMapping, n: number): void {
    m.cache.users += n;
    if (m.writable) m.cache.writers += n;
  }

  /** The lowest address in [addr, addr + len) of a shared mapping that may not become writable (mprotect EACCES), if any. */
  firstUnwritable(addr: number, len: number): number | undefined {
    const starts = this.maps.filter((m) => m.shared && !m.writable && m.addr < addr + len && m.addr + m.len > addr).map((m) => Math.max(m.addr, addr));
    return starts.length > 0 ? Math.min(...starts) : undefined;
  }

  /** A forked child's copy: the same mappings of the same pages. */
  forked(): SharedMappings {
    const copy = new SharedMappings();
    for (const m of this.maps) {
      m.file.refs++;
      copy.hold(m, 1);
      copy.maps.push({ ...m });
    }
    return copy;
  }

  /** Writes back what differs in [addr, addr + len). */
  sync(addr: number, len: number): void {
    for (const m of this.maps) {
      if (!m.writable) continue;
      const start = Math.max(addr, m.addr);
      const end = Math.min(addr + len, m.addr + m.len);
      for (let a = start; a < end; a += TARGET_PAGE_SIZE) {
        const at = m.offset + (a - m.addr);
        const page = m.cache.pages.peek(at / TARGET_PAGE_SIZE);
        if (!page) continue;
        const n = Math.min(TARGET_PAGE_SIZE, end - a);
        const onDisk = new Uint8Array(n);
        const got = readSync(m.file.hostFd, onDisk, 0, n, at);
        // beyond the end of the file nothing is written back (the file does not grow)
        if (got === 0) continue;
        if (!Buffer.from(page.subarray(0, got)).equals(Buffer.from(onDisk.subarray(0, got)))) writeSync(m.file.hostFd, page, 0, got, at);
      }
    }
  }

  /** The range stops being mapped: written back, then forgotten (mappings split as needed). */
  unmap(addr: number, len: number): void {
    if (this.maps.length === 0) return;
    this.sync(addr, len);
    const end = addr + len;
    const next: SharedMapping[] = [];
    for (const m of this.maps) {
      const mEnd = m.addr + m.len;
      if (mEnd <= addr || m.addr >= end) {
        next.push(m);
        continue;
      }
      if (m.addr < addr) next.push({ ...m, len: addr - m.addr });
      if (mEnd > end) next.push({ ...m, addr: end, len: mEnd - end, offset: m.offset + (end - m.addr) });
      const pieces = (m.addr < addr ? 1 : 0) + (mEnd > end ? 1 : 0);
      // the pieces left hold the cache as m did; unmapFilePages lets m's own hold go
      this.hold(m, pieces - 1);
      m.cache.users++;
      unmapFilePages(m.cache);
      m.file.refs += pieces - 1;
      if (m.file.refs === 0) m.file.release();
    }
    this.maps = next;
  }

  /**
   * mremap moved [from, from + len) to `to` (`len` the bytes kept) and made it `newLen` long: the
   * mappings there go with their pages, the last one grown over the file's following pages.
   */
  moved(from: number, len: number, to: number, newLen: number): void {
    const end = from + len;
    this.maps = this.maps.flatMap((m) => {
      const mEnd = m.addr + m.len;
      if (mEnd <= from || m.addr >= end) return [m];
      const pieces = [m.addr < from ? { ...m, len: from - m.addr } : undefined, mEnd > end ? { ...m, addr: end, len: mEnd - end, offset: m.offset + (end - m.addr) } : undefined].filter((x) => x !== undefined);
      const lo = Math.max(m.addr, from), hi = Math.min(mEnd, end);
      const grown = hi === end ? newLen - len : 0;
      pieces.push({ ...m, addr: to + lo - from, len: hi - lo + grown, offset: m.offset + (lo - m.addr) });
      m.file.refs += pieces.length - 1;
      this.hold(m, pieces.length - 1);
      return pieces;
    });
  }

  /**
   * mremap kept [from, from + len) and mapped its pages again at `to` (MREMAP_DONTUNMAP), or,
   * `len` 0, mapped `newLen` bytes of the mapping holding `from` again from there (old_size 0).
   */
  copied(from: number, len: number, to: number, newLen: number): void {
    for (const m of [...this.maps]) {
      const mEnd = m.addr + m.len;
      const lo = Math.max(m.addr, from);
      const hi = len === 0 ? lo + newLen : Math.min(mEnd, from + len);
      if (len === 0 ? from < m.addr || from >= mEnd : hi <= lo) continue;
      m.file.refs++;
      this.hold(m, 1);
      this.maps.push({ ...m, addr: to + lo - from, len: hi - lo, offset: m.offset + (lo - m.addr) });
    }
  }

  /** Process exit: everything written back. */
  flushAll(): void {
    for (const m of [...this.maps]) this.unmap(m.addr, m.len);
  }
}
