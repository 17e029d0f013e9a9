/**
 * The three TLS descriptors of the GDT that set_thread_area manages (GDT_ENTRY_TLS_MIN = 12
 * on an x86-64 kernel), as struct user_desc describes them. glibc asks for entry -1, gets
 * 12 back and loads selector (12 << 3) | 3 = 0x63 into %gs; the runtime then asks
 * segmentBaseForSelector for the base to use.
 */
import { GuestMemory } from '@dbtlab/mips-host';
import { EINVAL, ESRCH } from './errno';

export const GDT_ENTRY_TLS_MIN = 12;
export const GDT_ENTRY_TLS_ENTRIES = 3;
export const USER_DESC_SIZE = 16;

interface TlsDescriptor {
  base: number;
  limit: number;
  flags: number;
  present: boolean;
  /** cleared (LDT_empty): the descriptor is all zero */
  empty: boolean;
}

/** x86-64 GDT entries a 32-bit task can load (arch/x86/include/asm/segment.h). */
const USER32_CS = 4;
const USER_DS = 5;
const USER_CS = 6;
const CPUNODE = 15;

/** user_desc.flags bits. */
const READ_EXEC_ONLY = 1 << 3;
const SEG_NOT_PRESENT = 1 << 5;
const CONTENTS_MASK = 3 << 1;
const SEG_32BIT = 1 << 0;
const LIMIT_IN_PAGES = 1 << 4;
const USEABLE = 1 << 6;

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
    const d = this.entries[idx - GDT_ENTRY_TLS_MIN];
    return d?.present ? d.base : 0;
  }

  /**
   * Loading `sel` into segment register `seg` (0 es .. 5 gs) at CPL 3, against an x86-64
   * kernel's GDT (segment.h: 4 USER32_CS, 5 USER_DS, 6 USER_CS, 12-14 TLS, 15 CPUNODE; the
   * others are the kernel's or system descriptors; no LDT): the segment's base, or the
   * exception the CPU raises, 'gp' (#GP: SIGSEGV) or 'np' (#NP, not present: SIGBUS).
   */
  loadSegment(seg: number, sel: number): number | 'gp' | 'np' {
    const idx = (sel & 0xffff) >> 3;
    const ss = seg === 2;
    if (sel & 4) return 'gp';
    if (idx === 0) return ss ? 'gp' : 0; // the null selector: data registers only
    if (ss && (sel & 3) !== 3) return 'gp';
    if (idx === USER_DS) return 0;
    if (idx === USER32_CS || idx === USER_CS || idx === CPUNODE) return ss ? 'gp' : 0; // readable code, read-only data
    if (idx < GDT_ENTRY_TLS_MIN || idx >= GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES) return 'gp';
    const d = this.entries[idx - GDT_ENTRY_TLS_MIN];
    if (!d || d.empty) return 'gp'; // an all-zero descriptor is a system descriptor
    const code = (d.flags & CONTENTS_MASK) >> 1 >= 2;
    const readOnly = (d.flags & READ_EXEC_ONLY) !== 0;
    if (code ? readOnly || ss : ss && readOnly) return 'gp';
    return d.present ? d.base : 'np';
  }

  /**
   * set_thread_area(u_info): returns 0 or -errno; on success the chosen entry number is
   * written back into u_info->entry_number. Returns the selector that was (re)defined.
   */
  setThreadArea(mem: GuestMemory, uinfo: number): { result: number; selector?: number } {
    const raw = mem.readBytes(uinfo, USER_DESC_SIZE);
    const v = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    let idx = v.getInt32(0, true);
    const base = v.getUint32(4, true);
    const limit = v.getUint32(8, true);
    const flags = v.getUint32(12, true);
    if (idx === -1) {
      idx = this.entries.findIndex((d) => !d?.present);
      if (idx < 0) return { result: -ESRCH };
      idx += GDT_ENTRY_TLS_MIN;
      mem.write32(uinfo, idx);
    }
    if (idx < GDT_ENTRY_TLS_MIN || idx >= GDT_ENTRY_TLS_MIN + GDT_ENTRY_TLS_ENTRIES) return { result: -EINVAL };
    // LDT_empty: the all-zero descriptor with read_exec_only and seg_not_present clears the entry
    const empty = base === 0 && limit === 0 && (flags & (CONTENTS_MASK | SEG_32BIT | LIMIT_IN_PAGES | USEABLE)) === 0 && (flags & READ_EXEC_ONLY) !== 0 && (flags & SEG_NOT_PRESENT) !== 0;
    this.entries[idx - GDT_ENTRY_TLS_MIN] = { base, limit, flags, present: !empty && (flags & SEG_NOT_PRESENT) === 0, empty };
    return { result: 0, selector: (idx << 3) | 3 };
  }
}
