/**
 * String instructions. Without a prefix they are ordinary instructions. With rep/repe/repne
 * they are translated as QEMU does (gen_repz): one iteration, then a jump back to the same
 * instruction through goto_tb, so every iteration is one TB execution, and the TB ends.
 * With a 16-bit address size (0x67) they use SI, DI and CX, whose upper halves stay put; in
 * x86-64 mode 0x67 makes them ESI, EDI and ECX, written as 32-bit registers (zero-extended).
 */
import { REG } from '@dbtlab/mips-host';
import { CC } from '@dbtlab/x86-semantics';
import { CC_OP_DYNAMIC, type GenContext } from './gen-context';
import type { GenFn } from './gen-table';
import { gotoTb } from './tb-exits';
import { ENV_REG, GUEST_BASE_REG } from './reg-map';
import { ENV } from '@dbtlab/x86-frontend';

const EAX = 0;
const ECX = 1;
const ESI = 6;
const EDI = 7;

/** Host address of seg:reg (es:edi has no override; ds:esi may have one) for an access of `bits`, a store if `write`. */
function stringAddress(ctx: GenContext, reg: number, seg: number, bits: number, write = false): number {
  const asm = ctx.asm;
  if (ctx.mode64) {
    // x86-64: 64-bit rsi/rdi (esi/edi under 0x67), checked like every access
    const wide = ctx.insn.addrSize === 64;
    if (wide && seg !== 4 && seg !== 5) {
      const h = ctx.guestToHost(ctx.gpr(reg));
      ctx.checkAlign(h, bits / 8);
      return h;
    }
    const e = ctx.tmp();
    if (wide) asm.move(e, ctx.gpr(reg));
    else asm.dext(e, ctx.gpr(reg), 0, 32);
    if (seg === 4 || seg === 5) {
      asm.ld(REG.at, ENV.segBase + 8 * seg, ENV_REG);
      asm.daddu(e, e, REG.at);
    }
    const h = ctx.guestToHost(e);
    ctx.checkAlign(h, bits / 8);
    return h;
  }
  const t = ctx.tmp();
  const r = addressRegister(ctx, reg);
  ctx.checkSegment(seg, r, bits / 8, write);
  if (ctx.addsSegBase(seg)) {
    asm.lw(t, ENV.segBase + 8 * seg, ENV_REG);
    asm.addu(t, t, r);
    asm.dext(t, t, 0, 32);
  } else asm.dext(t, r, 0, 32);
  asm.daddu(t, t, GUEST_BASE_REG);
  ctx.checkAlign(t, bits / 8);
  return t;
}

/** ESI/EDI/ECX (x86-64: RSI/RDI/RCX), or its low 16 (x86-64: 32) bits under 0x67. */
function addressRegister(ctx: GenContext, reg: number): number {
  if (ctx.insn.addrSize === (ctx.mode64 ? 64 : 32)) return ctx.gpr(reg);
  const t = ctx.tmp();
  if (ctx.mode64) ctx.asm.dext(t, ctx.gpr(reg), 0, 32);
  else ctx.asm.andi(t, ctx.gpr(reg), 0xffff);
  return t;
}

/** reg += delta (only the low 16 bits under a 16-bit address size). */
function advance(ctx: GenContext, reg: number, delta: number): void {
  const asm = ctx.asm;
  if (ctx.mode64) {
    asm.daddu(ctx.gpr(reg), ctx.gpr(reg), delta);
    if (ctx.insn.addrSize === 32) asm.dext(ctx.gpr(reg), ctx.gpr(reg), 0, 32);
    return;
  }
  if (ctx.insn.addrSize !== 16) {
    asm.addu(ctx.gpr(reg), ctx.gpr(reg), delta);
    return;
  }
  const t = ctx.tmp();
  asm.addu(t, ctx.gpr(reg), delta);
  asm.ins(ctx.gpr(reg), t, 0, 16);
}

/** Segment of the source operand (%ds unless overridden). */
function sourceSegment(ctx: GenContext): number {
  for (const op of ctx.insn.operands) if (op.kind === 'mem' && op.base === ESI) return op.seg;
  return 3;
}

function iteration(ctx: GenContext): number | undefined {
  const asm = ctx.asm;
  const op = ctx.insn.op;
  const bits = ctx.insn.opSize;
  const delta = ctx.direction();
  asm.sll(delta, delta, Math.log2(bits / 8));
  const acc = { kind: 'reg', file: 'gpr', reg: EAX, size: bits } as const;
  switch (op) {
    case 'MOVS': {
      const v = ctx.load(bits, stringAddress(ctx, ESI, sourceSegment(ctx), bits));
      ctx.store(bits, v, stringAddress(ctx, EDI, 0, bits, true));
      advance(ctx, ESI, delta);
      advance(ctx, EDI, delta);
      return undefined;
    }
    case 'STOS':
      ctx.store(bits, ctx.readReg(acc), stringAddress(ctx, EDI, 0, bits, true));
      advance(ctx, EDI, delta);
      return undefined;
    case 'LODS': {
      const v = ctx.load(bits, stringAddress(ctx, ESI, sourceSegment(ctx), bits));
      advance(ctx, ESI, delta);
      ctx.writeReg(acc, v);
      return undefined;
    }
    case 'CMPS': case 'SCAS': {
      const a = op === 'CMPS' ? ctx.load(bits, stringAddress(ctx, ESI, sourceSegment(ctx), bits)) : ctx.readReg(acc);
      const b = ctx.load(bits, stringAddress(ctx, EDI, 0, bits));
      const t = ctx.tmp();
      if (bits === 64) asm.dsubu(t, a, b);
      else asm.subu(t, a, b);
      if (bits < 32) ctx.narrow(t, t, bits);
      ctx.setCc(CC.SUB, bits, t, b);
      if (op === 'CMPS') advance(ctx, ESI, delta);
      advance(ctx, EDI, delta);
      return t;
    }
  }
  throw ctx.unsupported('string operation');
}

export const genString: GenFn = (ctx, insn) => {
  if (insn.rep === 'none') {
    iteration(ctx);
    return false;
  }
  const asm = ctx.asm;
  const ecx = ctx.gpr(ECX);
  ctx.syncCcOp();
  const done = asm.newLabel();
  // (x86-64 under 0x67: ECX in $at, as cmps needs the six scratch registers)
  const count = ctx.mode64 && insn.addrSize === 32 ? REG.at : addressRegister(ctx, ECX);
  if (count === REG.at) asm.dext(count, ecx, 0, 32);
  asm.beq(count, REG.zero, done);
  asm.nop(); // delay slot
  const result = iteration(ctx);
  if (insn.addrSize === 16) {
    asm.addiu(count, count, -1);
    asm.ins(ecx, count, 0, 16);
  } else if (ctx.mode64) {
    asm.daddiu(ecx, ecx, -1);
    if (insn.addrSize === 32) asm.dext(ecx, ecx, 0, 32);
  } else asm.addiu(ecx, ecx, -1);
  if (result !== undefined) {
    // repe stops when ZF = 0 (result != 0), repne when ZF = 1
    ctx.syncCcOp();
    if (insn.rep === 'repe') asm.bne(result, REG.zero, done);
    else asm.beq(result, REG.zero, done);
    asm.nop(); // delay slot
  }
  if (!ctx.opts.chaining) {
    // QEMU's repz_opt (on when goto_tb is off): leave at once when ecx reaches 0, rather
    // than after one more execution of this instruction
    asm.beq(insn.addrSize === 16 ? count : ecx, REG.zero, done);
    asm.nop(); // delay slot
  }
  gotoTb(ctx, 0, insn.addr);
  // paths join with different flags (ecx was 0, or an iteration ran): cc_op is in env
  if (result !== undefined) ctx.ccOp = CC_OP_DYNAMIC;
  asm.bind(done);
  gotoTb(ctx, 1, ctx.nextPc);
  return true;
};
