/**
 * THE MIPS64r2 instruction table (tcg/mips's MIPSInsn, binutils' mips-opc.c as data): one row
 * per encoding. The assembler, the disassembler and the machine's decoder all read it; the
 * machine's semantics live in semantics.ts keyed by the same names.
 *
 * A row's `match` holds its fixed fields (major opcode, funct, sub-opcodes); `operands` say
 * which fields carry operands, in assembler (GNU) order. Every bit not covered by an operand
 * or by `free` must equal `match`, so `(word & mask) === match` identifies the row.
 *
 * Operand tokens:
 *   d s t   rd (15..11), rs (25..21), rt (20..16) registers
 *   U       rd, repeated in rt (clz/dclz: R2 requires rt = rd)
 *   sa      5-bit shift amount (10..6), printed in hex
 *   simm    signed 16-bit immediate (decimal); uimm: unsigned 16-bit (hex)
 *   mem     offset(base): signed 16-bit offset, base in rs
 *   off     branch target: signed 16-bit word offset from the delay slot
 *   index   jump target: 26-bit word index within the delay slot's 256 MiB region
 *   pos size  bit-field position and size (assembler view; `bitfield` says how they encode)
 *   zero    the literal register name `zero`, no field (objdump prints `div zero,rs,rt`)
 */
import type { KindName } from './counters';

export type OperandToken =
  | 'd' | 's' | 't' | 'U' | 'sa' | 'simm' | 'uimm' | 'mem' | 'off' | 'index' | 'pos' | 'size' | 'zero';

/**
 * How a bit-field row stores the assembler's pos/size in lsb (sa field) and msb (rd field):
 * lsb = pos - posBias; msb = (msbIsEnd ? pos + size : size) - msbBias.
 */
export interface BitfieldForm {
  readonly posBias: 0 | 32;
  readonly msbBias: 1 | 33;
  readonly msbIsEnd: boolean;
  /** Bit width of the register operation: ext/ins work on 32 bits and sign-extend. */
  readonly width: 32 | 64;
  /** Valid pos range [lo, hi] and pos+size range [lo, hi] (outside: reserved instruction). */
  readonly pos: readonly [number, number];
  readonly end: readonly [number, number];
}

export interface MipsInsn {
  readonly name: string;
  /** objdump's mnemonic when it differs (rotr prints `ror`, dextm prints `dext`). */
  readonly disas?: string;
  readonly match: number;
  readonly mask: number;
  readonly operands: readonly OperandToken[];
  readonly kind: Exclude<KindName, 'helper'>;
  /** Branches and jumps: how the target is found; every one has a delay slot. */
  readonly branch?: 'rel' | 'abs' | 'reg';
  /** Linking jumps write pc + 8 to $ra or to rd. */
  readonly link?: 'ra' | 'rd';
  /** The register the row writes (its value is discarded when it is $zero). */
  readonly dest?: 'd' | 't';
  readonly bitfield?: BitfieldForm;
}

const FIELD_BITS: Record<OperandToken, number> = {
  d: 0x0000f800, s: 0x03e00000, t: 0x001f0000, U: 0x001ff800, sa: 0x000007c0,
  simm: 0xffff, uimm: 0xffff, mem: 0x03e0ffff, off: 0xffff, index: 0x03ffffff,
  pos: 0x000007c0, size: 0x0000f800, zero: 0,
};

interface RowSpec<N extends string> extends Omit<MipsInsn, 'mask' | 'name'> {
  readonly name: N;
  /** Fields the hardware ignores (trap codes, sync stype). */
  readonly free?: number;
}

function row<N extends string>(spec: RowSpec<N>): MipsInsn & { readonly name: N } {
  const { free = 0, ...rest } = spec;
  let covered = free;
  for (const op of spec.operands) covered |= FIELD_BITS[op];
  return { ...rest, mask: ~covered >>> 0 };
}

// Encoding families: major opcode in 31..26, then funct (5..0), rt (REGIMM) or sa (BSHFL).
const op = (major: number): number => (major << 26) >>> 0;
const special = (funct: number): number => funct;
const regimm = (rt: number): number => op(0x01) | (rt << 16);
const special2 = (funct: number): number => op(0x1c) | funct;
const special3 = (funct: number): number => op(0x1f) | funct;
const bshfl = (sa: number): number => special3(0x20) | (sa << 6);
const dbshfl = (sa: number): number => special3(0x24) | (sa << 6);
/** rotr/drotr/drotr32 are srl/dsrl/dsrl32 with rs = 1; the variable forms with sa = 1. */
const R1 = 1 << 21;
const SA1 = 1 << 6;

const R3 = ['d', 's', 't'] as const;
const SHIFT = ['d', 't', 'sa'] as const;
const SHIFTV = ['d', 't', 's'] as const;
const IMM = ['t', 's', 'simm'] as const;
const UIMM = ['t', 's', 'uimm'] as const;
const MEM = ['t', 'mem'] as const;
const BF = ['t', 's', 'pos', 'size'] as const;

const bf = (
  posBias: 0 | 32, msbBias: 1 | 33, msbIsEnd: boolean, width: 32 | 64,
  pos: [number, number], end: [number, number],
): BitfieldForm => ({ posBias, msbBias, msbIsEnd, width, pos, end });

export const MIPS_INSNS = [
  // ALU, three registers
  row({ name: 'add', match: special(0x20), operands: R3, kind: 'alu', dest: 'd' }),
  row({ name: 'addu', match: special(0x21), operands: R3, kind: 'alu', dest: 'd' }),
  row({ name: 'sub', match: special(0x22), operands: R3, kind: 'alu', dest: 'd' }),
  row({ name: 'subu', match: special(0x23), operands: R3, kind: 'alu', dest: 'd' }),
  row({ name: 'and', match: special(0x24), operands: R3, kind: 'alu', dest: 'd' }),
  row({ name: 'or', match: special(0x25), operands: R3, kind: 'alu', dest: 'd' }),
  row({ name: 'xor', match: special(0x26), operands: R3, kind: 'alu', dest: 'd' }),
  row({ name: 'nor', match: special(0x27), operands: R3, kind: 'alu', dest: 'd' }),
  row({ name: 'slt', match: special(0x2a), operands: R3, kind: 'alu', dest: 'd' }),
  row({ name: 'sltu', match: special(0x2b), operands: R3, kind: 'alu', dest: 'd' }),
  row({ name: 'dadd', match: special(0x2c), operands: R3, kind: 'alu', dest: 'd' }),
  row({ name: 'daddu', match: special(0x2d), operands: R3, kind: 'alu', dest: 'd' }),
  row({ name: 'dsub', match: special(0x2e), operands: R3, kind: 'alu', dest: 'd' }),
  row({ name: 'dsubu', match: special(0x2f), operands: R3, kind: 'alu', dest: 'd' }),
  row({ name: 'movz', match: special(0x0a), operands: R3, kind: 'alu', dest: 'd' }),
  row({ name: 'movn', match: special(0x0b), operands: R3, kind: 'alu', dest: 'd' }),
  // ALU, immediate
  row({ name: 'addi', match: op(0x08), operands: IMM, kind: 'alu', dest: 't' }),
  row({ name: 'addiu', match: op(0x09), operands: IMM, kind: 'alu', dest: 't' }),
  row({ name: 'slti', match: op(0x0a), operands: IMM, kind: 'alu', dest: 't' }),
  row({ name: 'sltiu', match: op(0x0b), operands: IMM, kind: 'alu', dest: 't' }),
  row({ name: 'andi', match: op(0x0c), operands: UIMM, kind: 'alu', dest: 't' }),
  row({ name: 'ori', match: op(0x0d), operands: UIMM, kind: 'alu', dest: 't' }),
  row({ name: 'xori', match: op(0x0e), operands: UIMM, kind: 'alu', dest: 't' }),
  row({ name: 'lui', match: op(0x0f), operands: ['t', 'uimm'], kind: 'alu', dest: 't' }),
  row({ name: 'daddi', match: op(0x18), operands: IMM, kind: 'alu', dest: 't' }),
  row({ name: 'daddiu', match: op(0x19), operands: IMM, kind: 'alu', dest: 't' }),
  // shifts
  row({ name: 'sll', match: special(0x00), operands: SHIFT, kind: 'alu', dest: 'd' }),
  row({ name: 'srl', match: special(0x02), operands: SHIFT, kind: 'alu', dest: 'd' }),
  row({ name: 'rotr', disas: 'ror', match: special(0x02) | R1, operands: SHIFT, kind: 'alu', dest: 'd' }),
  row({ name: 'sra', match: special(0x03), operands: SHIFT, kind: 'alu', dest: 'd' }),
  row({ name: 'sllv', match: special(0x04), operands: SHIFTV, kind: 'alu', dest: 'd' }),
  row({ name: 'srlv', match: special(0x06), operands: SHIFTV, kind: 'alu', dest: 'd' }),
  row({ name: 'rotrv', disas: 'rorv', match: special(0x06) | SA1, operands: SHIFTV, kind: 'alu', dest: 'd' }),
  row({ name: 'srav', match: special(0x07), operands: SHIFTV, kind: 'alu', dest: 'd' }),
  row({ name: 'dsllv', match: special(0x14), operands: SHIFTV, kind: 'alu', dest: 'd' }),
  row({ name: 'dsrlv', match: special(0x16), operands: SHIFTV, kind: 'alu', dest: 'd' }),
  row({ name: 'drotrv', disas: 'drorv', match: special(0x16) | SA1, operands: SHIFTV, kind: 'alu', dest: 'd' }),
  row({ name: 'dsrav', match: special(0x17), operands: SHIFTV, kind: 'alu', dest: 'd' }),
  row({ name: 'dsll', match: special(0x38), operands: SHIFT, kind: 'alu', dest: 'd' }),
  row({ name: 'dsrl', match: special(0x3a), operands: SHIFT, kind: 'alu', dest: 'd' }),
  row({ name: 'drotr', disas: 'dror', match: special(0x3a) | R1, operands: SHIFT, kind: 'alu', dest: 'd' }),
  row({ name: 'dsra', match: special(0x3b), operands: SHIFT, kind: 'alu', dest: 'd' }),
  row({ name: 'dsll32', match: special(0x3c), operands: SHIFT, kind: 'alu', dest: 'd' }),
  row({ name: 'dsrl32', match: special(0x3e), operands: SHIFT, kind: 'alu', dest: 'd' }),
  row({ name: 'drotr32', disas: 'dror32', match: special(0x3e) | R1, operands: SHIFT, kind: 'alu', dest: 'd' }),
  row({ name: 'dsra32', match: special(0x3f), operands: SHIFT, kind: 'alu', dest: 'd' }),
  // multiply / divide
  row({ name: 'mfhi', match: special(0x10), operands: ['d'], kind: 'muldiv', dest: 'd' }),
  row({ name: 'mthi', match: special(0x11), operands: ['s'], kind: 'muldiv' }),
  row({ name: 'mflo', match: special(0x12), operands: ['d'], kind: 'muldiv', dest: 'd' }),
  row({ name: 'mtlo', match: special(0x13), operands: ['s'], kind: 'muldiv' }),
  row({ name: 'mult', match: special(0x18), operands: ['s', 't'], kind: 'muldiv' }),
  row({ name: 'multu', match: special(0x19), operands: ['s', 't'], kind: 'muldiv' }),
  row({ name: 'div', match: special(0x1a), operands: ['zero', 's', 't'], kind: 'muldiv' }),
  row({ name: 'divu', match: special(0x1b), operands: ['zero', 's', 't'], kind: 'muldiv' }),
  row({ name: 'dmult', match: special(0x1c), operands: ['s', 't'], kind: 'muldiv' }),
  row({ name: 'dmultu', match: special(0x1d), operands: ['s', 't'], kind: 'muldiv' }),
  row({ name: 'ddiv', match: special(0x1e), operands: ['zero', 's', 't'], kind: 'muldiv' }),
  row({ name: 'ddivu', match: special(0x1f), operands: ['zero', 's', 't'], kind: 'muldiv' }),
  row({ name: 'mul', match: special2(0x02), operands: R3, kind: 'muldiv', dest: 'd' }),
  // bit operations
  row({ name: 'clz', match: special2(0x20), operands: ['U', 's'], kind: 'alu', dest: 'd' }),
  row({ name: 'dclz', match: special2(0x24), operands: ['U', 's'], kind: 'alu', dest: 'd' }),
  row({ name: 'seb', match: bshfl(0x10), operands: ['d', 't'], kind: 'alu', dest: 'd' }),
  row({ name: 'seh', match: bshfl(0x18), operands: ['d', 't'], kind: 'alu', dest: 'd' }),
  row({ name: 'wsbh', match: bshfl(0x02), operands: ['d', 't'], kind: 'alu', dest: 'd' }),
  row({ name: 'dsbh', match: dbshfl(0x02), operands: ['d', 't'], kind: 'alu', dest: 'd' }),
  row({ name: 'dshd', match: dbshfl(0x05), operands: ['d', 't'], kind: 'alu', dest: 'd' }),
  row({ name: 'ext', match: special3(0x00), operands: BF, kind: 'alu', dest: 't', bitfield: bf(0, 1, false, 32, [0, 31], [1, 32]) }),
  row({ name: 'dextm', disas: 'dext', match: special3(0x01), operands: BF, kind: 'alu', dest: 't', bitfield: bf(0, 33, false, 64, [0, 31], [33, 64]) }),
  row({ name: 'dextu', disas: 'dext', match: special3(0x02), operands: BF, kind: 'alu', dest: 't', bitfield: bf(32, 1, false, 64, [32, 63], [33, 64]) }),
  row({ name: 'dext', match: special3(0x03), operands: BF, kind: 'alu', dest: 't', bitfield: bf(0, 1, false, 64, [0, 31], [1, 63]) }),
  row({ name: 'ins', match: special3(0x04), operands: BF, kind: 'alu', dest: 't', bitfield: bf(0, 1, true, 32, [0, 31], [1, 32]) }),
  row({ name: 'dinsm', disas: 'dins', match: special3(0x05), operands: BF, kind: 'alu', dest: 't', bitfield: bf(0, 33, true, 64, [0, 31], [33, 64]) }),
  row({ name: 'dinsu', disas: 'dins', match: special3(0x06), operands: BF, kind: 'alu', dest: 't', bitfield: bf(32, 33, true, 64, [32, 63], [33, 64]) }),
  row({ name: 'dins', match: special3(0x07), operands: BF, kind: 'alu', dest: 't', bitfield: bf(0, 1, true, 64, [0, 31], [1, 32]) }),
  // system
  row({ name: 'sync', match: special(0x0f), operands: [], kind: 'alu', free: 0x7c0 }),
  row({ name: 'syscall', match: special(0x0c), operands: [], kind: 'alu', free: 0x03ffffc0 }),
  row({ name: 'break', match: special(0x0d), operands: [], kind: 'alu', free: 0x03ffffc0 }),
  row({ name: 'teq', match: special(0x34), operands: ['s', 't'], kind: 'alu', free: 0xffc0 }),
  row({ name: 'tne', match: special(0x36), operands: ['s', 't'], kind: 'alu', free: 0xffc0 }),
  // loads and stores
  row({ name: 'lb', match: op(0x20), operands: MEM, kind: 'load', dest: 't' }),
  row({ name: 'lh', match: op(0x21), operands: MEM, kind: 'load', dest: 't' }),
  row({ name: 'lwl', match: op(0x22), operands: MEM, kind: 'load', dest: 't' }),
  row({ name: 'lw', match: op(0x23), operands: MEM, kind: 'load', dest: 't' }),
  row({ name: 'lbu', match: op(0x24), operands: MEM, kind: 'load', dest: 't' }),
  row({ name: 'lhu', match: op(0x25), operands: MEM, kind: 'load', dest: 't' }),
  row({ name: 'lwr', match: op(0x26), operands: MEM, kind: 'load', dest: 't' }),
  row({ name: 'lwu', match: op(0x27), operands: MEM, kind: 'load', dest: 't' }),
  row({ name: 'ldl', match: op(0x1a), operands: MEM, kind: 'load', dest: 't' }),
  row({ name: 'ldr', match: op(0x1b), operands: MEM, kind: 'load', dest: 't' }),
  row({ name: 'ld', match: op(0x37), operands: MEM, kind: 'load', dest: 't' }),
  row({ name: 'sb', match: op(0x28), operands: MEM, kind: 'store' }),
  row({ name: 'sh', match: op(0x29), operands: MEM, kind: 'store' }),
  row({ name: 'swl', match: op(0x2a), operands: MEM, kind: 'store' }),
  row({ name: 'sw', match: op(0x2b), operands: MEM, kind: 'store' }),
  row({ name: 'sdl', match: op(0x2c), operands: MEM, kind: 'store' }),
  row({ name: 'sdr', match: op(0x2d), operands: MEM, kind: 'store' }),
  row({ name: 'swr', match: op(0x2e), operands: MEM, kind: 'store' }),
  row({ name: 'sd', match: op(0x3f), operands: MEM, kind: 'store' }),
  // branches and jumps (each has a delay slot)
  row({ name: 'beq', match: op(0x04), operands: ['s', 't', 'off'], kind: 'branch', branch: 'rel' }),
  row({ name: 'bne', match: op(0x05), operands: ['s', 't', 'off'], kind: 'branch', branch: 'rel' }),
  row({ name: 'blez', match: op(0x06), operands: ['s', 'off'], kind: 'branch', branch: 'rel' }),
  row({ name: 'bgtz', match: op(0x07), operands: ['s', 'off'], kind: 'branch', branch: 'rel' }),
  row({ name: 'bltz', match: regimm(0x00), operands: ['s', 'off'], kind: 'branch', branch: 'rel' }),
  row({ name: 'bgez', match: regimm(0x01), operands: ['s', 'off'], kind: 'branch', branch: 'rel' }),
  row({ name: 'bltzal', match: regimm(0x10), operands: ['s', 'off'], kind: 'branch', branch: 'rel', link: 'ra' }),
  row({ name: 'bgezal', match: regimm(0x11), operands: ['s', 'off'], kind: 'branch', branch: 'rel', link: 'ra' }),
  row({ name: 'j', match: op(0x02), operands: ['index'], kind: 'branch', branch: 'abs' }),
  row({ name: 'jal', match: op(0x03), operands: ['index'], kind: 'branch', branch: 'abs', link: 'ra' }),
  row({ name: 'jr', match: special(0x08), operands: ['s'], kind: 'branch', branch: 'reg' }),
  row({ name: 'jalr', match: special(0x09), operands: ['d', 's'], kind: 'branch', branch: 'reg', link: 'rd' }),
];

export type MipsInsnName = (typeof MIPS_INSNS)[number]['name'];

/** Rows by name. */
export const INSN = Object.fromEntries(MIPS_INSNS.map((r) => [r.name, r])) as Record<MipsInsnName, MipsInsn>;
