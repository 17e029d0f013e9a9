/**
 * The reference engine: decodes and executes one instruction at a time, each through a
 * function built once per table row from its semantic body (fields passed as arguments).
 * The block compiler splices the same bodies; the two must count identically.
 */
import { ALU64 } from './alu64';
import { KIND, countWord } from './counters';
import {
  bitfieldOperands, bitfieldValid, branchTarget, decodeInsn, fieldRd, fieldRs, fieldRt, fieldSa,
  fieldSimm, fieldUimm, jumpTarget,
} from './decode';
import type { HostAccess } from './host-access';
import type { MipsMachine } from './machine';
import { MIPS_INSNS, type MipsInsn, type MipsInsnName } from './mips-insn-table';
import { SEMANTICS, SEMANTIC_PARAMS } from './semantics';

type SemanticFn = (
  L: Int32Array, H: Int32Array, A: HostAccess, X: typeof ALU64,
  rs: number, rt: number, rd: number, sa: number, imm: number, uimm: number, pos: number, size: number,
) => unknown;

/** Per row: its body as a function (for branches: the condition, returning a boolean). */
const ROW_FNS = new Map<MipsInsn, SemanticFn>(
  MIPS_INSNS.map((insn) => {
    const body = SEMANTICS[insn.name as MipsInsnName];
    const code = insn.branch ? `return ${body};` : body;
    return [insn, new Function(...SEMANTIC_PARAMS, code) as SemanticFn];
  }),
);

/** The row for w, or undefined when w is reserved (no row, or an undefined bit-field encoding). */
function validInsn(w: number): MipsInsn | undefined {
  const insn = decodeInsn(w);
  if (insn?.bitfield) {
    const { pos, size } = bitfieldOperands(insn, w);
    if (!bitfieldValid(insn, pos, size)) return undefined;
  }
  return insn;
}

function execute(insn: MipsInsn, w: number, L: Int32Array, H: Int32Array, A: HostAccess): unknown {
  const bf = insn.bitfield ? bitfieldOperands(insn, w) : undefined;
  return ROW_FNS.get(insn)!(
    L, H, A, ALU64, fieldRs(w), fieldRt(w), fieldRd(w), fieldSa(w), fieldSimm(w), fieldUimm(w),
    bf?.pos ?? 0, bf?.size ?? 0,
  );
}

/** Runs from pc until control reaches RUN_RETURN_ADDR; faults are thrown as MachineFault. */
export function interpret(m: MipsMachine, entry: number): void {
  const { gprLo: L, gprHi: H, access: A, counters: C } = m;
  let pc = entry;
  for (;;) {
    const tag = m.tagAt(pc);
    if (tag < 0) throw m.fault('bad-jump', pc, 0, false, `no code at 0x${pc.toString(16)}`);
    const w = m.wordAt(pc);
    const insn = validInsn(w);
    if (!insn) throw m.fault('reserved-instruction', pc, w, false, 'reserved instruction');

    if (!insn.branch) {
      try {
        execute(insn, w, L, H, A);
      } catch (e) {
        throw m.convertFault(e, pc, w, false);
      }
      L[0] = 0;
      H[0] = 0;
      countWord(C, KIND[insn.kind], tag);
      pc += 4;
      continue;
    }

    // A branch: condition and target are read before the delay slot runs; the link is written first.
    const rs = fieldRs(w);
    const taken = execute(insn, w, L, H, A) as boolean;
    const target = !taken ? -1
      : insn.branch === 'rel' ? branchTarget(pc, w)
      : insn.branch === 'abs' ? jumpTarget(pc, w)
      : H[rs] * 4294967296 + (L[rs] >>> 0);
    const link = insn.link === 'ra' ? 31 : insn.link === 'rd' ? fieldRd(w) : 0;
    if (link !== 0) {
      L[link] = (pc + 8) % 4294967296;
      H[link] = Math.floor((pc + 8) / 4294967296);
    }
    countWord(C, KIND.branch, tag);

    const slotPc = pc + 4;
    const slotTag = m.tagAt(slotPc);
    if (slotTag < 0) throw m.fault('bad-jump', pc, 0, true, `no code at 0x${slotPc.toString(16)}`);
    const sw = m.wordAt(slotPc);
    const slot = validInsn(sw);
    if (!slot || slot.branch) throw m.fault('reserved-instruction', pc, sw, true, slot ? 'branch in a delay slot' : 'reserved instruction');
    try {
      execute(slot, sw, L, H, A);
    } catch (e) {
      throw m.convertFault(e, pc, sw, true);
    }
    L[0] = 0;
    H[0] = 0;
    countWord(C, KIND[slot.kind], slotTag);

    if (target === -1) pc += 8;
    else {
      const next = m.afterJump(target, pc, w, insn.link !== undefined);
      if (next === -1) return;
      pc = next;
    }
  }
}

export { validInsn };
