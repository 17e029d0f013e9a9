/**
 * objdump's AT&T mnemonic for a decoded row: the row's template expanded for this
 * instruction's sizes and condition, preceded by the prefixes objdump prints by name
 * (lock, rep/repz/repnz, and any prefix the instruction did not use: data16, addr32, cs, rex.W...).
 */
import type { InsnRow } from './insn-row';
import { CC_NAMES } from './op-info';

const SUFFIX: Record<number, string> = { 8: 'b', 16: 'w', 32: 'l', 64: 'q' };
const SEG_NAMES = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'];
export const REX_NAMES = Array.from({ length: 16 }, (_, i) =>
  i === 0 ? 'rex' : `rex.${i & 8 ? 'W' : ''}${i & 4 ? 'R' : ''}${i & 2 ? 'X' : ''}${i & 1 ? 'B' : ''}`);

function pick(alts: readonly string[], size: number): string {
  return alts[size <= 16 ? 0 : size === 32 ? 1 : 2] ?? alts[alts.length - 1];
}

/** Compare predicates objdump folds into the mnemonic, by immediate; others stay numeric. */
export const CMP_PREDICATES = {
  /** vpcmp[u]{b,w,d,q} */
  int: ['eq', 'lt', 'le', undefined, 'neq', 'nlt', 'nle'],
  /** cmpps/cmppd/cmpss/cmpsd */
  sse: ['eq', 'lt', 'le', 'unord', 'neq', 'nlt', 'nle', 'ord'],
  /** vcmpps/vcmppd/vcmpss/vcmpsd */
  avx: ['eq', 'lt', 'le', 'unord', 'neq', 'nlt', 'nle', 'ord', 'eq_uq', 'nge', 'ngt', 'false', 'neq_oq', 'ge', 'gt',
    'true', 'eq_os', 'lt_oq', 'le_oq', 'unord_s', 'neq_us', 'nlt_uq', 'nle_uq', 'ord_s', 'eq_us', 'nge_uq', 'ngt_uq',
    'false_os', 'neq_os', 'ge_oq', 'gt_oq', 'true_us'],
  /** pclmulqdq: which quadwords (immediate bits 0 and 4) */
  clmul: Object.assign(new Array<string | undefined>(18).fill(undefined), { 0: 'lqlq', 1: 'hqlq', 16: 'lqhq', 17: 'hqhq' }),
} as const satisfies Record<string, readonly (string | undefined)[]>;

/** The predicate name for a row's immediate, or undefined when objdump prints the immediate. */
export function cmpPredicate(row: InsnRow, imm8: number): string | undefined {
  return row.immPredicate ? (CMP_PREDICATES[row.immPredicate] as readonly (string | undefined)[])[imm8] : undefined;
}

/**
 * Expands a row's AT&T template. `sizingReg`: a register operand already shows the size;
 * `imm8`: the instruction's 8-bit immediate, for %M; `vexMemBits`: the vector width when a VEX
 * instruction reads memory (else 0), for %X.
 */
export function expandAtt(row: InsnRow, opSize: number, addrSize: number, mode: number, cond: number, sizingReg: boolean,
  imm8: number, vexMemBits: number): string {
  if (row.attPlain !== undefined) return row.attPlain;
  let s = '';
  for (const p of row.attParts) {
    switch (p.kind) {
      case 0: s += p.text; break;
      case 1: if (!sizingReg) s += SUFFIX[opSize]; break;
      case 2: s += SUFFIX[opSize]; break;
      case 3: {
        const dflt = mode === 64 && row.size64 !== undefined ? 64 : 32;
        if (!sizingReg && opSize !== dflt) s += SUFFIX[opSize];
        break;
      }
      case 4: s += CC_NAMES[cond]; break;
      case 5: s += pick(p.alts, opSize); break;
      case 7: s += cmpPredicate(row, imm8) ?? (row.immPredicate === 'clmul' ? 'q' : ''); break; // pclmulqdq $imm
      case 8: if (!sizingReg && mode === 64) s += SUFFIX[opSize]; break;
      case 9: if (vexMemBits) s += vexMemBits === 128 ? 'x' : 'y'; break;
      default: s += pick(p.alts, addrSize);
    }
  }
  return s;
}

/** What the decoded instruction consumed, for deciding which prefixes objdump prints. */
export interface PrefixUse {
  mode: number;
  row: InsnRow;
  /** position of the last 66 / 67 / segment / F2-F3 / REX prefix byte, -1 if none */
  last66: number;
  last67: number;
  lastSeg: number;
  lastRep: number;
  lastRex: number;
  used66: boolean;
  used67: boolean;
  usedSeg: boolean;
  /** the last segment prefix is 3E on a near indirect branch: CET notrack */
  notrack: boolean;
  /** HLE: F2/F3 read as xacquire/xrelease (1: locked op, 2: xchg with memory, 3: mov to memory, F3 only) */
  hle: number;
  /** the last F2/F3 was a mandatory prefix */
  repConsumed: boolean;
  /** the REX byte as far as it was used: 0x40 | the W R X B bits consumed, or 0 if unused */
  rexUsed: number;
}

const BRANCHES = new Set(['jump', 'jcc', 'call', 'ret', 'jump-indirect', 'call-indirect']);

/** The prefix words objdump prints before the mnemonic, each followed by a space. */
export function prefixWords(code: Uint8Array, start: number, end: number, u: PrefixUse): string {
  let s = '';
  for (let p = start; p < end; p++) {
    const b = code[p];
    let w: string | undefined;
    if (u.mode === 64 && (b & 0xf0) === 0x40) {
      if (p !== u.lastRex || b !== u.rexUsed) w = REX_NAMES[b & 15];
    } else if (b === 0x66) {
      if (p !== u.last66 || !u.used66) w = 'data16';
    } else if (b === 0x67) {
      if (p !== u.last67 || !u.used67) w = u.mode === 64 ? 'addr32' : 'addr16';
    } else if (b === 0xf0) {
      w = 'lock';
    } else if (b === 0xf2 || b === 0xf3) {
      if (p !== u.lastRep || !u.repConsumed) {
        if (b === 0xf3) w = u.hle ? 'xrelease' : p === u.lastRep && u.row.rep === 'rep' ? 'rep' : 'repz';
        else w = u.hle === 1 || u.hle === 2 ? 'xacquire' : BRANCHES.has(u.row.cf ?? 'next') ? 'bnd' : 'repnz';
      }
    } else if (p === u.lastSeg && u.notrack) {
      w = 'notrack';
    } else if (p !== u.lastSeg || !u.usedSeg) {
      w = SEG_OF_PREFIX[b] !== undefined ? SEG_NAMES[SEG_OF_PREFIX[b]] : undefined;
    }
    if (w !== undefined) s += w + ' ';
  }
  return s;
}

export const SEG_OF_PREFIX: Record<number, number | undefined> = { 0x26: 0, 0x2e: 1, 0x36: 2, 0x3e: 3, 0x64: 4, 0x65: 5 };
