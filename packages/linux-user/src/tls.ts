/**
 * The three TLS descriptors of the GDT that set_thread_area manages (GDT_ENTRY_TLS_MIN = 12
 * on an x86-64 kernel), as struct user_desc describes them. glibc asks for entry -1, gets
 * 12 back and loads selector (12 << 3) | 3 = 0x63 into %gs; the runtime then asks
 * segmentBaseForSelector for the base to use; `descriptor` gives the whole GDT as lar, lsl,
 * verr, verw, segment loads and far transfers read it (x86-semantics judges the entry).
 */
import { GuestMemory } from '@dbtlab/mips-host';
import type { Descriptor } from '@dbtlab/x86-semantics';
import { EINVAL, ENOSYS, ESRCH } from './errno';

export const GDT_ENTRY_TLS_MIN = 12;
export const GDT_ENTRY_TLS_ENTRIES = 3;
export const USER_DESC_SIZE = 16;

/** A TLS entry as set_thread_area accepted it (tls_desc_okay: a present 32-bit data segment). */
interface TlsDescriptor {
  base: number;
  limit: number;
  flags: number;
}

/**
 * The rest of an x86-64 kernel's GDT (segment.h: GDT_ENTRY_INIT's flags; 8-9 the TSS, 10-11
 * the LDT's system descriptor, which lar/lsl do not accept from CPL 3): the bases
 * of the kernel's entries are not modelled (no check at CPL 3 reaches them: DPL 0).
 */
const GDT_ENTRIES = 16;
const gdtEntry = (flags: number, limit: number): Descriptor => [limit & 0xffff, ((flags & 0xf0ff) << 8) | (limit & 0xf0000)];
const GDT_FIXED: Readonly<Record<number, Descriptor>> = {
  1: gdtEntry(0xc09b, 0xfffff), // KERNEL32_CS
  2: gdtEntry(0xa09b, 0xfffff), // KERNEL_CS
  3: gdtEntry(0xc093, 0xfffff), // KERNEL_DS
  4: gdtEntry(0xc0fb, 0xfffff), // USER32_CS: 0x23
  5: gdtEntry(0xc0f3, 0xfffff), // USER_DS: 0x2b
  6: gdtEntry(0xa0fb, 0xfffff), // USER_CS (64-bit): 0x33
  8: gdtEntry(0x008b, 0x4087), // the TSS (busy, limit as Linux 6.1 sets it)
  15: gdtEntry(0x40f5, 0), // CPUNODE: limit = node << 12 | cpu (cpu 0, node 0)
};

/** user_desc.flags bits. */
const READ_EXEC_ONLY = 1 << 3;
const SEG_NOT_PRESENT = 1 << 5;
const CONTENTS_MASK = 3 << 1;
const SEG_32BIT = 1 << 0;
const LIMIT_IN_PAGES = 1 << 4;
const USEABLE = 1 << 6;

/** The descriptor fill_ldt builds from a user_desc (accessed bit set, DPL 3). */
export function tlsDescriptor({ base, limit, flags }: TlsDescriptor): Descriptor {
  const type = ((flags & READ_EXEC_ONLY ? 0 : 1) << 1) | (((flags & CONTENTS_MASK) >> 1) << 2) | 1;
  const hi = ((base >>> 16) & 0xff) | (type << 8) | (1 << 12) | (3 << 13) | (flags & SEG_NOT_PRESENT ? 0 : 1 << 15) |
    (limit & 0xf0000) | (flags & USEABLE ? 1 << 20 : 0) | (flags & SEG_32BIT ? 1 << 22 : 0) | (flags & LIMIT_IN_PAGES ? 1 << 23 : 0) | (base & 0xff000000);
  return [((base & 0xffff) << 16) | (limit & 0xffff), hi >>> 0];
}

/** LDT entries a process may have (LDT_ENTRIES). */
const LDT_ENTRIES = 8192;

/**
 * modify_ldt(func, ptr, bytecount) on the address space's LDT (its entries; a cleared one is all
 * zero): 0 reads the entries (zero-filled up to bytecount), 2 the default LDT (zeros), 1 and
 * 0x11 write one entry from a user_desc (1: the old mode, which clears an entry of base and
 * limit 0 and drops `useable`). Returns bytes read, 0 or -errno, as write_ldt/read_ldt do.
 */
export function modifyLdt(ldt: Descriptor[], mem: GuestMemory, func: number, ptr: number, bytecount: number): number {
  if (func === 0 || func === 2) {
    const n = Math.min(bytecount, func === 2 ? 128 : LDT_ENTRIES * 8);
    if (func === 0 && ldt.length === 0) return 0;
    const out = new Uint8Array(n);
    const v = new DataView(out.buffer);
    if (func === 0) ldt.slice(0, Math.ceil(n / 8)).forEach(([lo, hi], i) => {
      if (8 * i + 8 <= n) {
        v.setUint32(8 * i, lo, true);
        v.setUint32(8 * i + 4, hi, true);
      } else out.set(new Uint8Array(new Uint32Array([lo, hi]).buffer).subarray(0, n - 8 * i), 8 * i);
    });
    mem.writeBytes(ptr, out);
    return n;
  }
  if (func !== 1 && func !== 0x11) return -ENOSYS;
  if (bytecount !== USER_DESC_SIZE) return -EINVAL;
  const { entry, base, limit, flags: bits } = readUserDesc(mem, ptr);
  const idx = entry >>> 0;
  const oldMode = func === 1;
  if (idx >= LDT_ENTRIES) return -EINVAL;
  if ((bits & CONTENTS_MASK) === CONTENTS_MASK && (oldMode || !(bits & SEG_NOT_PRESENT))) return -EINVAL;
  // LDT_empty (read_exec_only and seg_not_present, nothing else) or, in the old mode, base and limit 0
  const empty = (base === 0 && limit === 0 && bits === (READ_EXEC_ONLY | SEG_NOT_PRESENT)) || (oldMode && base === 0 && limit === 0);
  const flags = oldMode ? bits & ~USEABLE : bits;
  while (ldt.length <= idx) ldt.push([0, 0]);
  ldt[idx] = empty ? [0, 0] : tlsDescriptor({ base, limit, flags });
  return 0;
}

/** struct user_desc as modify_ldt and set_thread_area read it (entry_number signed: -1 asks for a free one). */
function readUserDesc(mem: GuestMemory, ptr: number): { entry: number; base: number; limit: number; flags: number } {
  const raw = mem.readBytes(ptr, USER_DESC_SIZE);
  const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  // the bit fields seg_32bit .. useable: lm (bit 7) and the rest of the word mean nothing for a 32-bit task (measured in the kernel VM)
  return { entry: v.getInt32(0, true), base: v.getUint32(4, true), limit: v.getUint32(8, true), flags: v.getUint32(12, true) & 0x7f };
}

export class TlsTable {
  private readonly entries: Array<TlsDescriptor | undefined> = new Array(GDT_ENTRY_TLS_ENTRIES);

  /** A copy (fork: the child's thread keeps the parent thread's TLS descriptors). */
  clone(): TlsTable {
    const t = new TlsTable();
    this.entries.forEach((d, i) => (t.entries[i] = d && { ...d }));
    return t;
  }

  /** The base of the flat or TLS segment a selector names (LDT selectors and others: 0). */
  segmentBaseForSelector(sel: number): number {
    const idx = (sel & 0xffff) >> 3;
    if (sel & 4 || idx < GDT_ENTRY_TLS_MIN || idx >= GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES) return 0;
    return this.entries[idx - GDT_ENTRY_TLS_MIN]?.base ?? 0;
  }

  /**
   * The descriptor `sel` names as the CPU reads it at CPL 3: the GDT's fixed entries, its
   * TLS entries (a cleared one is all zero); undefined beyond the GDT's 16 entries or in the
   * LDT (none).
   */
  descriptor(sel: number): Descriptor | undefined {
    const idx = (sel & 0xffff) >> 3;
    if (sel & 4 || idx >= GDT_ENTRIES) return undefined;
    if (idx < GDT_ENTRY_TLS_MIN || idx >= GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES) return GDT_FIXED[idx] ?? [0, 0];
    const d = this.entries[idx - GDT_ENTRY_TLS_MIN];
    return d ? tlsDescriptor(d) : [0, 0];
  }

  /**
   * get_thread_area(u_info): the TLS entry u_info->entry_number names, as fill_user_desc reads it
   * back from the descriptor (a cleared entry: read_exec_only and seg_not_present); EINVAL outside
   * the three TLS entries.
   */
  getThreadArea(mem: GuestMemory, uinfo: number): number {
    const idx = mem.read32(uinfo) | 0;
    if (idx < GDT_ENTRY_TLS_MIN || idx >= GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES) return -EINVAL;
    const d = this.entries[idx - GDT_ENTRY_TLS_MIN];
    const [lo, hi] = d ? tlsDescriptor(d) : [0, 0];
    const type = (hi >>> 8) & 0xf;
    const flags = (hi >>> 22) & 1 | (((type >> 2) & 3) << 1) | (type & 2 ? 0 : READ_EXEC_ONLY) | ((hi >>> 23) & 1 ? LIMIT_IN_PAGES : 0) |
      ((hi >>> 15) & 1 ? 0 : SEG_NOT_PRESENT) | ((hi >>> 20) & 1 ? USEABLE : 0);
    const out = new Uint8Array(USER_DESC_SIZE);
    const v = new DataView(out.buffer);
    v.setUint32(0, idx, true);
    v.setUint32(4, ((lo >>> 16) | ((hi & 0xff) << 16) | (hi & 0xff000000)) >>> 0, true);
    v.setUint32(8, (lo & 0xffff) | (hi & 0xf0000), true);
    v.setUint32(12, flags, true);
    mem.writeBytes(uinfo, out);
    return 0;
  }

  /**
   * set_thread_area(u_info): returns 0 or -errno; on success the chosen entry number is
   * written back into u_info->entry_number. Returns the selector that was (re)defined.
   */
  setThreadArea(mem: GuestMemory, uinfo: number): { result: number; selector?: number } {
    const { entry, base, limit, flags } = readUserDesc(mem, uinfo);
    let idx = entry;
    // LDT_empty (read_exec_only and seg_not_present, the rest zero) or LDT_zero (all zero) clears
    // the entry; otherwise tls_desc_okay: a present 32-bit data segment only
    const empty = base === 0 && limit === 0 && (flags & ~(READ_EXEC_ONLY | SEG_NOT_PRESENT)) === 0 &&
      ((flags & (READ_EXEC_ONLY | SEG_NOT_PRESENT)) === (READ_EXEC_ONLY | SEG_NOT_PRESENT) || flags === 0);
    if (!empty && (!(flags & SEG_32BIT) || (flags & CONTENTS_MASK) >> 1 > 1 || flags & SEG_NOT_PRESENT)) return { result: -EINVAL };
    if (idx === -1) {
      idx = this.entries.findIndex((d) => !d);
      if (idx < 0) return { result: -ESRCH };
      idx += GDT_ENTRY_TLS_MIN;
      mem.write32(uinfo, idx);
    }
    if (idx < GDT_ENTRY_TLS_MIN || idx >= GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES) return { result: -EINVAL };
    this.entries[idx - GDT_ENTRY_TLS_MIN] = empty ? undefined : { base, limit, flags };
    return { result: 0, selector: (idx << 3) | 3 };
  }
}
