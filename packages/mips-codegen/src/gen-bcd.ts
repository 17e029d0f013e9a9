/**
 * Decimal adjustments: daa, das, aaa, aas, aam, aad. They read AF and CF, so the flags are
 * materialised first; the adjustment itself (x86-semantics' bcdAdjust, run by the bcd_adjust
 * helper) maps (AX, EFLAGS) to the new AX and EFLAGS. aam $0 divides by zero: #DE, as on the CPU.
 */
import { REG, REGION } from '@dbtlab/mips-host';
import { BCD_OPS, CC } from '@dbtlab/x86-semantics';
import { EXCP } from './excp';
import type { GenFn } from './gen-table';
import { CC_SRC_REG } from './reg-map';

export const genBcd: GenFn = (ctx, insn) => {
  const op = BCD_OPS.indexOf(insn.op as (typeof BCD_OPS)[number]);
  const base = insn.operands[0]?.kind === 'imm' ? insn.operands[0].value & 0xff : 10;
  if (insn.op === 'AAM' && base === 0) {
    const pc = insn.addr;
    ctx.withRegion(REGION.exit_stub, () => ctx.raise(ctx.opts.helpers.raiseException, EXCP.DIVZ, pc, pc));
    return true;
  }
  ctx.materializeFlags();
  const a = ctx.asm;
  const eax = ctx.gpr(0);
  a.move(REG.a1, eax);
  a.move(REG.a2, CC_SRC_REG);
  a.li(REG.a0, op);
  a.li(REG.a3, base);
  ctx.callHelper(ctx.opts.helpers.bcdAdjust, [], false);
  a.ins(eax, REG.v0, 0, 16);
  const f = ctx.tmp();
  a.srl(f, REG.v0, 16);
  ctx.setCc(CC.EFLAGS, 32, REG.zero, f);
  return false;
};
