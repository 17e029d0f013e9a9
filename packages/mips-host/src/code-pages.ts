/**
 * Which pages hold translated code, and the stores that must reach it. A page an engine has
 * translated from (`holdsCode`) is marked `smc`, so translated stores to it fault and system
 * calls writing it report the write first (QEMU user mode's page_protect). Shared bytes (SysV
 * shm, MAP_SHARED|MAP_ANONYMOUS) are one physical page under several mappings, in one address
 * space or several: a store through any of them changes the code, as on a CPU whose caches are
 * coherent (QEMU's system mode keys TBs by physical page; its user mode misses a store through
 * another mapping). So every mapping of such bytes is marked while any of them holds code, and a
 * store through one invalidates the TBs of all (`codeStored`). A MAP_PRIVATE file page not written
 * yet (Page.through) reads the file's cached bytes: a store to them drops its TBs too, but its
 * own first store makes it a copy, so it is marked for its own code only.
 *
 *   markCode(page);                    // an engine translated from page
 *   host.codeStored(hostAddr, len);    // a store reaches [hostAddr, +len): every mapping's TBs go
 *   unmarkCode(page);                  // the engine holds no TB from page any more
 */
import type { HostMemory, Page } from './memory';

/** Where a Page over shared bytes is mapped: its memory and host address. */
interface Site {
  host: HostMemory;
  addr: number;
}

/** Every Page over each shared page's bytes, in every memory. */
const mappings = new WeakMap<Uint8Array, Map<Page, Site>>();

/** The mappings of shared bytes (none for a page of its own). */
export function mappingsOf(page: Page): ReadonlyMap<Page, Site> | undefined {
  const bytes = page.backing ?? page.through;
  return bytes && mappings.get(bytes);
}

/** A new Page over shared bytes at `addr` of `host`: marked if another mapping holds code (and stores through it reach that code). */
export function addMapping(page: Page, host: HostMemory, addr: number): void {
  const bytes = (page.backing ?? page.through)!;
  let m = mappings.get(bytes);
  if (!m) mappings.set(bytes, (m = new Map()));
  m.set(page, { host, addr });
  if (page.backing) page.smc ||= [...m.keys()].some((p) => p.holdsCode);
}

/** The Page left its memory (or, a private one, got bytes of its own). */
export function removeMapping(page: Page): void {
  const bytes = page.backing ?? page.through;
  if (bytes) mappings.get(bytes)?.delete(page);
}

/** page holds translated code: stores through it, or through any other shared mapping of its bytes, fault. */
export function markCode(page: Page): void {
  page.holdsCode = true;
  page.smc = true;
  for (const p of mappingsOf(page)?.keys() ?? []) if (p.backing) p.smc = true;
}

/** page holds no translated code any more: its mappings stay marked while another holds some. */
export function unmarkCode(page: Page): void {
  page.holdsCode = false;
  const all = mappingsOf(page);
  if (!all) {
    page.smc = false;
    return;
  }
  const marked = [...all.keys()].some((p) => p.holdsCode);
  for (const p of all.keys()) p.smc = p.backing ? marked : p.holdsCode;
  page.smc = page.backing ? marked : false;
}

/**
 * A store reaches [addr, addr + len) of `host` (within one page): the engines of every
 * mapping of the page's bytes that holds code drop their TBs over the same offsets. A memory
 * whose engine is gone has none to drop.
 */
export function storeReachesCode(host: HostMemory, page: Page, addr: number, len: number): void {
  const others = page.backing && mappingsOf(page);
  if (!others) {
    host.onCodeWrite?.(addr, len);
    return;
  }
  sharedBytesStored(page.backing!, addr % page.data.length, len);
}

/** A store reached shared bytes [offset, offset + len) from outside any mapping (a write to the file they cache): every mapping's TBs there go. */
export function sharedBytesStored(bytes: Uint8Array, offset: number, len: number): void {
  for (const [p, site] of [...(mappings.get(bytes) ?? [])]) {
    if (!p.holdsCode) continue;
    if (site.host.onCodeWrite) site.host.onCodeWrite(site.addr + offset, len);
    else unmarkCode(p);
  }
}
