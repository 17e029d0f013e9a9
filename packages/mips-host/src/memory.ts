/**
 * Sparse host memory, allocated on first touch. A mapping only records an area (a run of pages
 * with one protection, as a VMA); a page's 4 KiB exist from the first access that reaches it
 * (load, store, loader or system-call copy), so reserved address space costs nothing: mapping
 * 3 GiB and touching a few pages holds a few pages. Each page has its protection and an `smc`
 * mark (the page holds guest code that has been translated: stores from translated code fault,
 * as QEMU user mode write-protects such pages).
 *
 * fork's copy (copyPagesTo) is copy-on-write: the child's pages share their bytes with the
 * parent's until either side writes one of them. Every write reaches a page through pageFor
 * ('write'), pokeBytes or Page.own, which give it bytes of its own first; protection and the
 * smc mark stay each page's own at once. Untouched pages are not copied: every other mapped
 * page reads as zeros wherever it is mapped (`touchedPages` lists the touched ones).
 *
 *   const mem = new HostMemory();
 *   mem.map(GUEST_BASE + 0x8048000, 0x1000, PROT_READ | PROT_EXEC);
 *   mem.write32(addr, v);            // host addresses, little-endian
 *   const guest = new GuestMemory(mem); guest.read32(0x8048000);   // guest addresses
 */
import { addMapping, removeMapping, storeReachesCode } from './code-pages';
import { guestWindow, PAGE_SIZE } from './layout';
import type { SharedPages } from './shared-pages';

export const PROT_NONE = 0;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;

export type MemoryAccess = 'read' | 'write' | 'exec';
/**
 * unmapped: no page; protection: the page's prot forbids it; smc: store to a page holding
 * translated code; bus: a shared mapping's page past the end of its object (SIGBUS, as shmem's fault).
 */
export type MemoryFaultKind = 'unmapped' | 'protection' | 'smc' | 'bus';

export class MemoryFault extends Error {
  constructor(
    readonly kind: MemoryFaultKind,
    readonly addr: number,
    readonly access: MemoryAccess,
    /** The page was present (touched before, not PROT_NONE): the #PF error code's P bit. */
    readonly present = false,
  ) {
    super(`${kind} fault: ${access} at host 0x${addr.toString(16)}`);
    this.name = 'MemoryFault';
  }
}

/** Bytes that pages of several address spaces read until one writes (a fork's copy-on-write). */
interface CowShare {
  /** Pages still sharing them. */
  pages: number;
}

export class Page {
  /** The bytes and two views of them; replaced (not written) when a shared page gets its own. */
  data: Uint8Array;
  view: DataView;
  /** Word view for aligned accesses on a little-endian JS host (the machine's fast path). */
  i32: Int32Array;
  /** Set while `data` is shared copy-on-write with pages of other address spaces. */
  private cow: CowShare | undefined = undefined;
  /** This memory's engine has translated code from the page (code-pages.ts; `smc` then is set too). */
  holdsCode = false;
  constructor(
    public prot: number,
    public smc = false,
    /** Bytes shared with other pages (SysV shm, MAP_SHARED|MAP_ANONYMOUS): a fork shares them too. */
    readonly backing?: Uint8Array,
    /** share's: this page's bytes and views (no 4 KiB buffer made only to be dropped, per page and fork). */
    sameBytesAs?: Page,
    /**
     * A MAP_PRIVATE file page not written yet: it reads the file's cached bytes (so it sees what
     * others store there) until its first write gives it a copy of its own.
     */
    public through?: Uint8Array,
  ) {
    if (sameBytesAs) {
      this.data = sameBytesAs.data;
      this.view = sameBytesAs.view;
      this.i32 = sameBytesAs.i32;
      return;
    }
    this.data = backing ?? through ?? new Uint8Array(PAGE_SIZE);
    this.view = new DataView(this.data.buffer, this.data.byteOffset, PAGE_SIZE);
    this.i32 = new Int32Array(this.data.buffer, this.data.byteOffset, PAGE_SIZE / 4);
  }

  /** A page of another address space over the same bytes, copy-on-write (shared bytes stay shared). */
  share(): Page {
    const copy = this.backing ? new Page(this.prot, this.smc, this.backing) : new Page(this.prot, this.smc, undefined, this, this.through);
    copy.holdsCode = this.holdsCode;
    if (this.backing || this.through) return copy;
    this.cow ??= { pages: 1 };
    this.cow.pages++;
    copy.cow = this.cow;
    return copy;
  }

  /** Gives the page bytes of its own (a copy, unless every other sharer is gone): call before writing `data`. */
  own(): void {
    if (this.through !== undefined) {
      // the file's bytes stay the file's: this page's stores go to a copy
      removeMapping(this);
      this.through = undefined;
      this.smc = this.holdsCode;
    } else {
      const cow = this.cow;
      if (cow === undefined) return;
      this.cow = undefined;
      if (--cow.pages === 0) return;
    }
    this.data = this.data.slice();
    this.view = new DataView(this.data.buffer);
    this.i32 = new Int32Array(this.data.buffer);
  }

  /** The page leaves its address space: its sharers no longer need to copy on its account. */
  release(): void {
    removeMapping(this);
    if (this.cow !== undefined) this.cow.pages--;
    this.cow = undefined;
  }
}

const pageIndex = (addr: number): number => Math.floor(addr / PAGE_SIZE);
const MEMO_SIZE = 64;

/** Pages first..last mapped over a SharedPages, from its page srcFirst on. */
interface SharedRange {
  first: number;
  last: number;
  src: SharedPages;
  srcFirst: number;
  /** MAP_PRIVATE of a file: each page reads the file's cached one until its first write (Page.through). */
  private: boolean;
}

/** A shared range as the OS layer sees it (mremap moves it, mincore asks it). */
export interface SharedRangeInfo {
  addr: number;
  pages: number;
  src: SharedPages;
  srcFirst: number;
  private: boolean;
}

/** Mapped pages first..last (page numbers, inclusive) with one protection. */
interface Area {
  first: number;
  last: number;
  prot: number;
  /** A stack that grows down on faults below it (VM_GROWSDOWN): never merged with an area without it. */
  growsDown: boolean;
}

/** A mapped range as the OS layer sees it: [start, end) byte addresses, prot, VM_GROWSDOWN. */
export interface MappedArea {
  start: number;
  end: number;
  prot: number;
  growsDown: boolean;
}

export class HostMemory {
  /** Touched pages. Invariant: each lies inside an area. */
  private readonly pages = new Map<number, Page>();
  /** Pages allocated so far (first touches): tells whether an access found its page present. */
  private allocated = 0;
  /** Every mapped page, as sorted, disjoint areas (adjacent ones of equal prot merged). */
  private areas: Area[] = [];
  /** The shared mappings: their untouched pages come from their SharedPages at first touch. */
  private shared: SharedRange[] = [];
  private readonly unmapHooks: (() => void)[] = [];
  /**
   * The page-fault handler's last chance for an access no area holds (a stack growing down,
   * Linux's expand_stack): true when it has mapped the page. Queries (isMapped, protAt) never call it.
   */
  onUnmappedAccess: ((addr: number) => boolean) | undefined;
  /** The engine's invalidation of its TBs over host range [addr, addr + len) (code-pages.ts). */
  onCodeWrite: ((addr: number, len: number) => void) | undefined;
  /**
   * Direct-mapped cache of `pages` (page index -> Page): the helpers read env and guest memory
   * through read32 & co. far more often than pages change, and a Map lookup per access was
   * ~10% of a run. Only unmap, mapShared and copyPagesTo (into this memory) remove or replace pages: they empty it.
   */
  private readonly memoIndex = new Float64Array(MEMO_SIZE).fill(NaN);
  private readonly memoPage: (Page | undefined)[] = new Array<Page | undefined>(MEMO_SIZE).fill(undefined);

  /** Maps [addr, addr+len) page-wise; new pages read as zeros, existing pages only change prot. */
  map(addr: number, len: number, prot: number, growsDown = false): void {
    const first = pageIndex(addr);
    const last = pageIndex(addr + Math.max(len, 1) - 1);
    this.setArea(first, last, prot, growsDown);
    for (const [, page] of this.touched(first, last)) page.prot = prot;
  }

  unmap(addr: number, len: number): void {
    const first = pageIndex(addr);
    const last = pageIndex(addr + Math.max(len, 1) - 1);
    this.cut(first, last);
    this.cutShared(first, last);
    this.drop(first, last);
    this.memoPage.fill(undefined);
    for (const hook of this.unmapHooks) hook();
  }

  /**
   * Gives back the touched pages of [addr, addr+len) that are this mapping's own (not shared):
   * they read as zeros again and are allocated at their next touch (MADV_DONTNEED on private
   * anonymous memory), so they are no longer resident.
   */
  discard(addr: number, len: number): void {
    for (const [p, page] of [...this.touched(pageIndex(addr), pageIndex(addr + Math.max(len, 1) - 1))]) if (!page.backing) {
      page.release();
      this.pages.delete(p);
    }
    this.forgetPages();
  }

  /**
   * `src` now ends before its page `end`: this memory's pages over its pages from `end` on go,
   * a private copy too (truncation unmaps even COW pages), and their translated code with them;
   * the next touch there is SIGBUS.
   */
  dropSharedFrom(src: SharedPages, end: number): void {
    for (const r of this.shared) {
      if (r.src !== src || r.srcFirst + r.last - r.first < end) continue;
      for (const [p, page] of [...this.touched(r.first + Math.max(0, end - r.srcFirst), r.last)]) {
        if (page.holdsCode) this.onCodeWrite?.(p * PAGE_SIZE, PAGE_SIZE);
        page.release();
        this.pages.delete(p);
      }
    }
    this.forgetPages();
  }

  /** Pages left the map: the memo and the machine's TLB forget them. */
  private forgetPages(): void {
    this.memoIndex.fill(NaN);
    this.memoPage.fill(undefined);
    for (const hook of this.unmapHooks) hook();
  }

  /**
   * Copies the mappings of [start, end) into `to`, and every touched page's contents, prot
   * and SMC mark: a forked child's address space. The contents are shared copy-on-write (this
   * memory's cached write access ends: its next store to such a page copies it). Returns the
   * number of pages copied.
   */
  copyPagesTo(to: HostMemory, start: number, end: number): number {
    const lo = pageIndex(start);
    const hi = pageIndex(end - 1);
    for (const a of this.areas) if (a.last >= lo && a.first <= hi) to.setArea(Math.max(a.first, lo), Math.min(a.last, hi), a.prot, a.growsDown);
    for (const r of this.shared) {
      if (r.last < lo || r.first > hi) continue;
      const first = Math.max(r.first, lo), last = Math.min(r.last, hi);
      to.cutShared(first, last);
      to.shared.push({ first, last, src: r.src, srcFirst: r.srcFirst + first - r.first, private: r.private });
      r.src.mappers.add(to);
    }
    let n = 0;
    for (const [index, page] of this.touched(lo, hi)) {
      to.pages.get(index)?.release();
      const copy = page.share();
      to.pages.set(index, copy);
      if (copy.backing || copy.through) addMapping(copy, to, index * PAGE_SIZE);
      n++;
    }
    to.memoIndex.fill(NaN);
    for (const hook of to.unmapHooks) hook();
    for (const hook of this.unmapHooks) hook();
    return n;
  }

  /**
   * Maps [addr, addr + bytes.length) over `bytes`: every process that maps the same pages sees
   * the others' stores at once, and so does a forked child. No page is allocated here: each
   * comes from `bytes` at its first touch (through any mapping). `srcFirst` and `pages` map a part of
   * them (pages srcFirst.. of `bytes`). `privately`: a MAP_PRIVATE file mapping, whose pages read
   * `bytes` until each is first written (then it is a copy of its own).
   */
  mapShared(addr: number, bytes: SharedPages, prot: number, srcFirst = 0, pages = Math.ceil(bytes.length / PAGE_SIZE) - srcFirst, privately = false): void {
    const first = pageIndex(addr);
    const last = first + pages - 1;
    this.setArea(first, last, prot);
    this.drop(first, last);
    this.cutShared(first, last);
    this.shared.push({ first, last, src: bytes, srcFirst, private: privately });
    bytes.mappers.add(this);
    for (const hook of this.unmapHooks) hook();
  }

  /**
   * The shared mappings within [addr, addr + len): where each part starts, its page count and its
   * first page in its SharedPages (mremap moves them as mappings of the same pages).
   */
  sharedRanges(addr: number, len: number): SharedRangeInfo[] {
    const first = pageIndex(addr);
    const last = pageIndex(addr + Math.max(len, 1) - 1);
    return this.shared
      .filter((r) => r.last >= first && r.first <= last)
      .map((r) => {
        const f = Math.max(r.first, first);
        return { addr: f * PAGE_SIZE, pages: Math.min(r.last, last) - f + 1, src: r.src, srcFirst: r.srcFirst + f - r.first, private: r.private };
      });
  }

  /** Calls hook after every unmap (caches of Page objects, such as the machine's TLB, flush). */
  onUnmap(hook: () => void): void {
    this.unmapHooks.push(hook);
  }

  /** Sets prot on every mapped page of the range; returns false if some page was unmapped. */
  protect(addr: number, len: number, prot: number): boolean {
    const first = pageIndex(addr);
    const last = pageIndex(addr + Math.max(len, 1) - 1);
    const covered = this.areas
      .filter((a) => a.last >= first && a.first <= last)
      .map((a) => [Math.max(a.first, first), Math.min(a.last, last), a.growsDown] as const);
    for (const [f, l, growsDown] of covered) this.setArea(f, l, prot, growsDown);
    for (const [, page] of this.touched(first, last)) page.prot = prot;
    return covered.reduce((n, [f, l]) => n + l - f + 1, 0) === last - first + 1;
  }

  /** The page holding addr (allocated now if mapped and untouched), or undefined if unmapped. */
  page(addr: number): Page | undefined {
    const p = pageIndex(addr);
    const i = (p ^ (p >>> 17)) & (MEMO_SIZE - 1);
    if (this.memoIndex[i] === p) return this.memoPage[i];
    let page = this.pages.get(p);
    if (page === undefined) {
      const area = this.areaOf(p) ?? (this.onUnmappedAccess?.(p * PAGE_SIZE) ? this.areaOf(p) : undefined);
      if (area === undefined) return undefined;
      const shared = this.shared.length === 0 ? undefined : this.shared.find((r) => p >= r.first && p <= r.last);
      const srcPage = shared && p - shared.first + shared.srcFirst;
      // past the page holding the end of the object (a file, or a mapping grown by mremap past its size): no page there
      if (shared && srcPage! * PAGE_SIZE >= shared.src.length) throw new MemoryFault('bus', addr, 'read');
      const bytes = shared?.src.page(srcPage!);
      this.pages.set(p, (page = shared?.private ? new Page(area.prot, false, undefined, undefined, bytes) : new Page(area.prot, false, bytes)));
      if (shared) addMapping(page, this, p * PAGE_SIZE);
      this.allocated++;
    }
    this.memoIndex[i] = p;
    this.memoPage[i] = page;
    return page;
  }

  isMapped(addr: number): boolean {
    return this.areaOf(pageIndex(addr)) !== undefined;
  }

  /** Protection of the page holding addr, or undefined if unmapped (touches nothing). */
  protAt(addr: number): number | undefined {
    const p = pageIndex(addr);
    return this.pages.get(p)?.prot ?? this.areaOf(p)?.prot;
  }

  /** True if no page of [addr, addr+len) is mapped. */
  isRangeFree(addr: number, len: number): boolean {
    const first = pageIndex(addr), last = pageIndex(addr + Math.max(len, 1) - 1);
    return !this.areas.some((a) => a.last >= first && a.first <= last);
  }

  /** True if every page of [addr, addr+len) is mapped. */
  isRangeMapped(addr: number, len: number): boolean {
    const first = pageIndex(addr), last = pageIndex(addr + Math.max(len, 1) - 1);
    let next = first;
    for (const a of this.areas) if (a.first <= next && a.last >= next) next = a.last + 1;
    return next > last;
  }

  /** The mapped areas inside [lo, hi), in address order: [start, end) byte addresses and prot. */
  areasIn(lo: number, hi: number): MappedArea[] {
    const first = pageIndex(lo), last = pageIndex(hi - 1);
    return this.areas
      .filter((a) => a.last >= first && a.first <= last)
      .map((a) => ({ start: Math.max(a.first, first) * PAGE_SIZE, end: (Math.min(a.last, last) + 1) * PAGE_SIZE, prot: a.prot, growsDown: a.growsDown }));
  }

  /** Bytes mapped inside [lo, hi), optionally only pages whose prot has all of `protMask`. */
  mappedBytes(lo: number, hi: number, protMask = 0): number {
    const first = pageIndex(lo), last = pageIndex(hi - 1);
    let n = 0;
    for (const a of this.areas)
      if ((a.prot & protMask) === protMask) n += Math.max(0, Math.min(a.last, last) - Math.max(a.first, first) + 1);
    return n * PAGE_SIZE;
  }

  /**
   * The highest address a with [a, a+len) free and inside [lo, hi) (page aligned), or undefined.
   * `guard` bytes below a growing-down area count as taken (its vm_start_gap).
   */
  freeGapTopDown(lo: number, hi: number, len: number, guard = 0): number | undefined {
    const n = Math.ceil(len / PAGE_SIZE);
    const guardPages = Math.ceil(guard / PAGE_SIZE);
    let top = pageIndex(hi); // first page above the candidate gap
    const bottom = Math.ceil(lo / PAGE_SIZE);
    for (let i = this.areas.length - 1; i >= -1; i--) {
      const a = this.areas[i];
      const start = a === undefined ? bottom : a.growsDown ? a.first - guardPages : a.first;
      if (a !== undefined && start >= top) continue;
      const gapFirst = Math.max(bottom, a === undefined ? bottom : a.last + 1);
      if (top - gapFirst >= n) return (top - n) * PAGE_SIZE;
      if (a === undefined) return undefined;
      top = Math.min(top, start);
      if (top <= bottom) return undefined;
    }
    return undefined;
  }

  /** The lowest address a with [a, a+len) free and inside [lo, hi) (page aligned), or undefined. */
  freeGapBottomUp(lo: number, hi: number, len: number): number | undefined {
    const n = Math.ceil(len / PAGE_SIZE);
    let first = Math.ceil(lo / PAGE_SIZE); // first page of the candidate gap
    const end = pageIndex(hi);
    for (const a of this.areas) {
      if (a.last < first) continue;
      if (a.first >= end || a.first - first >= n) break;
      first = a.last + 1;
    }
    return end - first >= n ? first * PAGE_SIZE : undefined;
  }

  /** The touched pages of [addr, addr+len), as [address, page] (the rest of the range reads as zeros). */
  *touchedPages(addr: number, len: number): Generator<[number, Page]> {
    for (const [p, page] of this.touched(pageIndex(addr), pageIndex(addr + Math.max(len, 1) - 1))) yield [p * PAGE_SIZE, page];
  }

  /** Forgets the touched pages first..last (unmapped, or replaced by a shared mapping). */
  private drop(first: number, last: number): void {
    for (const [p, page] of [...this.touched(first, last)]) {
      page.release();
      this.pages.delete(p);
    }
    this.memoIndex.fill(NaN);
  }

  /** Touched pages first..last: by probing when the range is small, else by scanning them all. */
  private *touched(first: number, last: number): Generator<[number, Page]> {
    if (last - first < this.pages.size) {
      for (let p = first; p <= last; p++) {
        const page = this.pages.get(p);
        if (page !== undefined) yield [p, page];
      }
    } else for (const [p, page] of this.pages) if (p >= first && p <= last) yield [p, page];
  }

  private areaOf(p: number): Area | undefined {
    const areas = this.areas;
    let lo = 0, hi = areas.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const a = areas[mid];
      if (p < a.first) hi = mid - 1;
      else if (p > a.last) lo = mid + 1;
      else return a;
    }
    return undefined;
  }

  /** Removes pages first..last from the areas (splitting the areas that straddle them). */
  private cut(first: number, last: number): void {
    const out: Area[] = [];
    for (const a of this.areas) {
      if (a.last < first || a.first > last) out.push(a);
      else {
        if (a.first < first) out.push({ ...a, last: first - 1 });
        if (a.last > last) out.push({ ...a, first: last + 1 });
      }
    }
    this.areas = out;
  }

  /** Removes pages first..last from the shared ranges (splitting those that straddle them). */
  private cutShared(first: number, last: number): void {
    if (this.shared.length === 0) return;
    const out: SharedRange[] = [];
    const gone = new Set<SharedPages>();
    for (const r of this.shared) {
      if (r.last < first || r.first > last) out.push(r);
      else {
        gone.add(r.src);
        if (r.first < first) out.push({ ...r, last: first - 1 });
        if (r.last > last) out.push({ ...r, first: last + 1, srcFirst: r.srcFirst + last + 1 - r.first });
      }
    }
    this.shared = out;
    for (const src of gone) if (!out.some((r) => r.src === src)) src.mappers.delete(this);
  }

  private setArea(first: number, last: number, prot: number, growsDown = false): void {
    this.cut(first, last);
    const areas = this.areas;
    let i = areas.findIndex((a) => a.first > last);
    if (i < 0) i = areas.length;
    const area: Area = { first, last, prot, growsDown };
    const before = areas[i - 1], after = areas[i];
    if (after !== undefined && after.first === last + 1 && after.prot === prot && after.growsDown === growsDown) {
      area.last = after.last;
      areas.splice(i, 1);
    }
    if (before !== undefined && before.last === first - 1 && before.prot === prot && before.growsDown === growsDown) before.last = area.last;
    else areas.splice(i, 0, area);
  }

  /** The page for an access, or a MemoryFault. */
  pageFor(addr: number, access: MemoryAccess): Page {
    const allocated = this.allocated;
    const page = this.page(addr);
    if (!page) throw new MemoryFault('unmapped', addr, access);
    const need = access === 'read' ? PROT_READ : access === 'write' ? PROT_WRITE : PROT_EXEC;
    if ((page.prot & need) === 0) {
      // Linux maps a page on its first allowed touch, never a PROT_NONE one: a faulting access leaves it absent
      const present = page.prot !== PROT_NONE && this.allocated === allocated;
      if (!present && this.allocated !== allocated) {
        page.release();
        this.pages.delete(pageIndex(addr));
        this.memoIndex.fill(NaN);
      }
      throw new MemoryFault('protection', addr, access, present);
    }
    if (access === 'write') {
      if (page.smc) throw new MemoryFault('smc', addr, access);
      page.own();
    }
    return page;
  }

  read8(addr: number): number {
    return this.pageFor(addr, 'read').data[addr & (PAGE_SIZE - 1)];
  }
  read16(addr: number): number {
    const off = addr & (PAGE_SIZE - 1);
    if (off <= PAGE_SIZE - 2) return this.pageFor(addr, 'read').view.getUint16(off, true);
    return this.read8(addr) | (this.read8(addr + 1) << 8);
  }
  read32(addr: number): number {
    const off = addr & (PAGE_SIZE - 1);
    if (off <= PAGE_SIZE - 4) return this.pageFor(addr, 'read').view.getUint32(off, true);
    return (this.read16(addr) | (this.read16(addr + 2) << 16)) >>> 0;
  }
  read64(addr: number): bigint {
    return BigInt(this.read32(addr)) | (BigInt(this.read32(addr + 4)) << 32n);
  }

  write8(addr: number, v: number): void {
    this.pageFor(addr, 'write').data[addr & (PAGE_SIZE - 1)] = v;
  }
  write16(addr: number, v: number): void {
    const off = addr & (PAGE_SIZE - 1);
    if (off <= PAGE_SIZE - 2) this.pageFor(addr, 'write').view.setUint16(off, v & 0xffff, true);
    else {
      this.checkWrite(addr, 2);
      this.write8(addr, v);
      this.write8(addr + 1, v >>> 8);
    }
  }
  write32(addr: number, v: number): void {
    const off = addr & (PAGE_SIZE - 1);
    if (off <= PAGE_SIZE - 4) this.pageFor(addr, 'write').view.setUint32(off, v >>> 0, true);
    else {
      this.checkWrite(addr, 4);
      this.write16(addr, v);
      this.write16(addr + 2, v >>> 16);
    }
  }
  write64(addr: number, v: bigint): void {
    if ((addr & (PAGE_SIZE - 1)) > PAGE_SIZE - 8) this.checkWrite(addr, 8);
    this.write32(addr, Number(v & 0xffffffffn));
    this.write32(addr + 4, Number((v >> 32n) & 0xffffffffn));
  }

  /** Copies bytes out; faults on the first unreadable page. */
  readBytes(addr: number, len: number): Uint8Array {
    const out = new Uint8Array(len);
    let done = 0;
    while (done < len) {
      const a = addr + done;
      const off = a & (PAGE_SIZE - 1);
      const n = Math.min(len - done, PAGE_SIZE - off);
      out.set(this.pageFor(a, 'read').data.subarray(off, off + n), done);
      done += n;
    }
    return out;
  }

  /**
   * Checks that len bytes at addr may be written, page by page from the lowest, so that a store
   * of several parts that faults writes nothing (x86's all-or-nothing store); the fault is at
   * the first byte that cannot be written, as x86 reports it.
   */
  checkWrite(addr: number, len: number): void {
    for (let a = addr; a < addr + len; a = a - (a & (PAGE_SIZE - 1)) + PAGE_SIZE) this.pageFor(a, 'write');
  }

  /** Copies bytes in, checking every page first so that a fault leaves memory unchanged. */
  writeBytes(addr: number, bytes: Uint8Array): void {
    this.checkWrite(addr, bytes.length);
    this.pokeBytes(addr, bytes);
  }

  /** A store reaches [addr, addr + len): the TBs of every page in it that holds code go, through whichever mapping (code-pages.ts). */
  codeStored(addr: number, len: number): void {
    for (let a = addr; a < addr + len; a = (pageIndex(a) + 1) * PAGE_SIZE) {
      const page = this.page(a);
      if (page?.smc) storeReachesCode(this, page, a, Math.min(addr + len, (pageIndex(a) + 1) * PAGE_SIZE) - a);
    }
  }

  /** Writes ignoring protection (loaders, the kernel side of a system call after its own checks). */
  pokeBytes(addr: number, bytes: Uint8Array): void {
    let done = 0;
    while (done < bytes.length) {
      const a = addr + done;
      const off = a & (PAGE_SIZE - 1);
      const n = Math.min(bytes.length - done, PAGE_SIZE - off);
      const page = this.page(a);
      if (!page) throw new MemoryFault('unmapped', a, 'write');
      page.own();
      page.data.set(bytes.subarray(done, done + n), off);
      done += n;
    }
  }
}

/**
 * The guest's view of HostMemory: guest addresses, protection as the guest sees it. An i386
 * guest's addresses wrap modulo 2^32 (GUEST_BASE's window); an x86-64 guest's are its 47-bit
 * user space (GUEST64_BASE's), and one outside it is unmapped (MemoryFault).
 * A write that lands on a page holding translated code (through any mapping of its bytes) first
 * has the runtime invalidate those TBs (HostMemory.codeStored: a system call such as read()
 * rewriting code).
 */
export class GuestMemory {
  /** Host address of guest address 0. */
  readonly base: number;
  /** Bytes of guest address space (2^32 or 2^47). */
  readonly size: number;

  constructor(
    readonly host: HostMemory,
    readonly bits: 32 | 64 = 32,
  ) {
    ({ base: this.base, size: this.size } = guestWindow(bits));
  }

  /** Host address of guest address `addr` (i386: modulo 2^32; x86-64: MemoryFault outside the 47-bit space). */
  hostAddress(addr: number, access: MemoryAccess = 'read'): number {
    if (this.bits === 32) return this.base + (addr >>> 0);
    if (!(addr >= 0 && addr < this.size)) throw new MemoryFault('unmapped', this.base + addr, access);
    return this.base + addr;
  }
  /** Guest address of host address `hostAddr` inside this guest's window. */
  guestAddress(hostAddr: number): number {
    return hostAddr - this.base;
  }

  map(addr: number, len: number, prot: number, growsDown = false): void {
    this.host.map(this.base + addr, len, prot, growsDown);
  }
  unmap(addr: number, len: number): void {
    this.host.unmap(this.base + addr, len);
  }
  mapShared(addr: number, bytes: SharedPages, prot: number, srcFirst?: number, pages?: number, privately?: boolean): void {
    this.host.mapShared(this.base + addr, bytes, prot, srcFirst, pages, privately);
  }
  sharedRanges(addr: number, len: number): SharedRangeInfo[] {
    return this.host.sharedRanges(this.base + addr, len).map((r) => ({ ...r, addr: r.addr - this.base }));
  }
  protect(addr: number, len: number, prot: number): boolean {
    return this.host.protect(this.base + addr, len, prot);
  }
  isMapped(addr: number): boolean {
    return this.inWindow(addr) && this.host.isMapped(this.hostAddress(addr));
  }
  prot(addr: number): number | undefined {
    return this.inWindow(addr) ? this.host.protAt(this.hostAddress(addr)) : undefined;
  }
  isRangeFree(addr: number, len: number): boolean {
    return this.host.isRangeFree(this.base + addr, len);
  }
  isRangeMapped(addr: number, len: number): boolean {
    return this.host.isRangeMapped(this.base + addr, len);
  }
  /** Bytes mapped in the guest's address space (only pages with all of protMask, if given). */
  mappedBytes(protMask = 0): number {
    return this.host.mappedBytes(this.base, this.base + this.size, protMask);
  }
  /** The guest's mapped areas in address order (guest addresses; adjacent areas of one prot merged). */
  areas(): MappedArea[] {
    return this.host.areasIn(this.base, this.base + this.size).map((a) => ({ ...a, start: a.start - this.base, end: a.end - this.base }));
  }
  /** Bytes mapped in [addr, addr+len). */
  mappedBytesIn(addr: number, len: number): number {
    return this.host.mappedBytes(this.base + addr, this.base + addr + len);
  }
  /** The highest guest address a with [a, a+len) free inside [lo, hi), or undefined. */
  freeGapTopDown(lo: number, hi: number, len: number, guard = 0): number | undefined {
    const a = this.host.freeGapTopDown(this.base + lo, this.base + hi, len, guard);
    return a === undefined ? undefined : a - this.base;
  }
  /** The lowest guest address a with [a, a+len) free inside [lo, hi), or undefined. */
  freeGapBottomUp(lo: number, hi: number, len: number): number | undefined {
    const a = this.host.freeGapBottomUp(this.base + lo, this.base + hi, len);
    return a === undefined ? undefined : a - this.base;
  }
  /** The touched pages of a guest range, as [guest address, page]. */
  discard(addr: number, len: number): void {
    this.host.discard(this.base + addr, len);
  }
  *touchedPages(addr: number, len: number): Generator<[number, Page]> {
    for (const [a, page] of this.host.touchedPages(this.base + addr, len)) yield [a - this.base, page];
  }
  /** The touched page holding guest address `addr`, if any. */
  page(addr: number): Page | undefined {
    return this.inWindow(addr) ? this.host.page(this.hostAddress(addr)) : undefined;
  }

  read8(addr: number): number {
    return this.host.read8(this.hostAddress(addr));
  }
  read16(addr: number): number {
    return this.host.read16(this.hostAddress(addr));
  }
  read32(addr: number): number {
    return this.host.read32(this.hostAddress(addr));
  }
  readBytes(addr: number, len: number): Uint8Array {
    return this.host.readBytes(this.hostAddress(addr), len);
  }
  /** NUL-terminated string (bytes as latin1 are not assumed: returns the raw bytes decoded as UTF-8). */
  readCString(addr: number, max = 4096): string {
    const bytes: number[] = [];
    for (let a = this.wrap(addr); bytes.length < max; a = this.wrap(a + 1)) {
      const b = this.read8(a);
      if (b === 0) break;
      bytes.push(b);
    }
    return Buffer.from(bytes).toString('utf8');
  }

  write8(addr: number, v: number): void {
    this.writeBytes(addr, Uint8Array.of(v & 0xff));
  }
  write16(addr: number, v: number): void {
    this.writeBytes(addr, Uint8Array.of(v & 0xff, (v >>> 8) & 0xff));
  }
  write32(addr: number, v: number): void {
    this.writeBytes(addr, Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff));
  }

  /** A guest-visible write (system call results): honours PROT_WRITE, reports code overwrites first. */
  writeBytes(addr: number, bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const start = this.hostAddress(addr, 'write');
    let touchesCode = false;
    for (let p = pageIndex(start); p <= pageIndex(start + bytes.length - 1); p++) {
      const page = this.host.page(p * PAGE_SIZE);
      if (!page) throw new MemoryFault('unmapped', Math.max(p * PAGE_SIZE, start), 'write');
      if ((page.prot & PROT_WRITE) === 0) throw new MemoryFault('protection', Math.max(p * PAGE_SIZE, start), 'write');
      if (page.smc) touchesCode = true;
    }
    if (touchesCode) this.host.codeStored(start, bytes.length);
    this.host.pokeBytes(start, bytes);
  }

  /** The mapping of [addr, addr + len) goes or changes: the runtime drops the TBs made from it (this mapping's only). */
  dropCode(addr: number, len: number): void {
    this.host.onCodeWrite?.(this.base + addr, len);
  }

  /** Loader writes: ignore protection (the kernel maps read-only segments with their contents). */
  pokeBytes(addr: number, bytes: Uint8Array): void {
    this.host.pokeBytes(this.hostAddress(addr, 'write'), bytes);
  }

  private inWindow(addr: number): boolean {
    return this.bits === 32 || (addr >= 0 && addr < this.size);
  }
  private wrap(addr: number): number {
    return this.bits === 32 ? addr >>> 0 : addr;
  }
}
