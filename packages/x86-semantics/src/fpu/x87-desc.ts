/**
 * The x87 helper's descriptor: the ABI between the translator (which passes one number in a0)
 * and the x87 helper (which dispatches on it). One table, read by both sides.
 */
import type { X86Op } from '@dbtlab/x86-frontend';

/**
 * The x87 operations the x87 helper implements, in descriptor order: the translator passes
 * an index into this list, fpu/x87-ops.ts dispatches on the name.
 */
export const X87_OPS = [
  'FLD', 'FST', 'FSTP', 'FILD', 'FIST', 'FISTP', 'FISTTP', 'FBLD', 'FBSTP',
  'FADD', 'FADDP', 'FIADD', 'FSUB', 'FSUBP', 'FISUB', 'FSUBR', 'FSUBRP', 'FISUBR',
  'FMUL', 'FMULP', 'FIMUL', 'FDIV', 'FDIVP', 'FIDIV', 'FDIVR', 'FDIVRP', 'FIDIVR',
  'FCOM', 'FCOMP', 'FCOMPP', 'FUCOM', 'FUCOMP', 'FUCOMPP', 'FICOM', 'FICOMP',
  'FCOMI', 'FCOMIP', 'FUCOMI', 'FUCOMIP', 'FTST', 'FXAM',
  'FXCH', 'FCHS', 'FABS', 'FSQRT', 'FRNDINT', 'FSCALE', 'FXTRACT', 'FPREM', 'FPREM1',
  'FLD1', 'FLDL2T', 'FLDL2E', 'FLDPI', 'FLDLG2', 'FLDLN2', 'FLDZ',
  'FSIN', 'FCOS', 'FSINCOS', 'FPTAN', 'FPATAN', 'F2XM1', 'FYL2X', 'FYL2XP1',
  'FDECSTP', 'FINCSTP', 'FFREE', 'FFREEP', 'FNOP', 'FCMOVCC',
  'FLDCW', 'FNSTCW', 'FSTCW', 'FNSTSW', 'FSTSW', 'FNCLEX', 'FCLEX', 'FNINIT', 'FINIT',
  'FNSTENV', 'FSTENV', 'FLDENV', 'FNSAVE', 'FSAVE', 'FRSTOR', 'WAIT',
] as const satisfies readonly X86Op[];
export type X87Op = (typeof X87_OPS)[number];

/** Fields of the x87 helper's a0 descriptor. */
export interface X87Desc {
  /** index in X87_OPS */
  op: number;
  /** memory operand bits (16, 32, 64, 80), 0 for a register form or none */
  memBits: number;
  /** i of the st(i) operand */
  sti: number;
  /** the register form writes st(i) (DC/DE rows), not st(0) */
  destSti: boolean;
  /** the 11-bit x87 opcode (FOP): low 3 bits of the escape byte, then ModRM */
  fop: number;
  /** the memory operand's effective segment (0-5: es cs ss ds fs gs), whose selector becomes FDS */
  seg: number;
}

const MEM_BITS = [0, 16, 32, 64, 80] as const;

export function encodeX87Desc(d: X87Desc): number {
  const bits = MEM_BITS.indexOf(d.memBits as (typeof MEM_BITS)[number]);
  if (bits < 0) throw new RangeError(`x87 descriptor: memory size ${d.memBits}`);
  return d.op | (bits << 7) | (d.sti << 10) | (d.destSti ? 1 << 13 : 0) | ((d.fop & 0x7ff) << 16) | ((d.seg & 7) << 27);
}

export function decodeX87Desc(v: number): X87Desc {
  return {
    op: v & 0x7f,
    memBits: MEM_BITS[(v >>> 7) & 7],
    sti: (v >>> 10) & 7,
    destSti: ((v >>> 13) & 1) === 1,
    fop: (v >>> 16) & 0x7ff,
    seg: (v >>> 27) & 7,
  };
}
