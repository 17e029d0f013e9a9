/**
 * ModRM/SIB/displacement -> effective-address parts, for 16-, 32- and 64-bit addressing.
 * Writes into a caller-owned EffAddr (no allocation per instruction).
 */

export interface EffAddr {
  base: number;
  index: number;
  scale: 1 | 2 | 4 | 8;
  disp: number;
  dispSize: number;
  /** default segment: SS (2) for an rSP/rBP base, else DS (3) */
  seg: number;
  rip: boolean;
  /** SIB "no index" that objdump prints as %eiz/%riz */
  eiz: boolean;
  /** REX.X / REX.B bits actually consumed (for objdump's unused-REX report) */
  rexUsed: number;
}

const SEG_SS = 2;
const SEG_DS = 3;
/** 16-bit addressing: [base, index] by ModRM.rm (bx=3, bp=5, si=6, di=7) */
const ADDR16: readonly (readonly [number, number])[] = [[3, 6], [3, 7], [5, 6], [5, 7], [6, -1], [7, -1], [5, -1], [3, -1]];

function s32(code: Uint8Array, p: number): number {
  return code[p] | (code[p + 1] << 8) | (code[p + 2] << 16) | (code[p + 3] << 24);
}

/**
 * Decodes the addressing bytes after a memory ModRM (mod 0..2) starting at `pos`.
 * Returns the position after SIB and displacement, or -1 if they run past `end`.
 */
export function decodeAddress(code: Uint8Array, pos: number, end: number, mod: number, rm: number, rex: number,
  addrSize: number, mode64: boolean, ea: EffAddr): number {
  ea.index = -1;
  ea.scale = 1;
  ea.rip = false;
  ea.eiz = false;
  ea.rexUsed = 0;
  if (addrSize === 16) {
    const absolute = mod === 0 && rm === 6; // [disp16] replaces [bp]
    const base = absolute ? -1 : ADDR16[rm][0];
    const index = ADDR16[rm][1];
    const dispSize = absolute || mod === 2 ? 2 : mod === 1 ? 1 : 0;
    if (pos + dispSize > end) return -1;
    ea.base = base;
    ea.index = index;
    ea.dispSize = dispSize;
    ea.disp = dispSize === 1 ? (code[pos] << 24) >> 24 : dispSize === 2 ? ((code[pos] | (code[pos + 1] << 8)) << 16) >> 16 : 0;
    ea.seg = base === 5 ? SEG_SS : SEG_DS;
    return pos + dispSize;
  }
  let base = rm;
  let sib = false;
  let sibBase = 0;
  let scaleBits = 0;
  if (rm === 4) {
    if (pos >= end) return -1;
    const b = code[pos++];
    sib = true;
    scaleBits = b >> 6;
    sibBase = b & 7;
    const idx = ((b >> 3) & 7) | ((rex & 2) << 2);
    if (rex & 2) ea.rexUsed |= 2;
    if (idx !== 4) ea.index = idx;
    ea.scale = (1 << scaleBits) as 1 | 2 | 4 | 8;
    base = sibBase;
  }
  let dispSize = mod === 1 ? 1 : mod === 2 ? 4 : 0;
  if (mod === 0 && base === 5) {
    base = -1;
    dispSize = 4;
    if (!sib && mode64) ea.rip = true;
  } else {
    if (rex & 1) ea.rexUsed |= 1;
    base |= (rex & 1) << 3;
  }
  if (pos + dispSize > end) return -1;
  ea.base = base;
  ea.dispSize = dispSize;
  ea.disp = dispSize === 1 ? (code[pos] << 24) >> 24 : dispSize === 4 ? s32(code, pos) : 0;
  ea.seg = base === 4 || base === 5 ? SEG_SS : SEG_DS;
  // objdump shows the "no index" SIB as %eiz when it would otherwise be lost (i386-dis.c OP_E_memory)
  if (sib && ea.index < 0) ea.eiz = scaleBits !== 0 || (base >= 0 && sibBase !== 4) || (base < 0 && addrSize === 32);
  return pos + dispSize;
}

