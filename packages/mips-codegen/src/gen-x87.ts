/**
 * x87 instructions: each is one call of the x87 helper (QEMU's fpu_helper.c), which keeps
 * the FPU state in env and does exact 80-bit arithmetic (x86-semantics' fpu/). Translated code
 * only computes what the helper cannot see: the memory operand's guest address, the fcmov
 * condition from the lazy flags, and afterwards writes AX (fnstsw) or EFLAGS (fcomi).
 */
import { REG } from '@dbtlab/mips-host';
import type { DecodedInsn, X86Op } from '@dbtlab/x86-frontend';
import { CC, encodeX87Desc, X87_OPS, type X87Op } from '@dbtlab/x86-semantics';
import type { GenContext } from './gen-context';
import type { GenFn } from './gen-table';

const SEG_SS = 2, SEG_DS = 3, SEG_FS = 4;

const OP_INDEX = new Map<X86Op, number>(X87_OPS.map((op, i) => [op, i]));

/** The ops whose memory operand the helper writes: a read-only segment refuses them. */
const STORES: ReadonlySet<X87Op> = new Set<X87Op>(['FST', 'FSTP', 'FIST', 'FISTP', 'FISTTP', 'FBSTP', 'FNSTCW', 'FSTCW', 'FNSTSW', 'FSTSW', 'FNSTENV', 'FSTENV', 'FNSAVE', 'FSAVE']);

/** The bytes of an area without a size (the environment, the whole state), 32- and 16-bit forms. */
function areaBytes(op: X87Op, bits16: boolean): number {
  if (op === 'FNSTENV' || op === 'FSTENV' || op === 'FLDENV') return bits16 ? 14 : 28;
  return bits16 ? 94 : 108; // fnsave, frstor
}

/** The ops whose helper result is EFLAGS' ZF/PF/CF (cc_op becomes EFLAGS). */
const SETS_EFLAGS: ReadonlySet<X87Op> = new Set<X87Op>(['FCOMI', 'FCOMIP', 'FUCOMI', 'FUCOMIP']);

/** FOP: the escape byte's low 3 bits and the ModRM byte (prefixes and fwait skipped). */
function x87Opcode(insn: DecodedInsn): number {
  const b = insn.bytes;
  for (let k = 0; k + 1 < b.length; k++) if (b[k] >= 0xd8 && b[k] <= 0xdf) return ((b[k] & 7) << 8) | b[k + 1];
  return 0;
}

export const genX87: GenFn = (ctx: GenContext, insn: DecodedInsn) => {
  const op = OP_INDEX.get(insn.op);
  if (op === undefined) throw ctx.unsupported(`no x87 helper operation for ${insn.op}`);
  const a = ctx.asm;
  let memBits = 0;
  let ea: number = REG.zero;
  let sti = 0;
  let destSti = false;
  let seg = 0; // read only for a memory operand
  const regs: number[] = [];
  for (const o of insn.operands) {
    if (o.kind === 'mem') {
      // M0 rows (fnstenv, fnsave...) have no size: the helper knows their layout, 16 for the
      // 16-bit one (operand-size prefix)
      memBits = insn.opSize === 16 && /ENV|SAVE|RSTOR/.test(insn.op) ? 16 : o.size;
      const name = insn.op as X87Op;
      ea = ctx.effectiveAddress(o, true, o.size ? o.size / 8 : areaBytes(name, insn.opSize === 16), STORES.has(name));
      // an area without a size is checked for #AC at the form's operand size: 2 bytes for the
      // 16-bit forms, 4 for the others (measured natively)
      if (!o.size) ctx.checkAlign(ea, insn.opSize === 16 ? 2 : 4);
      // FDS is the effective segment's selector; x86-64 ignores cs/ds/es/ss overrides (measured)
      seg = ctx.mode64 && o.segOverride && o.seg < SEG_FS ? (o.base === 4 || o.base === 5 ? SEG_SS : SEG_DS) : o.seg;
    } else if (o.kind === 'reg' && o.file === 'x87') regs.push(o.reg);
  }
  if (regs.length > 0) {
    sti = Math.max(...regs);
    destSti = regs.length === 2 && regs[0] === sti && regs[1] === 0;
  }
  const cond = insn.op === 'FCMOVCC' ? ctx.condition(insn.cond) : REG.zero;
  if (ctx.mode64) {
    if (ea !== REG.zero) ctx.checkGuestAddress(ea);
    ctx.moveArgs([[REG.a1, ea], [REG.a3, cond]]);
  } else {
    ctx.move(REG.a1, ea);
    ctx.move(REG.a3, cond);
  }
  a.li(REG.a0, encodeX87Desc({ op, memBits, sti, destSti, fop: x87Opcode(insn), seg }));
  a.li(REG.a2, ctx.mode64 ? insn.addr : insn.addr | 0); // FIP: rip whole (fxsave64 stores 64 bits)
  // the helper touches neither guest registers nor the lazy flags: no spill needed
  ctx.callHelper(ctx.opts.helpers.x87, [], false);
  const name = insn.op as X87Op;
  if (SETS_EFLAGS.has(name)) ctx.setCc(CC.EFLAGS, 32, REG.zero, REG.v0);
  else if (insn.operands[0]?.kind === 'reg' && insn.operands[0].file === 'gpr') ctx.writeReg(insn.operands[0], REG.v0);
  return false;
};
