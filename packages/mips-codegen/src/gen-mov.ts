/** Data movement: mov, movzx/movsx, lea, xchg, cmov, setcc, cbw/cwd families, bswap, xlat. */
import { REG } from '@dbtlab/mips-host';
import { ENV } from '@dbtlab/x86-frontend';
import { ENV_REG } from './reg-map';
import type { GenFn } from './gen-table';
import { genInvalidOpcode } from './gen-misc';

export const genMov: GenFn = (ctx, insn) => {
  const [dst, src] = insn.operands;
  if (dst.kind === 'reg' && dst.file === 'seg') {
    if (dst.reg === 1) return genInvalidOpcode(ctx, insn); // %cs is loaded only by far transfers
    // the base comes from the descriptor the selector names (set_thread_area's TLS entries)
    const sel = ctx.read(src, 16);
    ctx.callHelper(ctx.opts.helpers.loadSeg, [ctx.constReg(dst.reg), sel]);
    return false;
  }
  if (src.kind === 'reg' && src.file === 'seg') {
    const t = ctx.tmp();
    ctx.asm.lw(t, ENV.segSelector + 4 * src.reg, ENV_REG);
    ctx.asm.andi(t, t, 0xffff);
    // to a 32-bit register the selector is zero-extended; to memory 16 bits are stored
    ctx.write(dst, t, dst.kind === 'mem' ? 16 : insn.opSize);
    return false;
  }
  ctx.write(dst, ctx.read(src, insn.opSize));
  return false;
};

const FAR_POINTER_SEG: Record<string, number> = { LES: 0, LSS: 2, LDS: 3, LFS: 4, LGS: 5 };

/** LDS/LES/LFS/LGS/LSS r, m16:32: the selector is loaded (and checked) first, then the offset into r. */
export const genLoadFarPointer: GenFn = (ctx, insn) => {
  const [dst, m] = insn.operands;
  if (m.kind !== 'mem') throw ctx.unsupported('far pointer without memory operand');
  const bits = insn.opSize;
  const host = ctx.hostAddress(m);
  const sel = ctx.load(16, host, bits / 8);
  ctx.callHelper(ctx.opts.helpers.loadSeg, [ctx.constReg(FAR_POINTER_SEG[insn.op]), sel]);
  ctx.write(dst, ctx.load(bits, host));
  return false;
};

export const genMovExtend: GenFn = (ctx, insn) => {
  const [dst, src] = insn.operands;
  const srcBits = src.kind === 'reg' || src.kind === 'mem' ? src.size : 8;
  let v = ctx.read(src, srcBits);
  // movslq: a 32-bit value is already sign-extended in its host register (the value convention)
  if (insn.op === 'MOVSXD' || srcBits === 32) {
    ctx.write(dst, v);
    return false;
  }
  if (insn.op === 'MOVSX') {
    const t = ctx.tmp();
    if (srcBits === 8) ctx.asm.seb(t, v);
    else ctx.asm.seh(t, v);
    v = t;
    if (insn.opSize === 16) ctx.narrow(t, t, 16);
  }
  ctx.write(dst, v);
  return false;
};

export const genLea: GenFn = (ctx, insn) => {
  const [dst, src] = insn.operands;
  if (src.kind !== 'mem') throw ctx.unsupported('lea without memory operand');
  const ea = ctx.effectiveAddress(src, false);
  if (insn.opSize === 32 || insn.opSize === 64) ctx.write(dst, ea);
  else ctx.write(dst, ctx.narrow(ctx.tmp(), ea, insn.opSize));
  return false;
};

export const genXchg: GenFn = (ctx, insn) => {
  const [x, y] = insn.operands;
  const bits = insn.opSize;
  const a = ctx.tmp();
  const b = ctx.tmp();
  ctx.move(a, ctx.read(x, bits));
  ctx.move(b, ctx.read(y, bits));
  // a memory operand first: its store may fault, and nothing else has changed yet
  if (y.kind === 'mem') {
    ctx.write(y, a);
    ctx.write(x, b);
  } else {
    ctx.write(x, b);
    ctx.write(y, a);
  }
  return false;
};

export const genSetcc: GenFn = (ctx, insn) => {
  const c = ctx.condition(insn.cond);
  ctx.write(insn.operands[0], c, 8);
  return false;
};

/** SALC: AL = CF ? 0xff : 0, flags unchanged. */
export const genSalc: GenFn = (ctx) => {
  const c = ctx.condition(2);
  ctx.asm.subu(c, REG.zero, c);
  ctx.writeReg({ kind: 'reg', file: 'gpr', reg: 0, size: 8 }, c);
  return false;
};

export const genCmov: GenFn = (ctx, insn) => {
  const [dst, src] = insn.operands;
  const c = ctx.condition(insn.cond);
  const v = ctx.read(src, insn.opSize);
  // (x86-64: a 32-bit cmov zero-extends its destination even when the condition is false)
  if (dst.kind === 'reg' && (insn.opSize === 64 || (insn.opSize === 32 && !ctx.mode64))) {
    ctx.asm.movn(ctx.gpr(dst.reg), v, c);
    return false;
  }
  const t = ctx.tmp();
  ctx.move(t, ctx.read(dst, insn.opSize));
  ctx.asm.movn(t, v, c);
  ctx.write(dst, t);
  return false;
};

/** CBW/CWDE (98): sign-extend the low half of the accumulator. */
export const genCbw: GenFn = (ctx, insn) => {
  const eax = ctx.gpr(0);
  if (insn.opSize === 64) ctx.asm.sll(eax, eax, 0); // cltq
  else if (insn.opSize === 32 && ctx.mode64) {
    const t = ctx.tmp();
    ctx.asm.seh(t, eax);
    ctx.writeGpr(0, t, 32);
  } else if (insn.opSize === 32) ctx.asm.seh(eax, eax);
  else {
    const t = ctx.tmp();
    ctx.asm.seb(t, eax);
    ctx.writeGpr(0, t, 16);
  }
  return false;
};

/** CWD/CDQ (99): fill the data register with the accumulator's sign. */
export const genCwd: GenFn = (ctx, insn) => {
  if (insn.opSize === 64) ctx.asm.dsra32(ctx.gpr(2), ctx.gpr(0), 31); // cqto
  else if (insn.opSize === 32 && ctx.mode64) {
    const t = ctx.tmp();
    ctx.asm.sll(t, ctx.gpr(0), 0);
    ctx.asm.sra(t, t, 31);
    ctx.writeGpr(2, t, 32);
  } else if (insn.opSize === 32) ctx.asm.sra(ctx.gpr(2), ctx.gpr(0), 31);
  else {
    const t = ctx.tmp();
    ctx.asm.seh(t, ctx.gpr(0));
    ctx.asm.sra(t, t, 16);
    ctx.writeGpr(2, t, 16);
  }
  return false;
};

export const genBswap: GenFn = (ctx, insn) => {
  const [r] = insn.operands;
  if (r.kind !== 'reg') throw ctx.unsupported('bswap operand');
  const h = ctx.gpr(r.reg);
  if (insn.opSize === 64) {
    ctx.asm.dsbh(h, h);
    ctx.asm.dshd(h, h);
  } else if (ctx.mode64) {
    const t = ctx.tmp();
    ctx.asm.wsbh(t, h);
    ctx.asm.rotr(t, t, 16);
    ctx.writeGpr(r.reg, t, 32);
  } else {
    ctx.asm.wsbh(h, h);
    ctx.asm.rotr(h, h, 16);
  }
  return false;
};

export const genNop: GenFn = () => false;

/** CLFLUSH: no cache to flush, but the line's address must be readable (a byte load faults as the CPU does). */
export const genClflush: GenFn = (ctx, insn) => {
  const m = insn.operands[0];
  if (m?.kind !== 'mem') throw ctx.unsupported('clflush operand');
  ctx.load(8, ctx.hostAddress(m));
  return false;
};


/** XLAT: AL = [seg:(E/R)BX + zero-extended AL]. */
export const genXlat: GenFn = (ctx, insn) => {
  const a = ctx.asm;
  const m = insn.operands[0];
  if (m?.kind !== 'mem') throw ctx.unsupported('xlat without its memory operand');
  const t = ctx.tmp();
  a.andi(t, ctx.gpr(0), 0xff);
  if (ctx.mode64) {
    a.daddu(t, t, ctx.gpr(3));
    if (insn.addrSize === 32) a.dext(t, t, 0, 32);
  } else {
    a.addu(t, t, ctx.gpr(3));
    if (insn.addrSize === 16) a.andi(t, t, 0xffff);
    ctx.checkSegment(m.seg, t, 1);
  }
  if (ctx.addsSegBase(m.seg)) {
    if (ctx.mode64) {
      a.ld(REG.at, ENV.segBase + 8 * m.seg, ENV_REG);
      a.daddu(t, t, REG.at);
    } else {
      a.lw(REG.at, ENV.segBase + 8 * m.seg, ENV_REG);
      a.addu(t, t, REG.at);
    }
  }
  ctx.presetHostAddress(t);
  const v = ctx.load(8, ctx.hostAddress(m));
  ctx.writeReg({ kind: 'reg', file: 'gpr', reg: 0, size: 8 }, v);
  return false;
};
