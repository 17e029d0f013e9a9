/**
 * MAP_SHARED file mappings written back to their file. Guest memory is a copy of the file's
 * bytes (mmap.ts); what the guest stored reaches the file at msync, munmap (or a mapping
 * replaced by MAP_FIXED / mremap) and process exit, page by page where the bytes differ from
 * the file's (what the kernel's dirty-page writeback would write). Other processes see the
 * stores only then, not at once as they would on Linux.
 */
import { readSync, writeSync } from 'node:fs';
import type { GuestMemory } from '@dbtlab/mips-host';
import { OpenFile } from './fd-table';
import { TARGET_PAGE_SIZE } from './layout';

interface SharedMapping {
  addr: number;
  len: number;
  file: OpenFile;
  offset: number;
}

export class SharedMappings {
  private maps: SharedMapping[] = [];

  /** A new writable shared mapping of `file` (it holds a reference to the open file). */
  add(addr: number, len: number, file: OpenFile, offset: number): void {
    file.refs++;
    this.maps.push({ addr, len, file, offset });
  }

  /** Writes back what differs in [addr, addr + len). */
  sync(mem: GuestMemory, addr: number, len: number): void {
    for (const m of this.maps) {
      const start = Math.max(addr, m.addr);
      const end = Math.min(addr + len, m.addr + m.len);
      for (let a = start; a < end; a += TARGET_PAGE_SIZE) {
        const n = Math.min(TARGET_PAGE_SIZE, end - a);
        const page = mem.page(a);
        if (!page) continue;
        const bytes = page.data.subarray(a % TARGET_PAGE_SIZE, (a % TARGET_PAGE_SIZE) + n);
        const at = m.offset + (a - m.addr);
        const onDisk = new Uint8Array(n);
        const got = readSync(m.file.hostFd, onDisk, 0, n, at);
        // beyond the end of the file nothing is written back (the file does not grow)
        if (got === 0) continue;
        if (!Buffer.from(bytes.subarray(0, got)).equals(Buffer.from(onDisk.subarray(0, got)))) writeSync(m.file.hostFd, bytes, 0, got, at);
      }
    }
  }

  /** The range stops being mapped: written back, then forgotten (mappings split as needed). */
  unmap(mem: GuestMemory, addr: number, len: number): void {
    if (this.maps.length === 0) return;
    this.sync(mem, addr, len);
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
      m.file.refs += pieces - 1;
      if (m.file.refs === 0) m.file.release();
    }
    this.maps = next;
  }

  /** Process exit: everything written back. */
  flushAll(mem: GuestMemory): void {
    for (const m of [...this.maps]) this.unmap(mem, m.addr, m.len);
  }
}
