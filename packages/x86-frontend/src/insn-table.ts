/**
 * THE instruction table: every row of every family, compiled once at load time, and the
 * opcode index the decoder looks rows up in (map x opcode -> candidate rows, first match wins).
 */
import { compileRow, InsnRow, OpMap } from './insn-row';
import { INTEGER_ROWS } from './table-integer';
import { X87_ROWS } from './table-x87';
import { SSE_ROWS } from './table-sse';
import { VEX_ROWS } from './table-vex';

export const INSN_TABLE: readonly InsnRow[] = [...INTEGER_ROWS, ...X87_ROWS, ...SSE_ROWS, ...VEX_ROWS].map(compileRow);

export const MAP_BASE: Record<OpMap, number> = { one: 0, '0f': 256, '0f38': 512, '0f3a': 768, wait: 1024 };

/** The rows one opcode byte can decode to; with a ModRM byte, pre-filtered by ModRM.reg. */
export interface OpcodeEntry {
  readonly hasModrm: boolean;
  readonly rows: readonly InsnRow[];
  /** rows whose /digit (if any) is this ModRM.reg, in table order */
  readonly byReg: readonly (readonly InsnRow[])[];
}

/** Entries by MAP_BASE[map] + opcode; `vex` selects the VEX/EVEX-encoded rows. */
function buildIndex(vex: boolean): readonly (OpcodeEntry | undefined)[] {
  const index: InsnRow[][] = [];
  for (const r of INSN_TABLE) if ((r.vex !== undefined) === vex) (index[MAP_BASE[r.map] + r.opcode] ??= []).push(r);
  return Array.from({ length: 1280 }, (_, i) => {
    const rows = index[i];
    if (!rows) return undefined;
    const hasModrm = rows[0].hasModrm;
    if (rows.some((r) => r.hasModrm !== hasModrm)) {
      throw new Error(`insn table: rows for ${rows[0].map} ${rows[0].opcode.toString(16)} disagree on ModRM`);
    }
    const byReg = Array.from({ length: 8 }, (_, reg) => rows.filter((r) => r.reg === undefined || r.reg === reg));
    return { hasModrm, rows, byReg };
  });
}
export const OPCODE_INDEX = buildIndex(false);
export const VEX_INDEX = buildIndex(true);

/**
 * Stand-ins for VEX/EVEX encodings no row names: the decoder still gets their length right
 * (ModRM and, where the opcode map has one, an 8-bit immediate) and reports op 'AVX'.
 */
export const AVX_GENERIC: InsnRow = compileRow({ map: '0f', opcode: 0, op: 'AVX', operands: ['Vx', 'Wx'], att: '(avx)' });
export const AVX_GENERIC_IMM: InsnRow = compileRow({ map: '0f', opcode: 0, op: 'AVX', operands: ['Vx', 'Wx', 'Ib'], att: '(avx)' });
