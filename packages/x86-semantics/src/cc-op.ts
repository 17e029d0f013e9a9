/**
 * Lazy EFLAGS, as QEMU's target/i386 keeps them: an instruction that sets the arithmetic
 * flags records what it did (cc_op) and its inputs/result (cc_src, cc_dst, cc_src2); a reader
 * derives only the flag it needs. cc_op is known at translation time inside a TB and stored to
 * env at TB exits; computeEflags() is the reference every inline condition must agree with.
 */
import * as frontend from '@dbtlab/x86-frontend';

// module-level copies: each use of a CommonJS re-export is a getter call (computeEflags runs
// for every cc_compute_all helper call)
const { AF, CF, OF, PF, SF, ZF } = frontend;

/** cc_op kinds; the operand size is folded in: ccOp = kind * 4 + sizeIndex (8,16,32,64 -> 0..3). */
export const CC = {
  EFLAGS: 0, // cc_src holds the materialized flags
  ADD: 1, // dst = result, src = second operand
  ADC: 2, // dst = result, src = second operand, src2 = carry in
  SUB: 3, // dst = result, src = second operand (CMP too)
  SBB: 4, // dst = result, src = second operand, src2 = borrow in
  LOGIC: 5, // dst = result; CF = OF = 0
  INC: 6, // dst = result, src = CF before
  DEC: 7, // dst = result, src = CF before
  SHL: 8, // dst = result, src = value << (count - 1)
  SAR: 9, // dst = result, src = value >> (count - 1) (also SHR)
  MUL: 10, // dst = low result, src = overflow indicator (CF = OF = src != 0)
  NEG: 11, // dst = result, src = operand before (CF = src != 0)
  BMILG: 12, // dst = result, CF = (src == 0), OF = AF = 0 (blsi, blsmsk, blsr, bzhi)
} as const;
export type CcKind = (typeof CC)[keyof typeof CC];

export const SIZE_INDEX: Record<number, number> = { 8: 0, 16: 1, 32: 2, 64: 3 };
export const ccOpOf = (kind: CcKind, bits: number): number => (kind === CC.EFLAGS ? 0 : kind * 4 + SIZE_INDEX[bits]);
export const ccKind = (ccOp: number): number => ccOp >> 2;
export const ccBits = (ccOp: number): number => 8 << (ccOp & 3);

const mask = (bits: number): number => (bits === 32 ? 0xffffffff : (1 << bits) - 1);
const signBit = (v: number, bits: number): number => (v >>> (bits - 1)) & 1;

export function parity(v: number): number {
  let b = v & 0xff;
  b ^= b >> 4;
  b ^= b >> 2;
  b ^= b >> 1;
  return (b & 1) ^ 1;
}

/** The six arithmetic EFLAGS bits after the operation recorded in (ccOp, src, dst, src2). */
export function computeEflags(ccOp: number, src: number, dst: number, src2: number): number {
  const kind = ccKind(ccOp);
  if (kind === CC.EFLAGS) return src & (CF | PF | AF | ZF | SF | OF);
  const bits = ccBits(ccOp);
  const m = mask(bits);
  const r = (dst & m) >>> 0;
  const s = (src & m) >>> 0;
  let cf = 0;
  let of = 0;
  let af = 0;
  switch (kind) {
    case CC.ADD: {
      const a = (r - s) & m;
      cf = r < s ? 1 : 0;
      of = signBit((a ^ r) & (s ^ r), bits);
      af = ((a ^ s ^ r) >> 4) & 1;
      break;
    }
    case CC.ADC: {
      const c = src2 & 1;
      const a = (r - s - c) & m;
      cf = c ? (r <= s ? 1 : 0) : r < s ? 1 : 0;
      of = signBit((a ^ r) & (s ^ r), bits);
      af = ((a ^ s ^ r) >> 4) & 1;
      break;
    }
    case CC.SUB: {
      const a = (r + s) & m;
      cf = a >>> 0 < s ? 1 : 0;
      of = signBit((a ^ s) & (a ^ r), bits);
      af = ((a ^ s ^ r) >> 4) & 1;
      break;
    }
    case CC.SBB: {
      const c = src2 & 1;
      const a = (r + s + c) & m;
      cf = c ? ((a >>> 0) <= s ? 1 : 0) : (a >>> 0) < s ? 1 : 0;
      of = signBit((a ^ s) & (a ^ r), bits);
      af = ((a ^ s ^ r) >> 4) & 1;
      break;
    }
    case CC.LOGIC:
      break;
    case CC.INC:
      cf = src & 1;
      of = r === 1 << (bits - 1) >>> 0 ? 1 : 0;
      af = (r & 0xf) === 0 ? 1 : 0;
      break;
    case CC.DEC:
      cf = src & 1;
      of = r === (m >>> 1) ? 1 : 0;
      af = (r & 0xf) === 0xf ? 1 : 0;
      break;
    // shifts (shl/shr/sar and shld/shrd, a nonzero count): the SDM leaves AF undefined, the
    // oracle CPU (AMD Zen 4) sets it (measured: every width, count and operand; QEMU clears it)
    case CC.SHL:
      cf = signBit(s, bits);
      of = signBit(r, bits) ^ cf;
      af = 1;
      break;
    case CC.SAR:
      cf = src & 1;
      of = signBit(r ^ s, bits); // SHR: sign of the original; SAR: 0 (codegen passes src accordingly)
      af = 1;
      break;
    case CC.MUL:
      cf = of = src !== 0 ? 1 : 0;
      break;
    case CC.NEG:
      cf = s !== 0 ? 1 : 0;
      of = r === 1 << (bits - 1) >>> 0 ? 1 : 0;
      af = ((r ^ s) >> 4) & 1;
      break;
    case CC.BMILG:
      cf = s === 0 ? 1 : 0;
      break;
    default:
      throw new Error(`computeEflags: bad cc_op ${ccOp}`);
  }
  return (
    cf * CF | parity(r) * PF | af * AF | (r === 0 ? ZF : 0) | signBit(r, bits) * SF | of * OF
  );
}
