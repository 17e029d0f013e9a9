/**
 * Segment descriptors as the CPU judges them at CPL 3 in compatibility mode (a 32-bit
 * process under an x86-64 kernel): lar, lsl, verr, verw, and the code-segment load of a far
 * jmp/call/ret or iret. The OS owns the descriptor tables (GuestOs.descriptor gives one
 * entry's two words); these are the SDM's checks on it.
 */

import { FLAT_BOUNDS, NULL_BOUNDS, type SegmentBounds } from '@dbtlab/x86-frontend';

/** A descriptor's two 32-bit words as they sit in the GDT or LDT. */
export type Descriptor = readonly [low: number, high: number];

const CPL = 3;
const S = 1 << 12; // code or data (0: system)
const P = 1 << 15;
const L = 1 << 21; // 64-bit code
const DB = 1 << 22;
const G = 1 << 23;
const CODE = 1 << 11;
const CONFORMING = 1 << 10; // code
const READABLE = 1 << 9; // code; for data: writable
/** System types lar accepts in IA-32e mode (LDT, available/busy 64-bit TSS, call gate); lsl all but the gate. */
const LAR_SYSTEM_TYPES = [0x2, 0x9, 0xb, 0xc];
const LSL_SYSTEM_TYPES = [0x2, 0x9, 0xb];

export type SelectorOp = 'LAR' | 'LSL' | 'VERR' | 'VERW';
export const SELECTOR_OPS: readonly SelectorOp[] = ['LAR', 'LSL', 'VERR', 'VERW'];

const dpl = (hi: number) => (hi >>> 13) & 3;
const type = (hi: number) => (hi >>> 8) & 0xf;
const isConformingCode = (hi: number) => (hi & (S | CODE | CONFORMING)) === (S | CODE | CONFORMING);

/** The segment limit in bytes - 1, with the granularity bit applied. */
export function descriptorLimit([lo, hi]: Descriptor): number {
  const raw = (hi & 0xf0000) | (lo & 0xffff);
  return (hi & G ? raw * 0x1000 + 0xfff : raw) >>> 0;
}

/** The segment base. */
export function descriptorBase([lo, hi]: Descriptor): number {
  return ((hi & 0xff000000) | ((hi & 0xff) << 16) | (lo >>> 16)) >>> 0;
}

/**
 * lar/lsl/verr/verw of `sel` naming `desc` (undefined: the null selector or beyond the
 * table's limit): ZF, and for lar/lsl the 32-bit result (lar: the high word masked 0x00ffff00,
 * access rights and limit bits 19:16, which the SDM leaves undefined and the CPU returns, as native
 * lar of a flat user segment gives 00cffb00; the caller narrows a 16-bit operand).
 */
export function selectorAccess(op: SelectorOp, sel: number, desc: Descriptor | undefined): { zf: boolean; value: number } {
  const fail = { zf: false, value: 0 };
  if (!desc || (sel & 0xfffc) === 0) return fail;
  const hi = desc[1];
  // no privilege check for a conforming code segment; otherwise DPL >= max(CPL, RPL)
  const privileged = !isConformingCode(hi) && dpl(hi) < Math.max(CPL, sel & 3);
  if (!(hi & S)) {
    const ok = (op === 'LAR' ? LAR_SYSTEM_TYPES : op === 'LSL' ? LSL_SYSTEM_TYPES : []).includes(type(hi));
    if (!ok || privileged) return fail;
  } else if (privileged) return fail;
  switch (op) {
    case 'LAR':
      return { zf: true, value: (hi & 0x00ffff00) >>> 0 };
    case 'LSL':
      return { zf: true, value: descriptorLimit(desc) };
    case 'VERR':
      return { zf: !(hi & CODE) || (hi & READABLE) !== 0, value: 0 };
    case 'VERW':
      return { zf: !(hi & CODE) && (hi & READABLE) !== 0, value: 0 };
  }
}

/**
 * mov/pop/lds.. of `sel` into data segment register `seg` (0 es, 2 ss, 3 ds, 4 fs, 5 gs) at
 * CPL 3: 'ok', #GP or #NP. The null selector loads into all but %ss.
 */
export function dataSegmentLoad(seg: number, sel: number, desc: Descriptor | undefined): 'ok' | 'gp' | 'np' {
  if ((sel & 0xfffc) === 0 && !(sel & 4)) return seg === 2 ? 'gp' : 'ok';
  if (!desc) return 'gp';
  const hi = desc[1];
  if (!(hi & S)) return 'gp';
  if (seg === 2) {
    // a writable data segment with RPL = DPL = CPL
    if (hi & CODE || !(hi & READABLE) || (sel & 3) !== CPL || dpl(hi) !== CPL) return 'gp';
  } else if ((hi & CODE && !(hi & READABLE)) || (!isConformingCode(hi) && dpl(hi) < Math.max(CPL, sel & 3))) return 'gp';
  return hi & P ? 'ok' : 'np';
}

/**
 * The code-segment load of a far jmp/call (RPL forced to CPL by the caller) or a far
 * ret/iret (RPL as popped) at CPL 3 in a `mode`-bit process: 'ok', #GP, #NP, or why dbtlab
 * cannot run the target (a code segment of the other mode: one mode per process). A 32-bit
 * process runs 32- and 16-bit code segments with any base (segmentIs16 tells which).
 */
export function codeSegmentLoad(sel: number, desc: Descriptor | undefined, mode: 32 | 64 = 32): 'ok' | 'gp' | 'np' | { unsupported: string } {
  if (!desc || (sel & 0xfffc) === 0 || (sel & 3) !== CPL) return 'gp';
  const hi = desc[1];
  if ((hi & (S | CODE)) !== (S | CODE)) return 'gp';
  if (isConformingCode(hi) ? dpl(hi) > CPL : dpl(hi) !== CPL) return 'gp';
  if (!(hi & P)) return 'np';
  const selector = `0x${sel.toString(16)}`;
  if (mode === 64) return hi & L ? 'ok' : { unsupported: `a far transfer from 64-bit code to the ${hi & DB ? '32' : '16'}-bit code segment ${selector}` };
  if (hi & L) return { unsupported: `a far transfer to the 64-bit code segment ${selector}` };
  return 'ok';
}

/** An exception of the CPU's own: its vector (#NP 11, #SS 12, #GP 13) and error code. */
export interface SegmentFault {
  vector: 11 | 12 | 13;
  err: number;
}

/** A selector error code: the selector without its RPL (0 for the GDT's null selector). */
const selectorError = (sel: number): number => ((sel & 0xfffc) === 0 && !(sel & 4) ? 0 : sel & 0xfffc);

/**
 * The checks of an iret in IA-32e mode returning to CPL 3 in a 32-bit process: %cs first (#GP,
 * #NP), then %ss (#GP, #SS for a not-present one). Undefined when the CPU takes both; a 64-bit
 * %cs also counts as taken (dbtlab runs one mode per process, see codeSegmentLoad).
 */
export function iretToUser(cs: number, csDesc: Descriptor | undefined, ss: number, ssDesc: Descriptor | undefined): SegmentFault | undefined {
  const code = codeSegmentLoad(cs, csDesc);
  if (code === 'gp' || code === 'np') return { vector: code === 'gp' ? 13 : 11, err: selectorError(cs) };
  const stack = dataSegmentLoad(2, ss, ssDesc);
  if (stack !== 'ok') return { vector: stack === 'gp' ? 13 : 12, err: selectorError(ss) };
  return undefined;
}

const EXPAND_DOWN = 1 << 10; // data

/**
 * The offsets a data access through a segment register holding `desc` may touch and whether it
 * may write (the SDM's limit and type checks): expand-up 0..limit; expand-down limit+1 up to
 * 0xffff or, with the B bit, 0xffffffff; a code segment that is not readable has empty bounds.
 */
export function segmentBounds(desc: Descriptor | undefined): SegmentBounds {
  // no descriptor (an OS without descriptor tables) or the GDT's empty entry 0: flat
  if (!desc || !(desc[1] & S)) return FLAT_BOUNDS;
  const hi = desc[1];
  const limit = descriptorLimit(desc);
  // (a code segment is never writable: the checks refuse every write through %cs themselves)
  if (hi & CODE) return hi & READABLE ? { lo: 0, hi: limit, readOnly: false } : { lo: 1, hi: 0, readOnly: false };
  const readOnly = !(hi & READABLE);
  if (hi & EXPAND_DOWN) return { lo: (limit + 1) >>> 0, hi: hi & DB ? 0xffffffff : 0xffff, readOnly };
  return { lo: 0, hi: limit, readOnly };
}

/**
 * The bounds of data segment register `seg` after a load of `sel` (an i386 process): a null
 * selector (0..3, loadable into all but %ss) allows no access, the rest are their descriptor's.
 */
export const selectorBounds = (sel: number, desc: Descriptor | undefined): SegmentBounds => ((sel & 0xfffc) === 0 ? NULL_BOUNDS : segmentBounds(desc));

/** Bounds other than a flat writable segment's: data accesses through it need checks. */
export const limitsAccess = (b: SegmentBounds): boolean => b.lo !== 0 || b.hi !== 0xffffffff || b.readOnly;

/**
 * A segment whose D/B bit is clear: as %cs, 16-bit default operand and address size; as %ss, the
 * stack pointer is SP (it wraps at 0xffff, ESP's upper half stays).
 */
export const segmentIs16 = ([, hi]: Descriptor): boolean => (hi & (L | DB)) === 0;

/**
 * The system-register stores (sgdt, sidt, smsw, sldt, str) that CPL 3 may execute unless
 * CR4.UMIP makes them #GP; the OS gives their values (GuestOs.systemRegister).
 */
export type SystemRegisterOp = 'SGDT' | 'SIDT' | 'SMSW' | 'SLDT' | 'STR';
export const SYSTEM_REGISTER_OPS: readonly SystemRegisterOp[] = ['SGDT', 'SIDT', 'SMSW', 'SLDT', 'STR'];
