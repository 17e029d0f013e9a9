/**
 * Loads and stores of the simulated host, with a small direct-mapped TLB over HostMemory's
 * pages (the page map is a Map: too slow to consult on every access). A TLB entry caches the
 * Page object only; protection and the smc mark are re-checked on every access, so mprotect
 * needs no flush. Unmapping bumps HostMemory.generation, which empties the TLB.
 *
 * Addresses are exact JS numbers (64-bit register value, sign included). Alignment is checked
 * first (MIPS raises the address error before the TLB), and nothing is written before every
 * check passed, so a faulting access has no effect.
 */
import { MachineTrap } from './machine-fault';
import { MemoryFault, PROT_READ, PROT_WRITE, type HostMemory, type Page } from './memory';
import { PAGE_SIZE } from './layout';

const TLB_SIZE = 256;
/** Addresses at or above this are never mapped (keeps page numbers int32). */
const ADDR_LIMIT = 2 ** 43;

export class HostAccess {
  private readonly tagR = new Float64Array(TLB_SIZE).fill(NaN);
  private readonly tagW = new Float64Array(TLB_SIZE).fill(NaN);
  private readonly pageR: (Page | undefined)[] = new Array<Page | undefined>(TLB_SIZE).fill(undefined);
  private readonly pageW: (Page | undefined)[] = new Array<Page | undefined>(TLB_SIZE).fill(undefined);
  private generation: number;

  constructor(
    readonly mem: HostMemory,
    private readonly L: Int32Array,
    private readonly H: Int32Array,
  ) {
    this.generation = mem.generation;
  }

  private flushIfStale(): void {
    if (this.generation !== this.mem.generation) {
      this.tagR.fill(NaN);
      this.tagW.fill(NaN);
      this.generation = this.mem.generation;
    }
  }

  /** The readable page holding addr, or a MemoryFault. */
  private rpage(a: number): Page {
    this.flushIfStale();
    const p = Math.floor(a / PAGE_SIZE);
    const i = p & (TLB_SIZE - 1);
    if (this.tagR[i] === p) {
      const page = this.pageR[i]!;
      if ((page.prot & PROT_READ) !== 0) return page;
    }
    if (a < 0 || a >= ADDR_LIMIT) throw new MemoryFault('unmapped', a, 'read');
    const page = this.mem.pageFor(a, 'read');
    this.tagR[i] = p;
    this.pageR[i] = page;
    return page;
  }

  /** The writable (and not smc-marked) page holding addr, or a MemoryFault. */
  private wpage(a: number): Page {
    this.flushIfStale();
    const p = Math.floor(a / PAGE_SIZE);
    const i = p & (TLB_SIZE - 1);
    if (this.tagW[i] === p) {
      const page = this.pageW[i]!;
      if ((page.prot & PROT_WRITE) !== 0 && !page.smc) return page;
    }
    if (a < 0 || a >= ADDR_LIMIT) throw new MemoryFault('unmapped', a, 'write');
    const page = this.mem.pageFor(a, 'write');
    this.tagW[i] = p;
    this.pageW[i] = page;
    return page;
  }

  private static align(a: number, n: number, what: string): void {
    if ((a & (n - 1)) !== 0) throw new MachineTrap('unaligned', `unaligned ${what} at 0x${a.toString(16)}`);
  }

  lb(a: number): number {
    return this.rpage(a).view.getInt8(a & (PAGE_SIZE - 1));
  }
  lbu(a: number): number {
    return this.rpage(a).data[a & (PAGE_SIZE - 1)];
  }
  lh(a: number): number {
    HostAccess.align(a, 2, 'load');
    return this.rpage(a).view.getInt16(a & (PAGE_SIZE - 1), true);
  }
  lhu(a: number): number {
    HostAccess.align(a, 2, 'load');
    return this.rpage(a).view.getUint16(a & (PAGE_SIZE - 1), true);
  }
  lw(a: number): number {
    HostAccess.align(a, 4, 'load');
    return this.rpage(a).view.getInt32(a & (PAGE_SIZE - 1), true);
  }
  /** ld: writes both halves of register t. */
  ld(a: number, t: number): void {
    HostAccess.align(a, 8, 'load');
    const view = this.rpage(a).view;
    const off = a & (PAGE_SIZE - 1);
    this.L[t] = view.getInt32(off, true);
    this.H[t] = view.getInt32(off + 4, true);
  }

  sb(a: number, v: number): void {
    this.wpage(a).data[a & (PAGE_SIZE - 1)] = v;
  }
  sh(a: number, v: number): void {
    HostAccess.align(a, 2, 'store');
    this.wpage(a).view.setInt16(a & (PAGE_SIZE - 1), v, true);
  }
  sw(a: number, v: number): void {
    HostAccess.align(a, 4, 'store');
    this.wpage(a).view.setInt32(a & (PAGE_SIZE - 1), v, true);
  }
  sd(a: number, t: number): void {
    HostAccess.align(a, 8, 'store');
    const view = this.wpage(a).view;
    const off = a & (PAGE_SIZE - 1);
    view.setInt32(off, this.L[t], true);
    view.setInt32(off + 4, this.H[t], true);
  }

  /**
   * Unaligned loads/stores, little-endian. For an access of n = 4 or 8 bytes at address a,
   * with b = a mod n and the aligned unit at a - b:
   *   lwl/ldl: register bytes n-1-b .. n-1 <- memory bytes 0 .. b   (the unit's low end)
   *   lwr/ldr: register bytes 0 .. n-1-b   <- memory bytes b .. n-1
   *   swl/sdl and swr/sdr store the same bytes the other way.
   * 32-bit forms sign-extend the merged word (as QEMU does for lwl and lwr).
   */
  lwl(a: number, t: number): void {
    this.mergeLoad(a, t, 4, true);
  }
  lwr(a: number, t: number): void {
    this.mergeLoad(a, t, 4, false);
  }
  ldl(a: number, t: number): void {
    this.mergeLoad(a, t, 8, true);
  }
  ldr(a: number, t: number): void {
    this.mergeLoad(a, t, 8, false);
  }
  swl(a: number, t: number): void {
    this.mergeStore(a, t, 4, true);
  }
  swr(a: number, t: number): void {
    this.mergeStore(a, t, 4, false);
  }
  sdl(a: number, t: number): void {
    this.mergeStore(a, t, 8, true);
  }
  sdr(a: number, t: number): void {
    this.mergeStore(a, t, 8, false);
  }

  private readonly bytes = new Uint8Array(8);
  private readonly bytesView = new DataView(this.bytes.buffer);

  private mergeLoad(a: number, t: number, n: number, left: boolean): void {
    const page = this.rpage(a);
    const b = ((a % n) + n) % n;
    const base = (a - b) & (PAGE_SIZE - 1);
    const r = this.bytes, rv = this.bytesView;
    rv.setInt32(0, this.L[t], true);
    rv.setInt32(4, this.H[t], true);
    if (left) for (let i = 0; i <= b; i++) r[n - 1 - b + i] = page.data[base + i];
    else for (let i = b; i < n; i++) r[i - b] = page.data[base + i];
    this.L[t] = rv.getInt32(0, true);
    this.H[t] = n === 4 ? this.L[t] >> 31 : rv.getInt32(4, true);
  }

  private mergeStore(a: number, t: number, n: number, left: boolean): void {
    const page = this.wpage(a);
    const b = ((a % n) + n) % n;
    const base = (a - b) & (PAGE_SIZE - 1);
    const r = this.bytes, rv = this.bytesView;
    rv.setInt32(0, this.L[t], true);
    rv.setInt32(4, this.H[t], true);
    if (left) for (let i = 0; i <= b; i++) page.data[base + i] = r[n - 1 - b + i];
    else for (let i = b; i < n; i++) page.data[base + i] = r[i - b];
  }
}
