/**
 * GNU objdump-format disassembly (`mips64el-linux-gnuabi64-objdump -m mips:isa64r2
 * -M gpr-names=64`) from the instruction table: mnemonic, a tab, operands joined by commas.
 * objdump prefers some aliases (nop, move, li, b, beqz, negu...): those are the rows of ALIASES,
 * tried first, in objdump's order of preference.
 */
import {
  bitfieldOperands, branchTarget, decodeInsn, fieldRd, fieldRs, fieldRt, fieldSa, fieldSimm,
  fieldUimm, jumpTarget,
} from './decode';
import type { OperandToken } from './mips-insn-table';
import { REG_NAMES } from './registers';

interface Alias {
  readonly text: string;
  readonly match: number;
  readonly mask: number;
  readonly operands: readonly OperandToken[];
}

const EXACT = 0xffffffff;
/** SPECIAL rows with rt = 0, with rs = 0; I-type rows with rs = 0 and with rs = rt = 0. */
const RT_ZERO = 0xfc1f07ff;
const RS_ZERO = 0xffe007ff;
const I_RS_ZERO = 0xffe00000;
const I_RS_RT_ZERO = 0xffff0000;

const ALIASES: readonly Alias[] = [
  { text: 'nop', match: 0x00000000, mask: EXACT, operands: [] },
  { text: 'ssnop', match: 0x00000040, mask: EXACT, operands: [] },
  { text: 'ehb', match: 0x000000c0, mask: EXACT, operands: [] },
  { text: 'pause', match: 0x00000140, mask: EXACT, operands: [] },
  { text: 'move', match: 0x00000025, mask: RT_ZERO, operands: ['d', 's'] }, // or rd, rs, zero
  { text: 'move', match: 0x0000002d, mask: RT_ZERO, operands: ['d', 's'] }, // daddu
  { text: 'move', match: 0x00000021, mask: RT_ZERO, operands: ['d', 's'] }, // addu
  { text: 'neg', match: 0x00000022, mask: RS_ZERO, operands: ['d', 't'] },
  { text: 'negu', match: 0x00000023, mask: RS_ZERO, operands: ['d', 't'] },
  { text: 'dneg', match: 0x0000002e, mask: RS_ZERO, operands: ['d', 't'] },
  { text: 'dnegu', match: 0x0000002f, mask: RS_ZERO, operands: ['d', 't'] },
  { text: 'li', match: 0x24000000, mask: I_RS_ZERO, operands: ['t', 'simm'] }, // addiu rt, zero, imm
  { text: 'li', match: 0x34000000, mask: I_RS_ZERO, operands: ['t', 'uimm'] }, // ori rt, zero, imm
  { text: 'b', match: 0x10000000, mask: I_RS_RT_ZERO, operands: ['off'] }, // beq zero, zero
  { text: 'b', match: 0x04010000, mask: I_RS_RT_ZERO, operands: ['off'] }, // bgez zero
  { text: 'bal', match: 0x04110000, mask: I_RS_RT_ZERO, operands: ['off'] }, // bgezal zero
  { text: 'beqz', match: 0x10000000, mask: 0xfc1f0000, operands: ['s', 'off'] },
  { text: 'bnez', match: 0x14000000, mask: 0xfc1f0000, operands: ['s', 'off'] },
  { text: 'jalr', match: 0x0000f809, mask: 0xfc1fffff, operands: ['s'] }, // jalr ra, rs
];

const hex = (v: number): string => `0x${v.toString(16)}`;

function operandText(op: OperandToken, w: number, pc: number, bf: { pos: number; size: number } | undefined): string {
  switch (op) {
    case 'd': case 'U': return REG_NAMES[fieldRd(w)];
    case 's': return REG_NAMES[fieldRs(w)];
    case 't': return REG_NAMES[fieldRt(w)];
    case 'sa': return hex(fieldSa(w));
    case 'simm': return String(fieldSimm(w));
    case 'uimm': return hex(fieldUimm(w));
    case 'mem': return `${fieldSimm(w)}(${REG_NAMES[fieldRs(w)]})`;
    case 'off': return hex(branchTarget(pc, w));
    case 'index': return hex(jumpTarget(pc, w));
    case 'pos': return hex(bf!.pos);
    case 'size': return hex(bf!.size);
    case 'zero': return 'zero';
  }
}

function format(name: string, operands: readonly OperandToken[], w: number, pc: number, bf?: { pos: number; size: number }): string {
  if (operands.length === 0) return name;
  return `${name}\t${operands.map((op) => operandText(op, w, pc, bf)).join(',')}`;
}

/** objdump's text for the word at host address pc; "(bad)" when the table has no row for it. */
export function disassemble(word: number, pc: number): string {
  const w = word >>> 0;
  for (const a of ALIASES) if (((w & a.mask) >>> 0) === a.match) return format(a.text, a.operands, w, pc);
  const insn = decodeInsn(w);
  if (!insn) return '(bad)';
  const bf = insn.bitfield ? bitfieldOperands(insn, w) : undefined;
  return format(insn.disas ?? insn.name, insn.operands, w, pc, bf);
}
