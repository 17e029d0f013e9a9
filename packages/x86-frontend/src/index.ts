/** @dbtlab/x86-frontend: x86 decoder (IR1) and AT&T disassembler. */
export type { ControlFlow, DecodedInsn, FarOperand, ImmOperand, MemOperand, Mode, Operand, RegFile, RegOperand } from './ir1';
export type { X86Op } from './op-info';
export { OP_INFO, CC_NAMES } from './op-info';
export type { InsnRow, InsnRowDef, OpMap } from './insn-row';
export { INSN_TABLE } from './insn-table';
export { DecodeError } from './errors';
export { decodeInsn } from './decode';
export * from './cpu-state';
export { formatAtt, disassembleRange, gprName, type AttOptions } from './disas-att';
export type { DisasmLine } from './disas-att';
