/**
 * Decimal adjustments: daa, das, aaa, aas, aam, aad. They read AF and CF, so the flags are
 * materialised first; the adjustment itself (bcdAdjust, run by the bcd_adjust helper) maps
 * (AX, EFLAGS) to the new AX and EFLAGS. aam $0 divides by zero: #DE, as on the CPU.
 */
import { REG, REGION } from '@dbtlab/mips-host';
import { AF, CF, PF, SF, ZF } from '@dbtlab/x86-frontend';
import { CC, parity } from './cc-op';
import { EXCP } from './excp';
import type { GenFn } from './gen-table';
import { CC_SRC_REG } from './reg-map';

/** Operation numbers passed to the helper in a0. */
export const BCD_OPS = ['DAA', 'DAS', 'AAA', 'AAS', 'AAM', 'AAD'] as const;

/** SF, ZF, PF of an 8-bit result. */
function szp(v: number): number {
  return (v & 0x80 ? SF : 0) | (v === 0 ? ZF : 0) | (parity(v) ? PF : 0);
}

/**
 * The SDM's pseudocode. Returns (newAX & 0xffff) | (newFlags << 16); OF and, where the SDM
 * leaves them undefined, the others come out as computed here.
 */
export function bcdAdjust(op: number, ax: number, flags: number, base: number): number {
  let al = ax & 0xff;
  let ah = (ax >> 8) & 0xff;
  const af = (flags & AF) !== 0;
  const cf = (flags & CF) !== 0;
  let f = 0;
  switch (BCD_OPS[op]) {
    case 'DAA': {
      const old = al;
      if ((al & 0xf) > 9 || af) {
        al += 6;
        f |= AF;
      }
      if (old > 0x99 || cf) {
        al += 0x60;
        f |= CF;
      }
      al &= 0xff;
      f |= szp(al);
      break;
    }
    case 'DAS': {
      const old = al;
      if ((al & 0xf) > 9 || af) {
        if (al < 6) f |= CF;
        al = (al - 6) & 0xff;
        f |= AF | (cf ? CF : 0);
      }
      if (old > 0x99 || cf) {
        al = (al - 0x60) & 0xff;
        f |= CF;
      }
      f |= szp(al);
      break;
    }
    case 'AAA':
    case 'AAS': {
      const add = BCD_OPS[op] === 'AAA';
      if ((al & 0xf) > 9 || af) {
        const v = ((ah << 8) | al) + (add ? 0x106 : -0x106);
        ah = (v >> 8) & 0xff;
        al = v & 0xff;
        f |= AF | CF;
      }
      al &= 0xf;
      f |= szp(al);
      break;
    }
    case 'AAM':
      ah = Math.floor(al / base);
      al %= base;
      f |= szp(al);
      break;
    default: // AAD
      al = (al + ah * base) & 0xff;
      ah = 0;
      f |= szp(al);
  }
  return ((ah << 8) | al) | (f << 16);
}

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
