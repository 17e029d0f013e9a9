/**
 * xadd, cmpxchg, cmpxchg8b/16b: single-threaded guests make the lock prefix a no-op, but the
 * compare-and-write semantics, including the unconditional write of the destination, stay.
 */
import { REG, REGION } from '@dbtlab/mips-host';
import { CC } from '@dbtlab/x86-semantics';
import { EXCP } from './excp';
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
  // the destination is written (with its own value when unequal; x86-64's 32-bit register one only
  // when equal); a register destination goes last, so cmpxchg %ecx, %eax leaves the source in %eax when equal
  if (dst.kind === 'mem') ctx.write(dst, v);
  ctx.setCc(CC.SUB, bits, diff, old);
  if (onlyUnequal) asm.movn(ctx.gpr(0), na, diff);
  else ctx.writeReg(acc, na);
  if (dst.kind === 'mem') return false;
  if (onlyUnequal && dst.kind === 'reg') {
    // a register destination is written only when equal: unequal leaves all 64 bits (measured, Zen 4; QEMU's tests/tcg/x86_64/cmpxchg.c)
    const ze = ctx.tmp();
    asm.dext(ze, v, 0, 32);
    asm.movz(ctx.gpr(dst.reg), ze, diff);
  } else ctx.write(dst, v);
  return false;
};

/**
 * cmpxchg8b m64 / cmpxchg16b m128 (REX.W): compare EDX:EAX (RDX:RAX) with the memory pair;
 * equal: ZF=1 and ECX:EBX (RCX:RBX) is written; unequal: ZF=0, the pair is loaded into
 * EDX:EAX (x86-64: zero-extended, as a 32-bit write) and written back unchanged. cmpxchg16b
 * on an operand not 16-byte aligned is #GP (SIGSEGV).
 */
export const genCmpxchg8b: GenFn = (ctx, insn) => {
  const asm = ctx.asm;
  const [m] = insn.operands;
  if (m.kind !== 'mem') throw ctx.unsupported('cmpxchg8b with a register operand');
  const bits = insn.op === 'CMPXCHG16B' ? 64 : 32;
  ctx.materializeFlags();
  if (bits === 64) {
    const ea = ctx.effectiveAddress(m);
    const pc = ctx.insn.addr;
    asm.andi(REG.at, ea, 15);
    const gp = ctx.stub(() => ctx.withRegion(REGION.exit_stub, () => ctx.raise(ctx.opts.helpers.raiseException, EXCP.GPF, pc, pc)));
    asm.bne(REG.at, REG.zero, gp);
    asm.nop(); // delay slot
    ctx.presetHostAddress(ea);
  }
  const addr = ctx.hostAddress(m);
  const lo = ctx.load(bits, addr, 0);
  const hi = ctx.load(bits, addr, bits / 8);
  const d = ctx.tmp();
  const t = ctx.tmp();
  asm.xor(d, lo, ctx.gpr(0));
  asm.xor(t, hi, ctx.gpr(2));
  asm.or(d, d, t);
  // x86-64's cmpxchg8b compares the low halves of RDX:RAX only
  if (ctx.mode64 && bits === 32) asm.sll(d, d, 0);
  ctx.move(t, lo);
  asm.movz(t, ctx.gpr(3), d);
  if (bits === 32) {
    // one 64-bit store: all-or-nothing when the operand crosses a page, as x86 writes it
    ctx.move(REG.at, hi);
    asm.movz(REG.at, ctx.gpr(1), d);
    asm.dinsu(t, REG.at, 32, 32);
    ctx.store(64, t, addr, 0);
  } else {
    ctx.store(bits, t, addr, 0);
    ctx.move(t, hi);
    asm.movz(t, ctx.gpr(1), d);
    ctx.store(bits, t, addr, bits / 8);
  }
  if (ctx.mode64 && bits === 32) {
    asm.dext(lo, lo, 0, 32);
    asm.dext(hi, hi, 0, 32);
  }
  asm.movn(ctx.gpr(0), lo, d);
  asm.movn(ctx.gpr(2), hi, d);
  asm.sltiu(t, d, 1);
  asm.ins(CC_SRC_REG, t, 6, 1); // ZF; the other flags are unchanged
  return false;
};
