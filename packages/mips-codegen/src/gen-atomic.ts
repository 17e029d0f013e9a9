/**
 * xadd, cmpxchg, cmpxchg8b: single-threaded guests make the lock prefix a no-op, but the
 * compare-and-write semantics, including the unconditional write of the destination, stay.
 */
import { CC } from '@dbtlab/x86-semantics';
import type { GenFn } from './gen-table';
import { CC_SRC_REG } from './reg-map';

export const genXadd: GenFn = (ctx, insn) => {
  const bits = insn.opSize;
  const [dst, src] = insn.operands;
  const a = ctx.tmp();
  ctx.move(a, ctx.read(dst, bits));
  const b = ctx.tmp();
  ctx.move(b, ctx.read(src, bits));
  const t = ctx.tmp();
  if (bits === 64) ctx.asm.daddu(t, a, b);
  else ctx.asm.addu(t, a, b);
  if (bits < 32) ctx.narrow(t, t, bits);
  if (dst.kind === 'mem') ctx.write(dst, t);
  ctx.setCc(CC.ADD, bits, t, b);
  ctx.write(src, a);
  if (dst.kind !== 'mem') ctx.write(dst, t); // the destination is written last: xadd %eax,%eax
  return false;
};

export const genCmpxchg: GenFn = (ctx, insn) => {
  const asm = ctx.asm;
  const bits = insn.opSize;
  const [dst, src] = insn.operands;
  const acc = { kind: 'reg', file: 'gpr', reg: 0, size: bits } as const;
  // (x86-64, short of scratch registers: the loaded value itself; it is only read below)
  const old = ctx.mode64 ? ctx.read(dst, bits) : ctx.tmp();
  if (!ctx.mode64) ctx.move(old, ctx.read(dst, bits));
  const a = ctx.readReg(acc);
  const diff = ctx.tmp();
  if (bits === 64) asm.dsubu(diff, a, old);
  else asm.subu(diff, a, old);
  if (bits < 32) ctx.narrow(diff, diff, bits);
  const v = ctx.tmp();
  ctx.move(v, old);
  asm.movz(v, ctx.read(src, bits), diff); // equal: the source goes in
  // unequal: the accumulator receives the destination's value
  const na = ctx.mode64 && ctx.isScratch(a) ? a : ctx.tmp();
  // x86-64, 32 bits: equal leaves RAX alone (upper half kept), unequal loads EAX zero-extended
  const onlyUnequal = ctx.mode64 && bits === 32;
  if (onlyUnequal) asm.dext(na, old, 0, 32);
  else {
    ctx.move(na, a);
    asm.movn(na, old, diff);
  }
  // the destination is always written (with its own value when unequal); a register
  // destination goes last, so cmpxchg %ecx, %eax leaves the source in %eax when equal
  if (dst.kind === 'mem') ctx.write(dst, v);
  ctx.setCc(CC.SUB, bits, diff, old);
  if (onlyUnequal) asm.movn(ctx.gpr(0), na, diff);
  else ctx.writeReg(acc, na);
  if (dst.kind !== 'mem') ctx.write(dst, v);
  return false;
};

export const genCmpxchg8b: GenFn = (ctx, insn) => {
  const asm = ctx.asm;
  const [m] = insn.operands;
  if (m.kind !== 'mem') throw ctx.unsupported('cmpxchg8b with a register operand');
  ctx.materializeFlags();
  const addr = ctx.hostAddress(m);
  const lo = ctx.load(32, addr, 0);
  const hi = ctx.load(32, addr, 4);
  const d1 = ctx.tmp();
  const d2 = ctx.tmp();
  asm.xor(d1, lo, ctx.gpr(0));
  asm.xor(d2, hi, ctx.gpr(2));
  asm.or(d1, d1, d2); // zero when edx:eax equals m64
  const nlo = ctx.tmp();
  const nhi = ctx.tmp();
  ctx.move(nlo, lo);
  ctx.move(nhi, hi);
  asm.movz(nlo, ctx.gpr(3), d1);
  asm.movz(nhi, ctx.gpr(1), d1);
  ctx.store(32, nlo, addr, 0);
  ctx.store(32, nhi, addr, 4);
  asm.movn(ctx.gpr(0), lo, d1);
  asm.movn(ctx.gpr(2), hi, d1);
  asm.sltiu(d2, d1, 1);
  asm.ins(CC_SRC_REG, d2, 6, 1); // ZF; the other flags are unchanged
  return false;
};
