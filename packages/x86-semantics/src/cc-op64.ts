/**
 * computeEflags for the 64-bit cc_op sizes (x86-64 operations): the same rules as cc-op.ts
 * on exact 64-bit values (bigint), as QEMU's cc_helper_template.h instantiates them for
 * DATA_BITS 64. cc_src/cc_dst/cc_src2 are the whole 64-bit env slots.
 */
import { AF, CF, OF, PF, SF, ZF } from '@dbtlab/x86-frontend';
import { CC, ccKind, parity } from './cc-op';

const M = (1n << 64n) - 1n;
const sign = (v: bigint): number => Number((v >> 63n) & 1n);
const bit4 = (v: bigint): number => Number((v >> 4n) & 1n);

/** The six arithmetic EFLAGS bits after the 64-bit operation recorded in (ccOp, src, dst, src2). */
export function computeEflags64(ccOp: number, src: bigint, dst: bigint, src2: bigint): number {
  const kind = ccKind(ccOp);
  const r = dst & M;
  const s = src & M;
  let cf = 0;
  let of = 0;
  let af = 0;
  switch (kind) {
    case CC.ADD:
    case CC.ADC: {
      const c = kind === CC.ADC ? src2 & 1n : 0n;
      const a = (r - s - c) & M;
      cf = c ? (r <= s ? 1 : 0) : r < s ? 1 : 0;
      of = sign((a ^ r) & (s ^ r));
      af = bit4(a ^ s ^ r);
      break;
    }
    case CC.SUB:
    case CC.SBB: {
      const c = kind === CC.SBB ? src2 & 1n : 0n;
      const a = (r + s + c) & M;
      cf = c ? (a <= s ? 1 : 0) : a < s ? 1 : 0;
      of = sign((a ^ s) & (a ^ r));
      af = bit4(a ^ s ^ r);
      break;
    }
    case CC.LOGIC:
      break;
    case CC.INC:
      cf = Number(src & 1n);
      of = r === 1n << 63n ? 1 : 0;
      af = (r & 0xfn) === 0n ? 1 : 0;
      break;
    case CC.DEC:
      cf = Number(src & 1n);
      of = r === M >> 1n ? 1 : 0;
      af = (r & 0xfn) === 0xfn ? 1 : 0;
      break;
    // shifts set AF on the oracle CPU, as in cc-op.ts
    case CC.SHL:
      cf = sign(s);
      of = sign(r) ^ cf;
      af = 1;
      break;
    case CC.SAR:
      cf = Number(s & 1n);
      of = sign(r ^ s);
      af = 1;
      break;
    case CC.MUL:
      cf = of = s !== 0n ? 1 : 0;
      break;
    case CC.BMILG:
      cf = s === 0n ? 1 : 0;
      break;
    case CC.NEG:
      cf = s !== 0n ? 1 : 0;
      of = r === 1n << 63n ? 1 : 0;
      af = bit4(r ^ s);
      break;
    default:
      throw new Error(`computeEflags64: bad cc_op ${ccOp}`);
  }
  return cf * CF | parity(Number(r & 0xffn)) * PF | af * AF | (r === 0n ? ZF : 0) | sign(r) * SF | of * OF;
}
