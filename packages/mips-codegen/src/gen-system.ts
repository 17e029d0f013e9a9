/**
 * The protected-mode instructions user code may run: lar, lsl, verr, verw (the OS's
 * descriptor, judged in x86-semantics, through the selector_access helper), arpl (inline),
 * and sgdt, sidt, smsw, sldt, str (the values the OS lets user code see, system_register).
 */
import { REG } from '@dbtlab/mips-host';
import { SELECTOR_OPS, SYSTEM_REGISTER_OPS, type SelectorOp, type SystemRegisterOp } from '@dbtlab/x86-semantics';
import type { GenContext } from './gen-context';
import type { GenFn } from './gen-table';
import { CC_SRC_REG } from './reg-map';

/** The helper's v0 and v1 in scratch registers (v1 may itself be the first scratch register). */
function helperResults(ctx: GenContext): [v0: number, v1: number] {
  const hi = ctx.tmp();
  ctx.move(hi, REG.v1);
  const lo = ctx.tmp();
  ctx.move(lo, REG.v0);
  return [lo, hi];
}

/** lar/lsl r, r/m16: the result only when ZF is set; verr/verw r/m16: ZF. The other flags keep their values. */
export const genSelectorAccess: GenFn = (ctx, insn) => {
  const op = insn.op as SelectorOp;
  const writes = op === 'LAR' || op === 'LSL';
  // the selector's registers are free after the call (x86-64's costliest memory operand needs them)
  ctx.scratchScope(() => {
    const sel = ctx.read(insn.operands[writes ? 1 : 0], 16);
    ctx.materializeFlags();
    ctx.callHelper(ctx.opts.helpers.selectorAccess, [ctx.constReg(SELECTOR_OPS.indexOf(op)), sel]);
  });
  const [zf, value] = helperResults(ctx);
  const dst = insn.operands[0];
  if (writes && ctx.mode64 && dst.kind === 'reg' && insn.opSize !== 16) {
    // x86-64: the value zero-extended into the whole register, which a failed lar/lsl leaves alone (measured)
    ctx.asm.dext(value, value, 0, 32);
    ctx.asm.movn(ctx.gpr(dst.reg), value, zf);
  } else if (writes) {
    const r = ctx.tmp();
    ctx.move(r, ctx.read(dst));
    ctx.asm.movn(r, value, zf);
    ctx.write(dst, r);
  }
  ctx.asm.ins(CC_SRC_REG, zf, 6, 1);
  return false;
};

/**
 * sgdt/sidt m: 16-bit limit, then the base: 32 bits whatever the operand size, 64 in a 64-bit
 * process (the OS's value sign-extended, as Linux's UMIP constants are); smsw/sldt/str: the
 * whole operand size to a register, 16 bits to memory. Linux's emulation copies the operand
 * size's bytes into the saved register: a 32-bit destination keeps bits 63..32 (measured in the
 * kernel VM; the CPU itself would zero them), a 64-bit one gets the value zero-extended.
 */
export const genSystemRegister: GenFn = (ctx, insn) => {
  const op = insn.op as SystemRegisterOp;
  const dst = insn.operands[0];
  ctx.callHelper(ctx.opts.helpers.systemRegister, [ctx.constReg(SYSTEM_REGISTER_OPS.indexOf(op))]);
  const [value, base] = helperResults(ctx);
  if (op === 'SGDT' || op === 'SIDT') {
    if (dst.kind !== 'mem') throw ctx.unsupported(`${op} operand`);
    const host = ctx.hostAddress(dst);
    ctx.store(16, value, host);
    ctx.store(ctx.mode64 ? 64 : 32, base, host, 2);
  } else if (ctx.mode64 && dst.kind === 'reg' && insn.opSize !== 16) {
    if (insn.opSize === 64) ctx.asm.dext(ctx.gpr(dst.reg), value, 0, 32);
    else ctx.asm.dins(ctx.gpr(dst.reg), value, 0, 32);
  } else ctx.write(dst, value, dst.kind === 'mem' ? 16 : insn.opSize);
  return false;
};

/** arpl r/m16, r16: raises the destination's RPL to the source's (ZF = 1), else ZF = 0 and no write. */
export const genArpl: GenFn = (ctx, insn) => {
  const asm = ctx.asm;
  const [dst, src] = insn.operands;
  const d = ctx.read(dst, 16);
  const s = ctx.read(src, 16);
  ctx.materializeFlags();
  const rplD = ctx.tmp();
  const rplS = ctx.tmp();
  asm.andi(rplD, d, 3);
  asm.andi(rplS, s, 3);
  const lower = ctx.tmp();
  asm.sltu(lower, rplD, rplS);
  const raised = ctx.tmp();
  asm.move(raised, d);
  asm.ins(raised, rplS, 0, 2);
  const skip = asm.newLabel();
  asm.beq(lower, REG.zero, skip);
  asm.nop(); // delay slot
  ctx.write(dst, raised, 16);
  asm.bind(skip);
  asm.ins(CC_SRC_REG, lower, 6, 1);
  return false;
};
