/**
 * Bytes several mappings share (SysV shm, MAP_SHARED|MAP_ANONYMOUS, a file's page cache under its
 * MAP_SHARED mappings): each 4 KiB page exists from the first touch through any of its mappings,
 * in any address space, as shmem's pages come into the page cache on their first fault (`fill`
 * gives a new page its first bytes: a file's). `resident` is what SHM_INFO's shm_rss counts.
 * A file's pages end with the file (`size` reads it now): a page past the one holding its end is
 * no page (SIGBUS), and `cut` takes such pages from every memory mapping them (truncation).
 *
 *   const seg = new SharedPages(64 * 4096);
 *   mem.mapShared(addr, seg, PROT_READ | PROT_WRITE);   // no page allocated yet
 *   mem.write8(addr + 4096, 1);                          // seg.resident === 1
 */
import { PAGE_SIZE } from './layout';
import type { HostMemory } from './memory';

export class SharedPages {
  private readonly pages = new Map<number, Uint8Array>();
  /** The memories with a mapping of these pages (HostMemory keeps it). */
  readonly mappers = new Set<HostMemory>();

  /** `fixed` bytes, or what `size` says at each question (a file's size); a whole number of pages is mapped. */
  constructor(
    private readonly fixed: number,
    private readonly fill?: (i: number, bytes: Uint8Array) => void,
    private readonly size?: () => number,
  ) {}

  /** Bytes now: pages at or past ceil(length / PAGE_SIZE) are past the end. */
  get length(): number {
    return this.size ? this.size() : this.fixed;
  }

  /** The object now ends at `bytes`: every memory drops its pages past the page holding the end (a touch there is SIGBUS). */
  cut(bytes: number): void {
    for (const mem of this.mappers) mem.dropSharedFrom(this, Math.ceil(bytes / PAGE_SIZE));
  }

  /** Page i's bytes, allocated now if no mapping touched it yet. */
  page(i: number): Uint8Array {
    let bytes = this.pages.get(i);
    if (bytes === undefined) {
      bytes = new Uint8Array(PAGE_SIZE);
      this.fill?.(i, bytes);
      this.pages.set(i, bytes);
    }
    return bytes;
  }

  /** Page i's bytes if some mapping touched it (none allocated). */
  peek(i: number): Uint8Array | undefined {
    return this.pages.get(i);
  }

  /** Whether page i has been touched through any mapping (shmem's page cache holds it). */
  has(i: number): boolean {
    return this.pages.has(i);
  }

  /** The indices of the pages touched so far. */
  indices(): IterableIterator<number> {
    return this.pages.keys();
  }

  /** Pages touched so far. */
  get resident(): number {
    return this.pages.size;
  }
}
