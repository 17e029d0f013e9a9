/** Integer ALU: add/sub/logic/cmp/test, adc/sbb, inc/dec, neg/not, shifts (Blink's alu.c). */
import { REG } from '@dbtlab/mips-host';
import { ENV, type Operand } from '@dbtlab/x86-frontend';
import { CC, type CcKind } from '@dbtlab/x86-semantics';
import { GenContext } from './gen-context';
import type { GenFn } from './gen-table';
import { CC_SRC_REG, ENV_REG } from './reg-map';

/** Writes an instruction's result; a memory store comes before the flags (precise faults). */
export function commit(ctx: GenContext, dst: Operand, value: number, setFlags: () => void): void {
  if (dst.kind === 'mem') {
    ctx.write(dst, value);
    setFlags();
  } else {
    setFlags();
    ctx.write(dst, value);
  }
}

const BINARY: Record<string, { kind: CcKind; writes: boolean }> = {
  ADD: { kind: CC.ADD, writes: true },
  ADC: { kind: CC.ADC, writes: true },
  SUB: { kind: CC.SUB, writes: true },
  SBB: { kind: CC.SBB, writes: true },
  CMP: { kind: CC.SUB, writes: false },
  AND: { kind: CC.LOGIC, writes: true },
  OR: { kind: CC.LOGIC, writes: true },
  XOR: { kind: CC.LOGIC, writes: true },
  TEST: { kind: CC.LOGIC, writes: false },
};

export const genBinary: GenFn = (ctx, insn) => {
  const { kind, writes } = BINARY[insn.op];
  const bits = insn.opSize;
  const [dst, src] = insn.operands;
  const asm = ctx.asm;
  const carry = insn.op === 'ADC' || insn.op === 'SBB' ? ctx.condition(2) : -1;
  const a = ctx.read(dst, bits);
  const b = ctx.read(src, bits);
  const t = ctx.tmp();
  const add = bits === 64 ? asm.daddu.bind(asm) : asm.addu.bind(asm);
  const sub = bits === 64 ? asm.dsubu.bind(asm) : asm.subu.bind(asm);
  switch (insn.op) {
    case 'ADD': add(t, a, b); break;
    case 'ADC': add(t, a, b); add(t, t, carry); break;
    case 'SUB': case 'CMP': sub(t, a, b); break;
    case 'SBB': sub(t, a, b); sub(t, t, carry); break;
    case 'AND': case 'TEST': asm.and(t, a, b); break;
    case 'OR': asm.or(t, a, b); break;
    case 'XOR': asm.xor(t, a, b); break;
  }
  if (bits < 32 && kind !== CC.LOGIC) ctx.narrow(t, t, bits);
  const flags = () => ctx.setCc(kind, bits, t, kind === CC.LOGIC ? undefined : b, carry >= 0 ? carry : undefined);
  if (writes) commit(ctx, dst, t, flags);
  else flags();
  return false;
};

export const genIncDec: GenFn = (ctx, insn) => {
  const bits = insn.opSize;
  const [dst] = insn.operands;
  const cf = ctx.condition(2);
  const a = ctx.read(dst, bits);
  const t = ctx.tmp();
  if (bits === 64) ctx.asm.daddiu(t, a, insn.op === 'INC' ? 1 : -1);
  else ctx.asm.addiu(t, a, insn.op === 'INC' ? 1 : -1);
  if (bits < 32) ctx.narrow(t, t, bits);
  commit(ctx, dst, t, () => ctx.setCc(insn.op === 'INC' ? CC.INC : CC.DEC, bits, t, cf));
  return false;
};

export const genNegNot: GenFn = (ctx, insn) => {
  const bits = insn.opSize;
  const [dst] = insn.operands;
  const a = ctx.read(dst, bits);
  const t = ctx.tmp();
  if (insn.op === 'NOT') {
    ctx.asm.nor(t, a, REG.zero);
    ctx.narrow(t, t, bits);
    ctx.write(dst, t);
    return false;
  }
  const old = ctx.tmp();
  ctx.move(old, a);
  if (bits === 64) ctx.asm.dsubu(t, REG.zero, a);
  else ctx.asm.subu(t, REG.zero, a);
  if (bits < 32) ctx.narrow(t, t, bits);
  commit(ctx, dst, t, () => ctx.setCc(CC.NEG, bits, t, old));
  return false;
};

/** SHL/SHR/SAR by an immediate or by %cl (a zero count changes nothing, flags included). */
export const genShift: GenFn = (ctx, insn) => {
  const asm = ctx.asm;
  const bits = insn.opSize;
  const [dst, countOp] = insn.operands;
  const op = insn.op;
  const a0 = ctx.read(dst, bits);
  // work on a 32-bit form: SAR needs the operand sign-extended, the others zero-extended
  const a = ctx.tmp();
  if (op === 'SAR' && bits === 8) asm.seb(a, a0);
  else if (op === 'SAR' && bits === 16) asm.seh(a, a0);
  else ctx.move(a, a0);
  const shift = (into: number, by: number) =>
    bits === 64
      ? op === 'SHL' ? asm.dsllv(into, a, by) : op === 'SHR' ? asm.dsrlv(into, a, by) : asm.dsrav(into, a, by)
      : op === 'SHL' ? asm.sllv(into, a, by) : op === 'SHR' ? asm.srlv(into, a, by) : asm.srav(into, a, by);
  ctx.withShiftCount(countOp, (n) => {
    const t = ctx.tmp();
    const u = ctx.tmp();
    shift(t, n);
    asm.addiu(u, n, -1);
    shift(u, u); // the value shifted by count - 1: its edge bit is CF
    if (bits < 32) {
      ctx.narrow(t, t, bits);
      ctx.narrow(u, u, bits);
    }
    commit(ctx, dst, t, () => ctx.setCc(op === 'SHL' ? CC.SHL : CC.SAR, bits, t, u));
  });
  return false;
};

/** CLC/STC/CMC/LAHF/SAHF: direct edits of the materialised flags. */
export const genFlagOps: GenFn = (ctx, insn) => {
  const asm = ctx.asm;
  ctx.materializeFlags();
  const f = CC_SRC_REG;
  switch (insn.op) {
    case 'CLC': asm.ins(f, REG.zero, 0, 1); break;
    case 'STC': asm.ori(f, f, 1); break;
    case 'CMC': asm.xori(f, f, 1); break;
    case 'LAHF': {
      const t = ctx.tmp();
      asm.andi(t, f, 0xd5);
      asm.ori(t, t, 2);
      ctx.writeReg({ kind: 'reg', file: 'gpr', reg: 0, size: 8, high8: true }, t);
      break;
    }
    case 'SAHF': {
      const t = ctx.tmp();
      asm.ext(t, ctx.gpr(0), 8, 8);
      asm.andi(t, t, 0xd5);
      asm.andi(f, f, 0x800);
      asm.or(f, f, t);
      break;
    }
  }
  return false;
};

export const genDirection: GenFn = (ctx, insn) => {
  ctx.setDirection(insn.op === 'STD');
  return false;
};

/** PUSHF's value: arithmetic flags | DF | the other kept bits | reserved bit 1. */
export function eflagsValue(ctx: GenContext): number {
  const asm = ctx.asm;
  ctx.materializeFlags();
  const v = ctx.tmp();
  const r = ctx.tmp();
  asm.lw(r, ENV.eflags, ENV_REG);
  asm.or(v, CC_SRC_REG, r);
  asm.lw(r, ENV.df, ENV_REG);
  asm.slt(r, r, REG.zero);
  asm.sll(r, r, 10);
  asm.or(v, v, r);
  asm.ori(v, v, 2);
  return v;
}

