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

/** andn, blsi, blsmsk, blsr, bzhi, bextr: a result and flags. */
export const genBmiLogic: GenFn = (ctx, insn) => {
  const asm = ctx.asm;
  const [dst, a, b] = insn.operands;
  const r = ctx.tmp();
  const cfSrc = ctx.tmp();
  const x = ctx.read(a, 32);
  switch (insn.op) {
    case 'ANDN':
      asm.nor(r, x, REG.zero);
      asm.and(r, r, ctx.read(b, 32));
      ctx.setCc(CC.LOGIC, 32, r);
      break;
    case 'BLSI':
      asm.subu(r, REG.zero, x);
      asm.and(r, r, x);
      asm.sltiu(cfSrc, x, 1); // CF = (source != 0)
      ctx.setCc(CC.BMILG, 32, r, cfSrc);
      break;
    case 'BLSMSK':
    case 'BLSR':
      asm.addiu(r, x, -1);
      if (insn.op === 'BLSR') asm.and(r, r, x);
      else asm.xor(r, r, x);
      ctx.setCc(CC.BMILG, 32, r, x); // CF = (source == 0)
      break;
    case 'BZHI': {
      // n = index[7:0]; n < 32 keeps bits n-1..0; CF = (n > 31)
      const n = ctx.tmp();
      asm.andi(n, ctx.read(b, 32), 0xff);
      const m = ctx.tmp();
      asm.addiu(m, REG.zero, -1);
      asm.dsllv(m, m, n); // a 64-bit shift: n = 32 clears nothing of the low word
      asm.nor(m, m, REG.zero);
      asm.and(r, x, m);
      asm.sltiu(cfSrc, n, 32);
      asm.movz(r, x, cfSrc); // n > 31 (dsllv masks n to 6 bits): the source whole
      ctx.setCc(CC.BMILG, 32, r, cfSrc);
      break;
    }
    case 'BEXTR': {
      // start = control[7:0], length = control[15:8], each saturating at the operand size
      const ctl = ctx.read(b, 32);
      const start = ctx.tmp();
      const len = ctx.tmp();
      const t = ctx.tmp();
      asm.andi(start, ctl, 0xff);
      asm.ext(len, ctl, 8, 8);
      asm.dext(r, x, 0, 32);
      asm.dsrlv(r, r, start);
      asm.sltiu(t, start, 32);
      asm.movz(r, REG.zero, t); // start > 31 (dsrlv masks it): nothing left
      asm.addiu(t, REG.zero, -1);
      asm.dsllv(t, t, len);
      asm.nor(t, t, REG.zero);
      asm.sltiu(start, len, 32);
      asm.and(t, r, t);
      asm.movn(r, t, start); // length > 31: everything from start on
      asm.sll(r, r, 0);
      // ZF from the result, CF = OF = 0; AF set, SF clear and PF from the result as the CPU does
      const f = ctx.tmp();
      asm.sltiu(f, r, 1);
      asm.sll(f, f, Math.log2(ZF));
      asm.ori(f, f, AF);
      emitParity(ctx, t, r);
      asm.or(f, f, t);
      ctx.setCc(CC.EFLAGS, 32, REG.zero, f);
      break;
    }
    default:
      throw ctx.unsupported(insn.op);
  }
  ctx.write(dst, r, 32);
  return false;
};

/** PF of the low byte of `v` into `into` (as the EFLAGS bit). */
function emitParity(ctx: GenContext, into: number, v: number): void {
  const asm = ctx.asm;
  const u = ctx.tmp();
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

/** mulx, rorx, sarx, shlx, shrx, pdep, pext: no flags change. */
export const genBmiNoFlags: GenFn = (ctx, insn) => {
  const asm = ctx.asm;
  const [dst, a, b] = insn.operands;
  const r = ctx.tmp();
  switch (insn.op) {
    case 'MULX': {
      // hi:lo = EDX * source; lo to the vvvv register, then hi (hi wins when they are one register)
      asm.multu(ctx.gpr(EDX), ctx.read(b, 32));
      const lo = ctx.tmp();
      asm.mflo(lo);
      asm.mfhi(r);
      ctx.writeReg(regOperand(ctx, a), lo);
      break;
    }
    case 'RORX':
      if (b.kind !== 'imm') throw ctx.unsupported('rorx count');
      asm.rotr(r, ctx.read(a, 32), b.value & 31);
      break;
    case 'SHLX':
      asm.sllv(r, ctx.read(a, 32), ctx.read(b, 32)); // sllv/srlv/srav use the count's low 5 bits, as x86
      break;
    case 'SHRX':
      asm.srlv(r, ctx.read(a, 32), ctx.read(b, 32));
      break;
    case 'SARX':
      asm.srav(r, ctx.read(a, 32), ctx.read(b, 32));
      break;
    case 'PDEP':
    case 'PEXT':
      ctx.move(REG.a1, ctx.read(a, 32));
      ctx.move(REG.a2, ctx.read(b, 32));
      asm.addiu(REG.a0, REG.zero, insn.op === 'PEXT' ? 1 : 0);
      ctx.callHelper(ctx.opts.helpers.pdepPext);
      ctx.move(r, REG.v0);
      break;
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
  const b = ctx.tmp();
  ctx.move(b, ctx.read(src, 32));
  ctx.materializeFlags();
  const cin = ctx.tmp();
  asm.ext(cin, CC_SRC_REG, bit, 1);
  const a = ctx.read(dst, 32);
  const s = ctx.tmp();
  const r = ctx.tmp();
  const c = ctx.tmp();
  asm.addu(s, a, b);
  asm.sltu(c, s, a); // carry of a + b (sign-extended words keep the unsigned order)
  asm.addu(r, s, cin);
  asm.sltu(cin, r, s); // carry of + cin
  asm.or(c, c, cin);
  asm.ins(CC_SRC_REG, c, bit, 1);
  ctx.writeReg(regOperand(ctx, dst), r);
  return false;
};

/** movbe: a load or store with the bytes reversed (16 or 32 bits). */
export const genMovbe: GenFn = (ctx, insn) => {
  const asm = ctx.asm;
  const bits = insn.opSize;
  const [dst, src] = insn.operands;
  const v = ctx.tmp();
  ctx.move(v, ctx.read(src, bits));
  asm.wsbh(v, v);
  if (bits === 32) asm.rotr(v, v, 16);
  else asm.andi(v, v, 0xffff);
  ctx.write(dst, v, bits);
  return false;
};
