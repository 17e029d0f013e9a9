/**
 * Loads and stores of the simulated host, with a small direct-mapped TLB over HostMemory's
 * pages (the page map is a Map: too slow to consult on every access). A TLB entry caches the
 * Page object only; protection and the smc mark are re-checked on every access, so mprotect
 * needs no flush; HostMemory.unmap empties the TLB through its onUnmap hook.
 *
 * Accessors take (base register, offset) and form the address themselves: an exact JS number
 * (64-bit register value, sign included) that never crosses a call boundary as a boxed double. Alignment is checked
 * first (MIPS raises the address error before the TLB), and nothing is written before every
 * check passed, so a faulting access has no effect.
 */
import { MachineTrap } from './machine-fault';
import { MemoryFault, Page, PROT_NONE, PROT_READ, PROT_WRITE, type HostMemory } from './memory';
import { PAGE_SIZE } from './layout';

const TLB_SIZE = 256;
/** Addresses at or above this are never mapped (keeps page numbers int32). */
const ADDR_LIMIT = 2 ** 43;
const OFF_MASK = PAGE_SIZE - 1;
/** Fills empty TLB slots: no access allowed, so a lookup there always takes the miss path. */
const NO_PAGE = new Page(PROT_NONE);

function unaligned(a: number, what: string): never {
  throw new MachineTrap('unaligned', `unaligned ${what} at 0x${a.toString(16)}`);
}

export class HostAccess {
  // Tags are page numbers; NaN never matches. Fast paths are small so V8 inlines them into
  // compiled blocks (the address then stays an unboxed double).
  private readonly tagR = new Float64Array(TLB_SIZE).fill(NaN);
  private readonly tagW = new Float64Array(TLB_SIZE).fill(NaN);
  private readonly pageR: Page[] = new Array<Page>(TLB_SIZE).fill(NO_PAGE);
  private readonly pageW: Page[] = new Array<Page>(TLB_SIZE).fill(NO_PAGE);

  constructor(
    readonly mem: HostMemory,
    private readonly L: Int32Array,
    private readonly H: Int32Array,
  ) {
    mem.onUnmap(() => this.flush());
  }

  /** Effective address: register base (64-bit) + disp, as an exact JS number. */
  private ea(base: number, disp: number): number {
    return this.H[base] * 4294967296 + (this.L[base] >>> 0) + disp;
  }

  /** The readable page holding a (a cached, still readable page, else the miss path). */
  private rpage(a: number): Page {
    const p = Math.floor(a / PAGE_SIZE);
    const i = p & (TLB_SIZE - 1);
    const page = this.pageR[i];
    if (this.tagR[i] === p && (page.prot & PROT_READ) !== 0) return page;
    return this.rmiss(a, p, i);
  }

  /** The writable page (not smc-marked) holding a. */
  private wpage(a: number): Page {
    const p = Math.floor(a / PAGE_SIZE);
    const i = p & (TLB_SIZE - 1);
    const page = this.pageW[i];
    if (this.tagW[i] === p && (page.prot & PROT_WRITE) !== 0 && !page.smc) return page;
    return this.wmiss(a, p, i);
  }

  private flush(): void {
    this.tagR.fill(NaN);
    this.tagW.fill(NaN);
    this.pageR.fill(NO_PAGE);
    this.pageW.fill(NO_PAGE);
  }

  private rmiss(a: number, p: number, i: number): Page {
    if (!(a >= 0 && a < ADDR_LIMIT)) throw new MemoryFault('unmapped', a, 'read');
    const page = this.mem.pageFor(a, 'read');
    this.tagR[i] = p;
    this.pageR[i] = page;
    return page;
  }

  private wmiss(a: number, p: number, i: number): Page {
    if (!(a >= 0 && a < ADDR_LIMIT)) throw new MemoryFault('unmapped', a, 'write');
    const page = this.mem.pageFor(a, 'write');
    this.tagW[i] = p;
    this.pageW[i] = page;
    return page;
  }

  lb(base: number, disp: number): number {
    const a = this.ea(base, disp);
    return this.rpage(a).view.getInt8(a & OFF_MASK);
  }
  lbu(base: number, disp: number): number {
    const a = this.ea(base, disp);
    return this.rpage(a).data[a & OFF_MASK];
  }
  lh(base: number, disp: number): number {
    const a = this.ea(base, disp);
    if ((a & 1) !== 0) unaligned(a, 'load');
    return this.rpage(a).view.getInt16(a & OFF_MASK, true);
  }
  lhu(base: number, disp: number): number {
    const a = this.ea(base, disp);
    if ((a & 1) !== 0) unaligned(a, 'load');
    return this.rpage(a).view.getUint16(a & OFF_MASK, true);
  }
  lw(base: number, disp: number): number {
    const a = this.ea(base, disp);
    if ((a & 3) !== 0) unaligned(a, 'load');
    return this.rpage(a).view.getInt32(a & OFF_MASK, true);
  }
  /** ld: writes both halves of register t. */
  ld(base: number, disp: number, t: number): void {
    const a = this.ea(base, disp);
    if ((a & 7) !== 0) unaligned(a, 'load');
    const view = this.rpage(a).view;
    const off = a & OFF_MASK;
    this.L[t] = view.getInt32(off, true);
    this.H[t] = view.getInt32(off + 4, true);
  }

  sb(base: number, disp: number, v: number): void {
    const a = this.ea(base, disp);
    this.wpage(a).data[a & OFF_MASK] = v;
  }
  sh(base: number, disp: number, v: number): void {
    const a = this.ea(base, disp);
    if ((a & 1) !== 0) unaligned(a, 'store');
    this.wpage(a).view.setInt16(a & OFF_MASK, v, true);
  }
  sw(base: number, disp: number, v: number): void {
    const a = this.ea(base, disp);
    if ((a & 3) !== 0) unaligned(a, 'store');
    this.wpage(a).view.setInt32(a & OFF_MASK, v, true);
  }
  sd(base: number, disp: number, t: number): void {
    const a = this.ea(base, disp);
    if ((a & 7) !== 0) unaligned(a, 'store');
    const view = this.wpage(a).view;
    const off = a & OFF_MASK;
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
  lwl(base: number, disp: number, t: number): void {
    const a = this.ea(base, disp);
    const view = this.rpage(a).view;
    const b = a & 3;
    const mem = view.getInt32((a - b) & OFF_MASK, true);
    const shift = 8 * (3 - b);
    const v = shift === 0 ? mem : (mem << shift) | (this.L[t] & (0xffffffff >>> (32 - shift)));
    this.L[t] = v;
    this.H[t] = v >> 31;
  }
  lwr(base: number, disp: number, t: number): void {
    const a = this.ea(base, disp);
    const view = this.rpage(a).view;
    const b = a & 3;
    const mem = view.getInt32((a - b) & OFF_MASK, true);
    const v = b === 0 ? mem : (mem >>> (8 * b)) | (this.L[t] & (0xffffffff << (32 - 8 * b)));
    this.L[t] = v;
    this.H[t] = v >> 31;
  }
  swl(base: number, disp: number, t: number): void {
    const a = this.ea(base, disp);
    const view = this.wpage(a).view;
    const b = a & 3;
    const off = (a - b) & OFF_MASK;
    const low = b === 3 ? -1 : (1 << (8 * (b + 1))) - 1; // memory bytes 0..b are replaced
    view.setInt32(off, (view.getInt32(off, true) & ~low) | ((this.L[t] >>> (8 * (3 - b))) & low), true);
  }
  swr(base: number, disp: number, t: number): void {
    const a = this.ea(base, disp);
    const view = this.wpage(a).view;
    const b = a & 3;
    const off = (a - b) & OFF_MASK;
    const keep = b === 0 ? 0 : (1 << (8 * b)) - 1; // memory bytes 0..b-1 stay
    view.setInt32(off, (view.getInt32(off, true) & keep) | (this.L[t] << (8 * b)), true);
  }
  ldl(base: number, disp: number, t: number): void {
    const a = this.ea(base, disp);
    this.mergeLoad64(a, t, true);
  }
  ldr(base: number, disp: number, t: number): void {
    const a = this.ea(base, disp);
    this.mergeLoad64(a, t, false);
  }
  sdl(base: number, disp: number, t: number): void {
    const a = this.ea(base, disp);
    this.mergeStore64(a, t, true);
  }
  sdr(base: number, disp: number, t: number): void {
    const a = this.ea(base, disp);
    this.mergeStore64(a, t, false);
  }

  private readonly bytes = new Uint8Array(8);
  private readonly bytesView = new DataView(this.bytes.buffer);

  private mergeLoad64(a: number, t: number, left: boolean): void {
    const page = this.rpage(a);
    const b = a & 7;
    const base = (a - b) & OFF_MASK;
    const r = this.bytes, rv = this.bytesView;
    rv.setInt32(0, this.L[t], true);
    rv.setInt32(4, this.H[t], true);
    if (left) for (let i = 0; i <= b; i++) r[7 - b + i] = page.data[base + i];
    else for (let i = b; i < 8; i++) r[i - b] = page.data[base + i];
    this.L[t] = rv.getInt32(0, true);
    this.H[t] = rv.getInt32(4, true);
  }

  private mergeStore64(a: number, t: number, left: boolean): void {
    const page = this.wpage(a);
    const b = a & 7;
    const base = (a - b) & OFF_MASK;
    const r = this.bytes, rv = this.bytesView;
    rv.setInt32(0, this.L[t], true);
    rv.setInt32(4, this.H[t], true);
    if (left) for (let i = 0; i <= b; i++) page.data[base + i] = r[7 - b + i];
    else for (let i = b; i < 8; i++) page.data[base + i] = r[i - b];
  }
}
