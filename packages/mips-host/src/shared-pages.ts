/**
 * Bytes several mappings share (SysV shm, MAP_SHARED|MAP_ANONYMOUS, a file's page cache under its
 * MAP_SHARED mappings): each 4 KiB page exists from the first touch through any of its mappings,
 * in any address space, as shmem's pages come into the page cache on their first fault (`fill`
 * gives a new page its first bytes: a file's). `resident` is what SHM_INFO's shm_rss counts.
 *
 *   const seg = new SharedPages(64 * 4096);
 *   mem.mapShared(addr, seg, PROT_READ | PROT_WRITE);   // no page allocated yet
 *   mem.write8(addr + 4096, 1);                          // seg.resident === 1
 */
import { PAGE_SIZE } from './layout';

export class SharedPages {
  private readonly pages = new Map<number, Uint8Array>();

  /** `length` bytes (a whole number of pages is mapped). */
  constructor(
    readonly length: number,
    private readonly fill?: (i: number, bytes: Uint8Array) => void,
  ) {}

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
