/** mul/imul in all forms, div/idiv with #DE on a zero divisor or a quotient that does not fit. */
import { REG, REGION } from '@dbtlab/mips-host';
import type { Operand } from '@dbtlab/x86-frontend';
import { CC } from '@dbtlab/x86-semantics';
import { commit } from './gen-alu';
import type { GenContext } from './gen-context';
import type { GenFn } from './gen-table';
import { EXCP } from './excp';

const EAX = 0;
const EDX = 2;

/** The explicit source of the one-operand forms (the accumulator is implicit in the IR1). */
function sourceOperand(ops: Operand[]): Operand {
  return ops[ops.length - 1];
}

export const genMul: GenFn = (ctx, insn) => {
  const asm = ctx.asm;
  const bits = insn.opSize;
  const signed = insn.op === 'IMUL';
  if (bits === 64) return genMul64(ctx, insn.operands, signed);
  if (signed && insn.operands.length >= 2) {
    // imul r, r/m [, imm]: truncated product; CF = OF = it did not fit
    const [dst, x, y] = insn.operands.length === 3 ? insn.operands : [insn.operands[0], insn.operands[0], insn.operands[1]];
    const a = bits === 16 ? ctx.readOwned(x, bits) : ctx.read(x, bits);
    const b = bits === 16 ? ctx.readOwned(y, bits) : ctx.read(y, bits);
    if (bits === 16) {
      asm.seh(a, a);
      asm.seh(b, b);
    }
    asm.mult(a, b);
    const lo = ctx.tmp();
    const ovf = ctx.tmp();
    if (bits === 32) productHalves(ctx, 32, true, lo, ctx.tmp(), ovf);
    else {
      asm.mflo(lo);
      asm.seh(ovf, lo);
      asm.xor(ovf, ovf, lo);
      ctx.narrow(lo, lo, 16);
    }
    commit(ctx, dst, lo, () => ctx.setCc(CC.MUL, bits, lo, ovf));
    return false;
  }
  if (bits < 32) return genMulNarrow(ctx, ctx.readOwned(sourceOperand(insn.operands), bits), bits, signed);
  const src = ctx.read(sourceOperand(insn.operands), bits);
  const lo = ctx.tmp();
  const hi = ctx.tmp();
  const ovf = ctx.tmp();
  const a = ctx.readReg({ kind: 'reg', file: 'gpr', reg: EAX, size: 32 });
  if (signed) asm.mult(a, src);
  else asm.multu(a, src);
  productHalves(ctx, 32, signed, lo, hi, ovf);
  return accumulatorProduct(ctx, 32, lo, hi, ovf);
};

/**
 * After mult/dmult (HI:LO the full product): the low half to lo, the high half to hi, and to ovf
 * what is nonzero when the product does not fit the low half (CF = OF): the high half when
 * unsigned, else its difference from the low half's sign.
 */
function productHalves(ctx: GenContext, bits: 32 | 64, signed: boolean, lo: number, hi: number, ovf: number): void {
  const asm = ctx.asm;
  asm.mflo(lo);
  asm.mfhi(hi);
  if (signed) {
    if (bits === 64) asm.dsra32(ovf, lo, 31);
    else asm.sra(ovf, lo, 31);
    asm.xor(ovf, ovf, hi);
  } else asm.move(ovf, hi);
}

/** The one-operand forms' result: the flags, then edx:eax (rdx:rax) = hi:lo. */
function accumulatorProduct(ctx: GenContext, bits: 32 | 64, lo: number, hi: number, ovf: number): boolean {
  ctx.setCc(CC.MUL, bits, lo, ovf);
  ctx.writeGpr(EAX, lo, bits);
  ctx.writeGpr(EDX, hi, bits);
  return false;
}

/** mul/imul r/m8 (ax = al * src) and r/m16 (dx:ax = ax * src): the product fits a 32-bit multiply; b is the source, this instruction's own register. */
function genMulNarrow(ctx: GenContext, b: number, bits: number, signed: boolean): boolean {
  const asm = ctx.asm;
  const acc = ctx.gpr(EAX);
  const a = ctx.tmp();
  if (bits === 8) {
    if (signed) { asm.seb(a, acc); asm.seb(b, b); } else asm.andi(a, acc, 0xff);
  } else if (signed) { asm.seh(a, acc); asm.seh(b, b); } else asm.andi(a, acc, 0xffff);
  const lo = ctx.tmp();
  asm.mul(lo, a, b);
  // the factors are dead after the multiply
  const ovf = a;
  const hi = b;
  if (signed) {
    if (bits === 8) asm.seb(ovf, lo); else asm.seh(ovf, lo);
    asm.xor(ovf, ovf, lo); // nonzero above the low half when the product does not fit
  } else asm.srl(ovf, lo, bits);
  const low = ctx.narrow(ctx.tmp(), lo, bits);
  ctx.setCc(CC.MUL, bits, low, ovf);
  if (bits === 8) ctx.writeGpr(EAX, lo, 16);
  else {
    asm.srl(hi, lo, 16);
    asm.andi(hi, hi, 0xffff);
    ctx.writeGpr(EAX, lo, 16);
    ctx.writeGpr(EDX, hi, 16);
  }
  return false;
}

/** x86-64 64-bit multiplies: rdx:rax = rax * src (one operand), or the truncated product (two/three operands). */
function genMul64(ctx: GenContext, ops: Operand[], signed: boolean): boolean {
  const asm = ctx.asm;
  const lo = ctx.tmp();
  const hi = ctx.tmp();
  const ovf = ctx.tmp();
  if (signed && ops.length >= 2) {
    const [dst, x, y] = ops.length === 3 ? ops : [ops[0], ops[0], ops[1]];
    asm.dmult(ctx.read(x, 64), ctx.read(y, 64));
    productHalves(ctx, 64, true, lo, hi, ovf);
    commit(ctx, dst, lo, () => ctx.setCc(CC.MUL, 64, lo, ovf));
    return false;
  }
  const src = ctx.read(sourceOperand(ops), 64);
  if (signed) asm.dmult(ctx.gpr(EAX), src);
  else asm.dmultu(ctx.gpr(EAX), src);
  productHalves(ctx, 64, signed, lo, hi, ovf);
  return accumulatorProduct(ctx, 64, lo, hi, ovf);
}

/**
 * x86-64 64-bit divide: rdx:rax (128 bits) by src, through the div128 helper with the context
 * saved (a #DE it raises is precise); quotient to rax, remainder to rdx.
 */
function genDiv64(ctx: GenContext, ops: Operand[], signed: boolean): boolean {
  const asm = ctx.asm;
  const src = ctx.read(sourceOperand(ops), 64);
  ctx.move(REG.a2, src);
  ctx.contextSave();
  ctx.storeEip(ctx.insn.addr);
  asm.move(REG.a0, ctx.gpr(EAX));
  asm.move(REG.a1, ctx.gpr(EDX));
  asm.addiu(REG.a3, REG.zero, signed ? 1 : 0);
  asm.li(REG.v0, ctx.opts.helpers.div128);
  asm.jalr(REG.ra, REG.v0);
  asm.nop(); // delay slot
  asm.move(ctx.gpr(EAX), REG.v0);
  asm.move(ctx.gpr(EDX), REG.v1);
  return false;
}

function raiseDivideError(ctx: GenContext): ReturnType<GenContext['stub']> {
  const pc = ctx.insn.addr;
  return ctx.stub(() =>
    ctx.withRegion(REGION.exit_stub, () => ctx.raise(ctx.opts.helpers.raiseException, EXCP.DIVZ, pc, pc)),
  );
}

/** n / d as 64-bit values (#DE when d is 0): the quotient to q, the remainder to r. */
function divide(ctx: GenContext, signed: boolean, n: number, d: number, q: number, r: number, de: ReturnType<GenContext['stub']>): void {
  const asm = ctx.asm;
  asm.beq(d, REG.zero, de);
  asm.nop(); // delay slot
  if (signed) asm.ddiv(n, d);
  else asm.ddivu(n, d);
  asm.mflo(q);
  asm.mfhi(r);
}

export const genDiv: GenFn = (ctx, insn) => {
  const asm = ctx.asm;
  const bits = insn.opSize;
  const signed = insn.op === 'IDIV';
  if (bits === 64) return genDiv64(ctx, insn.operands, signed);
  const de = raiseDivideError(ctx);
  const src = ctx.read(sourceOperand(insn.operands), bits);
  // (x86-64, short of scratch registers: a loaded divisor's own register)
  const d = ctx.mode64 && ctx.isScratch(src) ? src : ctx.tmp();
  const n = ctx.tmp();
  const x = ctx.tmp();
  // dividend and divisor are dead once divided: quotient and remainder take their registers
  const q = n;
  const r = d;
  const acc = ctx.gpr(EAX);
  if (bits === 32) {
    // 64-bit dividend edx:eax, 64-bit divide
    asm.dsll32(n, ctx.gpr(EDX), 0);
    asm.dext(x, acc, 0, 32);
    asm.or(n, n, x);
    if (signed) ctx.move(d, src);
    else asm.dext(d, src, 0, 32);
    divide(ctx, signed, n, d, q, r, de);
    if (signed) {
      asm.sll(x, q, 0);
      asm.bne(x, q, de);
    } else {
      asm.dsrl32(x, q, 0);
      asm.bne(x, REG.zero, de);
    }
    asm.nop(); // delay slot
    if (ctx.mode64) {
      ctx.writeGpr(EAX, q, 32);
      ctx.writeGpr(EDX, r, 32);
    } else {
      asm.sll(acc, q, 0);
      asm.sll(ctx.gpr(EDX), r, 0);
    }
    return false;
  }
  // 8-bit: ax / r/m8 -> al, ah; 16-bit: dx:ax / r/m16 -> ax, dx
  if (bits === 8) {
    if (signed) { asm.seh(n, acc); asm.seb(d, src); } else { asm.andi(n, acc, 0xffff); asm.move(d, src); }
  } else {
    asm.andi(x, acc, 0xffff);
    asm.sll(n, ctx.gpr(EDX), 16);
    asm.or(n, n, x);
    if (signed) asm.seh(d, src); else { asm.dext(n, n, 0, 32); asm.move(d, src); }
  }
  divide(ctx, signed, n, d, q, r, de);
  // the quotient must fit the destination half
  if (signed) {
    if (bits === 8) asm.seb(x, q); else asm.seh(x, q);
  } else asm.andi(x, q, bits === 8 ? 0xff : 0xffff);
  asm.bne(x, q, de);
  asm.nop(); // delay slot
  if (bits === 8) {
    ctx.writeGpr(EAX, q, 8);
    ctx.writeReg({ kind: 'reg', file: 'gpr', reg: EAX, size: 8, high8: true }, r);
  } else {
    ctx.writeGpr(EAX, q, 16);
    ctx.writeGpr(EDX, r, 16);
  }
  return false;
};

