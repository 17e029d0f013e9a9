/**
 * Operand letters, SDM appendix A style: an addressing method followed by a size code,
 * e.g. 'Ev' = ModRM r/m, operand-size wide; 'Ib' = 8-bit immediate. The table writes them
 * as strings; parseOperandSpec turns each into a {method, size} pair once, at load time.
 *
 * Methods:  E r/m (gpr or memory)   G ModRM.reg gpr      M r/m memory only   R r/m gpr only
 *           I immediate             J relative target    O moffs (no ModRM)  S ModRM.reg segment
 *           C control reg           D debug reg          Z opcode low 3 bits gpr
 *           X DS:rSI (string src)   Y ES:rDI (string dst) A far pointer immediate
 *           P ModRM.reg mmx         Q r/m mmx or memory  N r/m mmx only
 *           V ModRM.reg xmm         W r/m xmm or memory  U r/m xmm only
 *           F r/m x87 st(i)         H VEX.vvvv vector reg B VEX.vvvv gpr
 *           K ModRM.reg mask reg    T r/m mask reg       L vector reg in imm8[7:4] (is4)
 * Vector sizes x (and the H register) grow with VEX.L / EVEX.L'L: xmm, ymm, zmm.
 * Sizes:    b 8, w 16, d 32, q 64, t 80 (x87 extended), x 128 (256/512 with VEX.L/EVEX.L'L),
 *           o 128 whatever the vector length, v operand size (16/32/64),
 *           z 16/32 (32 when operand size is 64), y 32/64 (REX.W), p far pointer (16:v),
 *           bs 8-bit immediate sign-extended to the operand size, vw v for a register and
 *           16 for memory (segment moves), db/dw 32 for a register, 8/16 for memory (pextrb, pinsrw),
 *           0 address only (LEA, prefetch, fxsave areas).
 * Fixed:    AL CL AX EAX ECX EDX DX(port) eAX(rAX, size v) zAX(rAX, size z: in/out) RAX ST0 ES CS SS DS FS GS XMM0 1(shift count, not printed)
 *           XLAT (DS:[rBX+AL], byte) Hk (VEX.vvvv as a mask register)
 */

export type AddrMethod = 'E' | 'G' | 'M' | 'R' | 'I' | 'J' | 'O' | 'S' | 'C' | 'D' | 'Z' | 'X' | 'Y' | 'A'
  | 'P' | 'Q' | 'N' | 'V' | 'W' | 'U' | 'F' | 'B' | 'H' | 'K' | 'T' | 'L';
export type SizeCode = 'b' | 'w' | 'd' | 'q' | 't' | 'x' | 'o' | 'v' | 'z' | 'y' | 'p' | 'bs' | 'vw' | 'db' | 'dw' | '0';
export type FixedOperand = 'AL' | 'CL' | 'AX' | 'DX' | 'eAX' | 'ST0' | 'ES' | 'CS' | 'SS' | 'DS' | 'FS' | 'GS'
  | 'XMM0' | '1' | 'XLAT' | 'Hk' | 'EAX' | 'ECX' | 'EDX' | 'zAX' | 'RAX';
export type OperandSpec = `${AddrMethod}${SizeCode}` | FixedOperand;

/** Numeric method codes, so the decoder switches on small integers. */
export const M = {
  E: 1, G: 2, M: 3, R: 4, I: 5, J: 6, O: 7, S: 8, C: 9, D: 10, Z: 11, X: 12, Y: 13, A: 14,
  P: 15, Q: 16, N: 17, V: 18, W: 19, U: 20, F: 21, B: 22, H: 23, K: 24, T: 25, L: 26,
  /** a fixed general register (reg, size) */
  FIXED_GPR: 30,
  /** DX as an I/O port: printed (%dx) */
  PORT_DX: 31,
  FIXED_SEG: 32,
  ST0: 33,
  XMM0: 34,
  ONE: 35,
  XLAT: 36,
  VVVV_MASK: 37,
} as const;

/** Numeric size codes. */
export const S = { b: 1, w: 2, d: 3, q: 4, t: 5, x: 6, v: 7, z: 8, y: 9, p: 10, bs: 11, vw: 12, db: 13, dw: 14, o: 16, '0': 15 } as const;

export interface ParsedOperand {
  readonly method: number;
  readonly size: number;
  /** fixed operands: register number */
  readonly reg: number;
}

const FIXED: Record<FixedOperand, ParsedOperand> = {
  AL: { method: M.FIXED_GPR, size: S.b, reg: 0 },
  CL: { method: M.FIXED_GPR, size: S.b, reg: 1 },
  AX: { method: M.FIXED_GPR, size: S.w, reg: 0 },
  EAX: { method: M.FIXED_GPR, size: S.d, reg: 0 },
  ECX: { method: M.FIXED_GPR, size: S.d, reg: 1 },
  EDX: { method: M.FIXED_GPR, size: S.d, reg: 2 },
  eAX: { method: M.FIXED_GPR, size: S.v, reg: 0 },
  zAX: { method: M.FIXED_GPR, size: S.z, reg: 0 },
  RAX: { method: M.FIXED_GPR, size: S.q, reg: 0 },
  DX: { method: M.PORT_DX, size: S.w, reg: 2 },
  ST0: { method: M.ST0, size: S.t, reg: 0 },
  ES: { method: M.FIXED_SEG, size: S.w, reg: 0 },
  CS: { method: M.FIXED_SEG, size: S.w, reg: 1 },
  SS: { method: M.FIXED_SEG, size: S.w, reg: 2 },
  DS: { method: M.FIXED_SEG, size: S.w, reg: 3 },
  FS: { method: M.FIXED_SEG, size: S.w, reg: 4 },
  GS: { method: M.FIXED_SEG, size: S.w, reg: 5 },
  XMM0: { method: M.XMM0, size: S.x, reg: 0 },
  '1': { method: M.ONE, size: S.b, reg: 0 },
  XLAT: { method: M.XLAT, size: S.b, reg: 0 },
  Hk: { method: M.VVVV_MASK, size: S.q, reg: 0 },
};

export function parseOperandSpec(spec: OperandSpec): ParsedOperand {
  const fixed = (FIXED as Record<string, ParsedOperand | undefined>)[spec];
  if (fixed) return fixed;
  const method = (M as Record<string, number>)[spec[0]];
  const size = (S as Record<string, number>)[spec.slice(1)];
  if (method === undefined || size === undefined) throw new Error(`bad operand spec ${spec}`);
  return { method, size, reg: -1 };
}

/** Methods that need a ModRM byte. */
export const USES_MODRM = new Set<number>([M.E, M.G, M.M, M.R, M.S, M.C, M.D, M.P, M.Q, M.N, M.V, M.W, M.U, M.F, M.K, M.T]);
/** Methods whose register operand fixes the instruction's size (AT&T then omits the suffix). */
export const SIZING_REG = new Set<number>([M.E, M.G, M.R, M.Z, M.FIXED_GPR, M.B]);
