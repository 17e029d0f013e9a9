/**
 * Loads and stores of the simulated host, with a small direct-mapped TLB over HostMemory's
 * pages (the page map is a Map: too slow to consult on every access). A TLB entry caches the
 * Page object only; protection and the smc mark are re-checked on every access, so mprotect
 * needs no flush; HostMemory.unmap empties the TLB through its onUnmap hook.
 *
 * Accessors take (base register, displacement), so only small integers cross the call from a
 * compiled block (no boxed double per access). They work on the address's halves: the page
 * number from the register's high word plus the carry, the page offset and alignment from the
 * low word. The exact address (a JS number, sign included) is formed only for faults.
 * Alignment is checked first (MIPS raises the address error before the TLB), and nothing is
 * written before every check passed, so a faulting access has no effect.
 */
import { MachineTrap } from './machine-fault';
import { MemoryFault, Page, PROT_NONE, PROT_READ, PROT_WRITE, type HostMemory } from './memory';
import { PAGE_SHIFT, PAGE_SIZE } from './layout';

// Page.i32 is read as little-endian words: the JS host must be little-endian (x86, ARM).
if (new Uint8Array(Uint32Array.of(1).buffer)[0] !== 1) throw new Error('mips-host needs a little-endian JavaScript host');

if (PAGE_SHIFT !== 12) throw new Error('host-access.ts: pageNo assumes 4 KiB pages');
// Imported bindings are module-object property loads in the compiled CommonJS: copy the few
// used on every access into local constants.
const READ = PROT_READ;
const WRITE = PROT_WRITE;

export const TLB_SIZE = 256;
/** Addresses at or above this are never mapped: the top of an x86-64 guest's window (layout.ts). */
const ADDR_LIMIT = 2 ** 48;
const OFF_MASK = PAGE_SIZE - 1;
/** Fills empty TLB slots: no access allowed, so a lookup there always takes the miss path. */
const NO_PAGE = new Page(PROT_NONE);

/**
 * TLB slot of page number p. The regions sit at multiples of 2^32 (page numbers n << 20), so
 * plain low bits would put env, host stack and code cache all in slot 0: fold region bits in.
 * (The block compiler inlines the same lookup: tlbLookupCode.)
 */
function tlbIndex(p: number): number {
  return (p ^ (p >>> 17)) & (TLB_SIZE - 1);
}

/**
 * JavaScript for a compiled block: declares o (the low word of base + disp), x (the TLB slot)
 * and g (the Page cached there for reads, else for writes) and evaluates to whether the
 * access may go straight to g: the slot holds the page with the accesses allowed (and no smc
 * mark for a write) and `where` holds: o & where is 0 (the aligned accessors' check), or a condition on o.
 * That is what rpage/wpage check, with the displacement a literal. When false nothing was
 * done: the accessor call runs instead.
 */
export function tlbLookupCode(base: number, disp: number, access: 'r' | 'w' | 'rw', where: number | string): string {
  // the page number from the halves, as pageNo: a literal displacement knows its carry's sign
  const carry = disp === 0 ? '' : disp > 0 ? `+((L[${base}]>>>0)+${disp}>4294967295?1:0)` : `-((L[${base}]>>>0)+${disp}<0?1:0)`;
  const read = access !== 'w', write = access !== 'r';
  const checks = [typeof where === 'string' ? where : where ? `(o&${where})===0` : ''];
  // g is the read slot's page when reading, else the write slot's: no second load of it
  if (read) checks.push(`A.tagR[x]===p&&(g.prot&${READ})!==0`);
  const w = read ? 'A.pageW[x]' : 'g';
  if (write) checks.push(`A.tagW[x]===p&&(${w}.prot&${WRITE})!==0&&!${w}.smc`);
  return `const o=(L[${base}]+${disp})|0,p=(H[${base}]${carry})*1048576+(o>>>12),x=(p^(p>>>17))&${TLB_SIZE - 1},g=A.${read ? 'pageR' : 'pageW'}[x];`
    + `if(${checks.filter((c) => c).join('&&')})`;
}

function unaligned(a: number, what: string): never {
  throw new MachineTrap('unaligned', `unaligned ${what} at 0x${a.toString(16)}`);
}

export class HostAccess {
  // Tags are page numbers; NaN never matches. Read by compiled blocks (tlbLookupCode). @internal
  readonly tagR = new Float64Array(TLB_SIZE).fill(NaN);
  readonly tagW = new Float64Array(TLB_SIZE).fill(NaN);
  readonly pageR: Page[] = new Array<Page>(TLB_SIZE).fill(NO_PAGE);
  readonly pageW: Page[] = new Array<Page>(TLB_SIZE).fill(NO_PAGE);

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

  /** Page number of register base + disp, from the halves (cheaper than dividing the double). */
  private pageNo(base: number, disp: number): number {
    const s = (this.L[base] >>> 0) + disp;
    const carry = s > 0xffffffff ? 1 : s < 0 ? -1 : 0;
    // literals, not the imported PAGE_SHIFT: a module property load here costs ~10% (checked below)
    return (this.H[base] + carry) * 1048576 + (((this.L[base] + disp) | 0) >>> 12);
  }

  /** The readable page holding base + disp (a cached, still readable page, else the miss path). */
  private rpage(base: number, disp: number): Page {
    const p = this.pageNo(base, disp);
    const i = tlbIndex(p);
    const page = this.pageR[i];
    if (this.tagR[i] === p && (page.prot & READ) !== 0) return page;
    return this.rmiss(this.ea(base, disp), p, i);
  }

  /** The writable page (not smc-marked) holding base + disp. */
  private wpage(base: number, disp: number): Page {
    const p = this.pageNo(base, disp);
    const i = tlbIndex(p);
    const page = this.pageW[i];
    if (this.tagW[i] === p && (page.prot & WRITE) !== 0 && !page.smc) return page;
    return this.wmiss(this.ea(base, disp), p, i);
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
    const lo = (this.L[base] + disp) | 0;
    return this.rpage(base, disp).view.getInt8(lo & OFF_MASK);
  }
  lbu(base: number, disp: number): number {
    const lo = (this.L[base] + disp) | 0;
    return this.rpage(base, disp).data[lo & OFF_MASK];
  }
  lh(base: number, disp: number): number {
    const lo = (this.L[base] + disp) | 0;
    if ((lo & 1) !== 0) unaligned(this.ea(base, disp), 'load');
    return this.rpage(base, disp).view.getInt16(lo & OFF_MASK, true);
  }
  lhu(base: number, disp: number): number {
    const lo = (this.L[base] + disp) | 0;
    if ((lo & 1) !== 0) unaligned(this.ea(base, disp), 'load');
    return this.rpage(base, disp).view.getUint16(lo & OFF_MASK, true);
  }
  lw(base: number, disp: number): number {
    const lo = (this.L[base] + disp) | 0;
    if ((lo & 3) !== 0) unaligned(this.ea(base, disp), 'load');
    return this.rpage(base, disp).i32[(lo & OFF_MASK) >> 2];
  }
  /** ld: writes both halves of register t. */
  ld(base: number, disp: number, t: number): void {
    const lo = (this.L[base] + disp) | 0;
    if ((lo & 7) !== 0) unaligned(this.ea(base, disp), 'load');
    const words = this.rpage(base, disp).i32;
    const w = (lo & OFF_MASK) >> 2;
    this.L[t] = words[w];
    this.H[t] = words[w + 1];
  }

  sb(base: number, disp: number, v: number): void {
    const off = ((this.L[base] + disp) | 0) & OFF_MASK;
    if (off === OFF_MASK || off === 0) this.sbPageEdge(base, disp, v, off);
    else this.wpage(base, disp).data[off] = v;
  }

  /**
   * The codegen's 16-bit guest store is `sb v, off(a); srl at, v, 8; sb at, off+1(a)`. When it
   * crosses a page and the second byte faults, the first byte is put back: the x86 store is
   * all-or-nothing. A byte stored at a page's last offset is remembered (its page, old value,
   * base register and displacement); a fault of the next sb on the same base register, same
   * value, displacement + 1 (only the pair's second half has that: every other guest access
   * computes its own base) undoes it. Compiled blocks take this path at both offsets (inlineAccess).
   */
  private edgePage: Page | undefined;
  private edgeOld = 0;
  private edgeBase = -1;
  private edgeDisp = 0;
  private edgeLo = 0;
  private edgeHi = 0;
  private sbPageEdge(base: number, disp: number, v: number, off: number): void {
    const edge = this.edgePage;
    this.edgePage = undefined;
    if (off === 0) {
      if (edge === undefined || this.edgeBase !== base || this.edgeDisp !== disp - 1 || this.edgeLo !== this.L[base] || this.edgeHi !== this.H[base]) {
        this.wpage(base, disp).data[0] = v;
        return;
      }
      let page: Page;
      try {
        page = this.wpage(base, disp);
      } catch (e) {
        // an smc fault is retried at this sb (cpu-exec): the first byte stays
        if (!(e instanceof MemoryFault && e.kind === 'smc')) edge.data[OFF_MASK] = this.edgeOld;
        throw e;
      }
      page.data[0] = v;
      return;
    }
    const page = this.wpage(base, disp);
    this.edgePage = page;
    this.edgeOld = page.data[OFF_MASK];
    this.edgeBase = base;
    this.edgeDisp = disp;
    this.edgeLo = this.L[base];
    this.edgeHi = this.H[base];
    page.data[OFF_MASK] = v;
  }
  sh(base: number, disp: number, v: number): void {
    const lo = (this.L[base] + disp) | 0;
    if ((lo & 1) !== 0) unaligned(this.ea(base, disp), 'store');
    this.wpage(base, disp).view.setInt16(lo & OFF_MASK, v, true);
  }
  sw(base: number, disp: number, v: number): void {
    const lo = (this.L[base] + disp) | 0;
    if ((lo & 3) !== 0) unaligned(this.ea(base, disp), 'store');
    this.wpage(base, disp).i32[(lo & OFF_MASK) >> 2] = v;
  }
  sd(base: number, disp: number, t: number): void {
    const lo = (this.L[base] + disp) | 0;
    if ((lo & 7) !== 0) unaligned(this.ea(base, disp), 'store');
    const words = this.wpage(base, disp).i32;
    const w = (lo & OFF_MASK) >> 2;
    words[w] = this.L[t];
    words[w + 1] = this.H[t];
  }

  /**
   * Unaligned loads/stores, little-endian. For an access of n = 4 or 8 bytes at address a,
   * with b = a mod n and the aligned unit at a - b:
   *   lwl/ldl: register bytes n-1-b .. n-1 <- memory bytes 0 .. b   (the unit's low end)
   *   lwr/ldr: register bytes 0 .. n-1-b   <- memory bytes b .. n-1
   *   swl/sdl and swr/sdr store the same bytes the other way.
   * 32-bit forms sign-extend the merged word (as QEMU does for lwl and lwr).
   * A pair (lwr then lwl, swr then swl, ldr/ldl, sdr/sdl) is one access, as the x86 access it
   * translates: a lwr/swr/ldr/sdr whose bytes end a page at an address that is not unit-aligned
   * (its pair's other half lies in the next page) first checks that page allows the access, so
   * a fault there leaves both pages untouched and is reported at the next page's first byte (as
   * x86 reports it). A MIPS CPU would need a probe instruction for this; counts are unchanged.
   */
  lwl(base: number, disp: number, t: number): void {
    const lo = (this.L[base] + disp) | 0;
    const view = this.rpage(base, disp).view;
    const b = lo & 3;
    const mem = view.getInt32((lo - b) & OFF_MASK, true);
    const shift = 8 * (3 - b);
    const v = shift === 0 ? mem : (mem << shift) | (this.L[t] & (0xffffffff >>> (32 - shift)));
    this.L[t] = v;
    this.H[t] = v >> 31;
  }
  lwr(base: number, disp: number, t: number): void {
    const lo = (this.L[base] + disp) | 0;
    const view = this.rpage(base, disp).view;
    const b = lo & 3;
    if ((lo & OFF_MASK) > OFF_MASK - 3) this.rpage(base, disp + 4 - b); // the pair goes on into the next page
    const mem = view.getInt32((lo - b) & OFF_MASK, true);
    const v = b === 0 ? mem : (mem >>> (8 * b)) | (this.L[t] & (0xffffffff << (32 - 8 * b)));
    this.L[t] = v;
    this.H[t] = v >> 31;
  }
  swl(base: number, disp: number, t: number): void {
    const lo = (this.L[base] + disp) | 0;
    const view = this.wpage(base, disp).view;
    const b = lo & 3;
    const off = (lo - b) & OFF_MASK;
    const low = b === 3 ? -1 : (1 << (8 * (b + 1))) - 1; // memory bytes 0..b are replaced
    view.setInt32(off, (view.getInt32(off, true) & ~low) | ((this.L[t] >>> (8 * (3 - b))) & low), true);
  }
  swr(base: number, disp: number, t: number): void {
    const lo = (this.L[base] + disp) | 0;
    const view = this.wpage(base, disp).view;
    const b = lo & 3;
    if ((lo & OFF_MASK) > OFF_MASK - 3) this.wpage(base, disp + 4 - b); // the pair goes on into the next page
    const off = (lo - b) & OFF_MASK;
    const keep = b === 0 ? 0 : (1 << (8 * b)) - 1; // memory bytes 0..b-1 stay
    view.setInt32(off, (view.getInt32(off, true) & keep) | (this.L[t] << (8 * b)), true);
  }
  ldl(base: number, disp: number, t: number): void {
    const lo = (this.L[base] + disp) | 0;
    this.mergeLoad64(this.rpage(base, disp), lo, t, true);
  }
  ldr(base: number, disp: number, t: number): void {
    const lo = (this.L[base] + disp) | 0;
    const page = this.rpage(base, disp);
    if ((lo & OFF_MASK) > OFF_MASK - 7) this.rpage(base, disp + 8 - (lo & 7)); // the pair goes on into the next page
    this.mergeLoad64(page, lo, t, false);
  }
  sdl(base: number, disp: number, t: number): void {
    const lo = (this.L[base] + disp) | 0;
    this.mergeStore64(this.wpage(base, disp), lo, t, true);
  }
  sdr(base: number, disp: number, t: number): void {
    const lo = (this.L[base] + disp) | 0;
    const page = this.wpage(base, disp);
    if ((lo & OFF_MASK) > OFF_MASK - 7) this.wpage(base, disp + 8 - (lo & 7)); // the pair goes on into the next page
    this.mergeStore64(page, lo, t, false);
  }

  /**
   * The pair `lwr t, disp(base); lwl t, disp+3(base)` at once: the sign-extended word at
   * base + disp, if its four bytes lie in one page; false (nothing done) otherwise.
   */
  lwPair(base: number, disp: number, t: number): boolean {
    const off = ((this.L[base] + disp) | 0) & OFF_MASK;
    if (off > OFF_MASK - 3) return false;
    const page = this.rpage(base, disp);
    const v = (off & 3) === 0 ? page.i32[off >> 2] : page.view.getInt32(off, true);
    this.L[t] = v;
    this.H[t] = v >> 31;
    return true;
  }
  /** The pair `swr t, disp(base); swl t, disp+3(base)` at once, under lwPair's condition. */
  swPair(base: number, disp: number, t: number): boolean {
    const off = ((this.L[base] + disp) | 0) & OFF_MASK;
    if (off > OFF_MASK - 3) return false;
    const page = this.wpage(base, disp);
    if ((off & 3) === 0) page.i32[off >> 2] = this.L[t];
    else page.view.setInt32(off, this.L[t], true);
    return true;
  }

  private readonly bytes = new Uint8Array(8);
  private readonly bytesView = new DataView(this.bytes.buffer);

  private mergeLoad64(page: Page, lo: number, t: number, left: boolean): void {
    const b = lo & 7;
    const at = (lo - b) & OFF_MASK;
    const r = this.bytes, rv = this.bytesView;
    rv.setInt32(0, this.L[t], true);
    rv.setInt32(4, this.H[t], true);
    if (left) for (let i = 0; i <= b; i++) r[7 - b + i] = page.data[at + i];
    else for (let i = b; i < 8; i++) r[i - b] = page.data[at + i];
    this.L[t] = rv.getInt32(0, true);
    this.H[t] = rv.getInt32(4, true);
  }

  private mergeStore64(page: Page, lo: number, t: number, left: boolean): void {
    const b = lo & 7;
    const at = (lo - b) & OFF_MASK;
    const r = this.bytes, rv = this.bytesView;
    rv.setInt32(0, this.L[t], true);
    rv.setInt32(4, this.H[t], true);
    if (left) for (let i = 0; i <= b; i++) page.data[at + i] = r[7 - b + i];
    else for (let i = b; i < 8; i++) page.data[at + i] = r[i - b];
  }
}
