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

/** Candidate rows by MAP_BASE[map] + opcode, in table order; `vex` selects the VEX/EVEX-encoded rows. */
function buildIndex(vex: boolean): readonly (readonly InsnRow[] | undefined)[] {
  const index: InsnRow[][] = [];
  for (const r of INSN_TABLE) if ((r.vex !== undefined) === vex) (index[MAP_BASE[r.map] + r.opcode] ??= []).push(r);
  for (const rows of index) {
    if (rows && rows.some((r) => r.hasModrm !== rows[0].hasModrm)) {
      throw new Error(`insn table: rows for ${rows[0].map} ${rows[0].opcode.toString(16)} disagree on ModRM`);
    }
  }
  return Array.from({ length: 1280 }, (_, i) => index[i]);
}
export const OPCODE_INDEX = buildIndex(false);
export const VEX_INDEX = buildIndex(true);

/**
 * Stand-ins for VEX/EVEX encodings no row names: the decoder still gets their length right
 * (ModRM and, where the opcode map has one, an 8-bit immediate) and reports op 'AVX'.
 */
export const AVX_GENERIC = compileRow({ map: '0f', opcode: 0, op: 'AVX', operands: ['Vx', 'Wx'], att: '(avx)' });
export const AVX_GENERIC_IMM = compileRow({ map: '0f', opcode: 0, op: 'AVX', operands: ['Vx', 'Wx', 'Ib'], att: '(avx)' });
