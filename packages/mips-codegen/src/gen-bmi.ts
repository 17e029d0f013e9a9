/**
 * BMI1, BMI2, ADX and MOVBE: general-register operations, inline except pdep/pext (a helper,
 * as QEMU's). Flags the SDM leaves undefined are set as this project's oracle CPU (AMD Zen)
 * sets them: PF from the result and AF clear (CC.LOGIC, CC.BMILG); bextr sets AF and clears SF.
 */
import { REG } from '@dbtlab/mips-host';
import { AF, PF, ZF, type Operand } from '@dbtlab/x86-frontend';
import { CC } from '@dbtlab/x86-semantics';
import type { GenContext } from './gen-context';
import type { GenFn } from './gen-table';
import { CC_SRC_REG } from './reg-map';

const EDX = 2;

function regOperand(ctx: GenContext, o: Operand): Operand & { kind: 'reg' } {
  if (o.kind !== 'reg') throw ctx.unsupported(`${ctx.insn.op} operand ${o.kind}`);
  return o;
}

/** andn, blsi, blsmsk, blsr, bzhi, bextr: a result and flags; 32- or 64-bit operands (VEX.W). */
export const genBmiLogic: GenFn = (ctx, insn) => {
  const asm = ctx.asm;
  const bits = insn.opSize === 64 ? 64 : 32;
  const wide = bits === 64;
  const [dst, a, b] = insn.operands;
  const r = ctx.tmp();
  const x = ctx.read(a, bits);
  switch (insn.op) {
    case 'ANDN':
      asm.nor(r, x, REG.zero);
      asm.and(r, r, ctx.read(b, bits));
      ctx.setCc(CC.LOGIC, bits, r);
      break;
    case 'BLSI': {
      const cfSrc = ctx.tmp();
      if (wide) asm.dsubu(r, REG.zero, x);
      else asm.subu(r, REG.zero, x);
      asm.and(r, r, x);
      asm.sltiu(cfSrc, x, 1); // CF = (source != 0)
      ctx.setCc(CC.BMILG, bits, r, cfSrc);
      break;
    }
    case 'BLSMSK':
    case 'BLSR':
      if (wide) asm.daddiu(r, x, -1);
      else asm.addiu(r, x, -1);
      if (insn.op === 'BLSR') asm.and(r, r, x);
      else asm.xor(r, r, x);
      ctx.setCc(CC.BMILG, bits, r, x); // CF = (source == 0)
      break;
    case 'BZHI': {
      // n = index[7:0]; n < bits keeps bits n-1..0; CF = (n > bits - 1)
      const n = ctx.tmp();
      const cfSrc = ctx.tmp();
      asm.andi(n, ctx.read(b, bits), 0xff);
      asm.addiu(REG.at, REG.zero, -1);
      asm.dsllv(REG.at, REG.at, n); // a 64-bit shift: n = 32 clears nothing of the low word
      asm.nor(REG.at, REG.at, REG.zero);
      asm.and(r, x, REG.at);
      asm.sltiu(cfSrc, n, bits);
      asm.movz(r, x, cfSrc); // n > bits - 1 (dsllv masks n to 6 bits): the source whole
      ctx.setCc(CC.BMILG, bits, r, cfSrc);
      break;
    }
    case 'BEXTR': {
      // start = control[7:0], length = control[15:8], each saturating at the operand size
      const ctl = ctx.readOwned(b, bits);
      const start = ctx.tmp();
      const len = ctl; // the control is dead once split
      const t = ctx.tmp();
      asm.andi(start, ctl, 0xff);
      asm.andi(len, ctl, 0xff00);
      asm.srl(len, len, 8);
      if (wide) asm.move(r, x);
      else asm.dext(r, x, 0, 32);
      asm.dsrlv(r, r, start);
      asm.sltiu(t, start, bits);
      asm.movz(r, REG.zero, t); // start beyond the operand (dsrlv masks it): nothing left
      asm.addiu(t, REG.zero, -1);
      asm.dsllv(t, t, len);
      asm.nor(t, t, REG.zero);
      asm.sltiu(start, len, wide ? 64 : 32);
      asm.and(t, r, t);
      asm.movn(r, t, start); // length beyond the operand: everything from start on
      if (!wide) asm.sll(r, r, 0);
      // ZF from the result, CF = OF = 0; AF set, SF clear and PF from the result as the CPU does
      const f = len;
      asm.sltiu(f, r, 1);
      asm.sll(f, f, Math.log2(ZF));
      asm.ori(f, f, AF);
      emitParity(ctx, t, r, start);
      asm.or(f, f, t);
      ctx.setCc(CC.EFLAGS, 32, REG.zero, f);
      break;
    }
    default:
      throw ctx.unsupported(insn.op);
  }
  ctx.write(dst, r, bits);
  return false;
};

/** PF of the low byte of `v` into `into` (as the EFLAGS bit); u is clobbered. */
function emitParity(ctx: GenContext, into: number, v: number, u: number): void {
  const asm = ctx.asm;
  asm.andi(into, v, 0xff);
  asm.srl(u, into, 4);
  asm.xor(into, into, u);
  asm.srl(u, into, 2);
  asm.xor(into, into, u);
  asm.srl(u, into, 1);
  asm.xor(into, into, u);
  asm.andi(into, into, 1);
  asm.xori(into, into, 1);
  asm.sll(into, into, Math.log2(PF));
}

/** mulx, rorx, sarx, shlx, shrx, pdep, pext: no flags change; 32- or 64-bit operands (VEX.W). */
export const genBmiNoFlags: GenFn = (ctx, insn) => {
  const asm = ctx.asm;
  const bits = insn.opSize === 64 ? 64 : 32;
  const wide = bits === 64;
  const [dst, a, b] = insn.operands;
  const r = ctx.tmp();
  switch (insn.op) {
    case 'MULX': {
      // hi:lo = EDX * source; lo to the vvvv register, then hi (hi wins when they are one register)
      const edx = ctx.readReg({ kind: 'reg', file: 'gpr', reg: EDX, size: bits });
      if (wide) asm.dmultu(edx, ctx.read(b, bits));
      else asm.multu(edx, ctx.read(b, bits));
      const lo = ctx.tmp();
      asm.mflo(lo);
      asm.mfhi(r);
      ctx.writeReg(regOperand(ctx, a), lo);
      break;
    }
    case 'RORX': {
      if (b.kind !== 'imm') throw ctx.unsupported('rorx count');
      const n = b.value & (bits - 1);
      const v = ctx.read(a, bits);
      if (!wide) asm.rotr(r, v, n);
      else if (n >= 32) asm.drotr32(r, v, n - 32);
      else asm.drotr(r, v, n);
      break;
    }
    // the variable shifts use the count's low 5 (6) bits, as x86 masks it
    case 'SHLX':
      if (wide) asm.dsllv(r, ctx.read(a, bits), ctx.read(b, bits));
      else asm.sllv(r, ctx.read(a, bits), ctx.read(b, bits));
      break;
    case 'SHRX':
      if (wide) asm.dsrlv(r, ctx.read(a, bits), ctx.read(b, bits));
      else asm.srlv(r, ctx.read(a, bits), ctx.read(b, bits));
      break;
    case 'SARX':
      if (wide) asm.dsrav(r, ctx.read(a, bits), ctx.read(b, bits));
      else asm.srav(r, ctx.read(a, bits), ctx.read(b, bits));
      break;
    case 'PDEP':
    case 'PEXT': {
      const x = ctx.read(a, bits);
      const y = ctx.read(b, bits);
      // one parallel move: in x86-64 mode a1/a2 may be the scratch registers holding x or y
      ctx.moveArgs([[REG.a1, x], [REG.a2, y]]);
      asm.addiu(REG.a0, REG.zero, (insn.op === 'PEXT' ? 1 : 0) + (wide ? 2 : 0));
      ctx.callHelper(ctx.opts.helpers.pdepPext);
      ctx.move(r, REG.v0);
      break;
    }
    default:
      throw ctx.unsupported(insn.op);
  }
  ctx.writeReg(regOperand(ctx, dst), r);
  return false;
};

/** adcx/adox: an add with carry through CF (adcx) or OF (adox) alone; the other flags stay. */
export const genAdx: GenFn = (ctx, insn) => {
  const asm = ctx.asm;
  const [dst, src] = insn.operands;
  const bit = insn.op === 'ADCX' ? 0 : 11;
  const bits = insn.opSize === 64 ? 64 : 32;
  const b = ctx.readOwned(src, bits);
  ctx.materializeFlags();
  const cin = ctx.tmp();
  asm.ext(cin, CC_SRC_REG, bit, 1);
  const a = ctx.read(dst, bits);
  const s = b; // the source is dead once added
  const r = ctx.tmp();
  const c = ctx.tmp();
  if (bits === 64) asm.daddu(s, a, b);
  else asm.addu(s, a, b);
  asm.sltu(c, s, a); // carry of a + b (sign-extended words keep the unsigned order)
  if (bits === 64) asm.daddu(r, s, cin);
  else asm.addu(r, s, cin);
  asm.sltu(cin, r, s); // carry of + cin
  asm.or(c, c, cin);
  asm.ins(CC_SRC_REG, c, bit, 1);
  ctx.writeReg(regOperand(ctx, dst), r);
  return false;
};

/** movbe: a load or store with the bytes reversed (16, 32 or 64 bits). */
export const genMovbe: GenFn = (ctx, insn) => {
  const asm = ctx.asm;
  const bits = insn.opSize;
  const [dst, src] = insn.operands;
  const v = ctx.readOwned(src, bits);
  if (bits === 64) {
    asm.dsbh(v, v);
    asm.dshd(v, v);
  } else {
    asm.wsbh(v, v);
    if (bits === 32) asm.rotr(v, v, 16);
    else asm.andi(v, v, 0xffff);
  }
  ctx.write(dst, v, bits);
  return false;
};
