/**
 * MMX, SSE, SSE2 and SSE3 instructions: the common moves, bitwise ops and packed byte
 * compares inline (gen-sse-inline.ts), any other one call of the SSE helper (QEMU's ops_sse.h
 * helpers), which reads and writes the XMM registers and the MMX registers (the x87
 * significands) in env and does the exact IEEE arithmetic under MXCSR (x86-semantics' sse/).
 * Translated code only supplies what the helper cannot see: the memory operand's guest
 * address and a general register's value, and afterwards writes a general-register result
 * or EFLAGS (comiss). ldmxcsr/stmxcsr and emms are helper operations too.
 */
import { REG } from '@dbtlab/mips-host';
import type { DecodedInsn, Operand, X86Op } from '@dbtlab/x86-frontend';
import { CC, encodeSseDesc, SSE_OPND, SSE_OPS, sseRegOffset } from '@dbtlab/x86-semantics';
import type { GenContext } from './gen-context';
import type { GenFn } from './gen-table';
import { genSseInline, sseStores } from './gen-sse-inline';
import { ENV_REG } from './reg-map';

const OP_INDEX = new Map<X86Op, number>(SSE_OPS.map((op, i) => [op, i]));

/** The ops whose helper returns EFLAGS in v1. */
const SETS_EFLAGS = new Set<X86Op>(['COMISS', 'COMISD', 'UCOMISS', 'UCOMISD', 'PTEST', 'PCMPESTRI', 'PCMPESTRM', 'PCMPISTRI', 'PCMPISTRM']);
const R_EAX = 0;
const R_ECX = 1;
const R_EDX = 2;
const R_EDI = 7;
const gpr32 = (reg: number): Operand & { kind: 'reg' } => ({ kind: 'reg', file: 'gpr', reg, size: 32 });

/**
 * maskmovq/maskmovdqu store to DS:(E)DI, or to the segment an override prefix names (a %fs/%gs
 * base). The segment checks take the whole 8 or 16 bytes, writable, whatever the mask (measured
 * natively: a zero mask past the limit or in a read-only segment is #GP too).
 */
const implicitDi = (insn: DecodedInsn): Operand & { kind: 'mem' } =>
  ({ kind: 'mem', seg: insn.segPrefix ?? 3, segOverride: insn.segPrefix !== undefined, base: R_EDI, index: -1, scale: 1, disp: 0, dispSize: 0, size: insn.op === 'MASKMOVDQU' ? 128 : 64 });

function operandCode(o: Operand | undefined): number {
  if (!o || o.kind === 'imm') return SSE_OPND.NONE;
  if (o.kind === 'mem') return SSE_OPND.MEM;
  if (o.kind === 'reg' && o.file === 'xmm') return o.reg < 8 ? SSE_OPND.XMM + o.reg : SSE_OPND.XMM_HI + o.reg - 8;
  if (o.kind === 'reg' && o.file === 'mmx') return SSE_OPND.MMX + o.reg;
  return SSE_OPND.GPR;
}

export const genSse: GenFn = (ctx: GenContext, insn: DecodedInsn) => {
  const op = OP_INDEX.get(insn.op);
  if (op === undefined) throw ctx.unsupported(`no SSE helper operation for ${insn.op}`);
  if (ctx.mode64 && genMovq64(ctx, insn)) return false;
  if (ctx.mode64 && insn.op === 'CRC32' && insn.opSize === 64) return genCrc32q(ctx, insn, op);
  const helper = (ea?: number) => (ctx.mode64 ? genSse64(ctx, insn, op, ea) : genSse32(ctx, insn, op, ea));
  if (!genSseInline(ctx, insn, helper)) helper();
  return false;
};

/** The helper call in i386 mode; `ea`: the memory operand's address when already computed. */
function genSse32(ctx: GenContext, insn: DecodedInsn, op: number, ea?: number): void {
  const [dst, src] = insn.operands;
  const mem = memOperand(insn);
  if (mem) ctx.move(REG.a1, memAddress(ctx, insn, mem, ea));
  const gprSrc = src?.kind === 'reg' && src.file === 'gpr' ? src : undefined;
  if (gprSrc) ctx.move(REG.a3, ctx.readReg(gprSrc));
  if (insn.op === 'PCMPESTRI' || insn.op === 'PCMPESTRM') {
    ctx.move(REG.a3, ctx.readReg(gpr32(R_EAX)));
    ctx.move(REG.a2, ctx.readReg(gpr32(R_EDX)));
  }
  if (insn.op === 'CRC32' && dst?.kind === 'reg') ctx.move(REG.a2, ctx.readReg(dst));
  callSse(ctx, insn, op, false);
}

/** The memory operand: maskmovq/maskmovdqu's implicit one, or the instruction's. */
function memOperand(insn: DecodedInsn): (Operand & { kind: 'mem' }) | undefined {
  if (insn.op === 'MASKMOVQ' || insn.op === 'MASKMOVDQU') return implicitDi(insn);
  const mem = insn.operands.find((o) => o.kind === 'mem');
  return mem?.kind === 'mem' ? mem : undefined;
}

/** fxsave/fxrstor's area. */
const FXSAVE_BYTES = 512;

/**
 * The memory operand's address (`given`: already computed, by genSseInline with the same checks). fxsave/fxrstor's area has no size:
 * #AC checks it at 4 bytes, before the helper's #GP for an area not 16-byte aligned (measured
 * natively: #AC at offsets 1-3 mod 4, #GP at 4, 8, 12). maskmovq and maskmovdqu's byte-masked
 * stores: #AC at 8 bytes, both (measured natively: at every offset not a multiple of 8).
 */
function memAddress(ctx: GenContext, insn: DecodedInsn, mem: Operand & { kind: 'mem' }, given?: number): number {
  const ea = given ?? ctx.effectiveAddress(mem, true, mem.size ? mem.size / 8 : FXSAVE_BYTES, sseStores(insn, mem));
  if (insn.op === 'FXSAVE' || insn.op === 'FXRSTOR') ctx.checkAlign(ea, 4);
  if (insn.op === 'MASKMOVQ' || insn.op === 'MASKMOVDQU') ctx.checkAlign(ea, 8);
  return ea;
}

/**
 * The helper call once its inputs are in a1..a3: the descriptor (with the size of a memory
 * operand, or of a general-register source), then the general-register and EFLAGS results.
 */
function callSse(ctx: GenContext, insn: DecodedInsn, op: number, gpr64: boolean): void {
  const asm = ctx.asm;
  const [dst, src, ...rest] = insn.operands;
  const immOp = [src, ...rest].find((o) => o?.kind === 'imm');
  const mem = insn.operands.find((o) => o.kind === 'mem');
  const memBytes = mem?.kind === 'mem' ? mem.size / 8 : src?.kind === 'reg' && src.file === 'gpr' ? src.size / 8 : 0;
  asm.li(REG.a0, encodeSseDesc({
    op,
    dst: operandCode(dst),
    src: immOp === src ? SSE_OPND.NONE : operandCode(src),
    imm: immOp?.kind === 'imm' ? immOp.value & 0xff : -1,
    memLog2: memBytes ? Math.log2(memBytes) : 0,
    gpr64,
  }));
  // the helper touches neither guest registers nor the lazy flags: no spill needed
  ctx.callHelper(ctx.opts.helpers.sse, [], false);
  if (insn.op === 'PCMPESTRI' || insn.op === 'PCMPISTRI') ctx.writeReg(gpr32(R_ECX), REG.v0);
  else if (dst?.kind === 'reg' && dst.file === 'gpr' && gpr64 && GPR64_RESULT.has(insn.op)) {
    // the helper returns a 64-bit result as halves: v0 low, v1 high
    const t = ctx.tmp();
    asm.dsll32(t, REG.v1, 0);
    asm.dext(REG.v0, REG.v0, 0, 32);
    asm.or(t, t, REG.v0);
    ctx.writeReg(dst, t);
  } else if (dst?.kind === 'reg' && dst.file === 'gpr') ctx.writeReg(dst, REG.v0);
  if (SETS_EFLAGS.has(insn.op)) ctx.setCc(CC.EFLAGS, 32, REG.zero, REG.v1);
}

/** SSE forms with a 64-bit general register the helper runs (REX.W): a 64-bit source or result. */
const GPR64_FORMS = new Set<X86Op>(['MOVD', 'CVTSI2SS', 'CVTSI2SD', 'CVTSS2SI', 'CVTTSS2SI', 'CVTSD2SI', 'CVTTSD2SI', 'PINSRQ', 'PEXTRQ', 'MOVMSKPS', 'MOVMSKPD', 'PMOVMSKB', 'PEXTRW', 'PEXTRB']);
/** Those whose result is 64 bits wide (the others' 32-bit result is zero-extended). */
const GPR64_RESULT = new Set<X86Op>(['MOVD', 'CVTSS2SI', 'CVTTSS2SI', 'CVTSD2SI', 'CVTTSD2SI', 'PEXTRQ']);

/**
 * x86-64 mode: movq between a 64-bit general register and an XMM register, inline (false for
 * any other instruction).
 */
function genMovq64(ctx: GenContext, insn: DecodedInsn): boolean {
  const asm = ctx.asm;
  const [dst, src] = insn.operands;
  const xmm = insn.operands.find((o) => o.kind === 'reg' && o.file === 'xmm');
  if (insn.op !== 'MOVD' || xmm?.kind !== 'reg' || !insn.operands.some((o) => o.kind === 'reg' && o.file === 'gpr' && o.size === 64)) return false;
  const slot = sseRegOffset(operandCode(xmm));
  if (dst.kind === 'reg' && dst.file === 'xmm') {
    asm.sd(ctx.read(src, 64), slot, ENV_REG);
    asm.sd(REG.zero, slot + 8, ENV_REG);
  } else {
    const t = ctx.tmp();
    asm.ld(t, slot, ENV_REG);
    ctx.write(dst, t, 64);
  }
  return true;
}

/**
 * x86-64 mode: the same helper call, with every input computed before the argument registers
 * (a0..a3 are scratch registers there), the memory address checked below 2^47 (`ea`: already
 * computed), xmm8-15; the forms with a 64-bit general register (GPR64_FORMS, movq with an MMX
 * register among them: the helper keeps the x87 aliasing) pass it as two halves.
 */
function genSse64(ctx: GenContext, insn: DecodedInsn, op: number, given?: number): void {
  const asm = ctx.asm;
  const [dst, src] = insn.operands;
  const gpr64 = insn.operands.some((o) => o.kind === 'reg' && o.file === 'gpr' && o.size === 64);
  if (gpr64 && !GPR64_FORMS.has(insn.op)) throw ctx.unsupported('a 64-bit general register operand of an SSE instruction');
  const mem = memOperand(insn);
  const moves: [number, number][] = [];
  if (mem) {
    const ea = memAddress(ctx, insn, mem, given);
    ctx.checkGuestAddress(ea);
    moves.push([REG.a1, ea]);
  }
  const gprSrc = src?.kind === 'reg' && src.file === 'gpr' ? src : undefined;
  if (insn.op === 'PCMPESTRI' || insn.op === 'PCMPESTRM') {
    moves.push([REG.a3, ctx.readReg(gpr32(R_EAX))], [REG.a2, ctx.readReg(gpr32(R_EDX))]);
  } else if (gprSrc) {
    const v = ctx.readReg(gprSrc);
    moves.push([REG.a3, v]);
    if (gpr64) {
      const hi = ctx.tmp();
      asm.dsrl32(hi, v, 0);
      moves.push([REG.a2, hi]);
    }
  }
  if (insn.op === 'CRC32' && dst?.kind === 'reg') moves.push([REG.a2, ctx.readReg(dst)]);
  ctx.moveArgs(moves);
  // fxsave64/fxrstor64: the descriptor's gpr64 bit selects the 64-bit FIP/FDP layout
  callSse(ctx, insn, op, gpr64 || ((insn.op === 'FXSAVE' || insn.op === 'FXRSTOR') && insn.opSize === 64));
}

/**
 * crc32 into a 64-bit register (REX.W): CRC-32C of the source's bytes into the destination's
 * low half, zero-extended. An 8-byte register source goes through the 4-byte form twice (low
 * half, then high half: the byte order of the 8-byte form).
 */
function genCrc32q(ctx: GenContext, insn: DecodedInsn, op: number): boolean {
  const [dst, src] = insn.operands;
  if (dst.kind !== 'reg' || (src.kind !== 'reg' && src.kind !== 'mem')) throw ctx.unsupported('crc32 operands');
  const acc = gpr32(dst.reg);
  const step = (srcCode: number, bytes: number, moves: [number, number][]) => {
    ctx.moveArgs(moves);
    ctx.asm.li(REG.a0, encodeSseDesc({ op, dst: SSE_OPND.GPR, src: srcCode, imm: -1, memLog2: Math.log2(bytes), gpr64: false }));
    ctx.callHelper(ctx.opts.helpers.sse, [], false);
  };
  if (src.kind === 'mem') {
    const ea = ctx.effectiveAddress(src);
    ctx.checkGuestAddress(ea);
    step(SSE_OPND.MEM, src.size / 8, [[REG.a1, ea], [REG.a2, ctx.readReg(acc)]]);
  } else if (src.size < 64) step(SSE_OPND.GPR, src.size / 8, [[REG.a3, ctx.readReg(src)], [REG.a2, ctx.readReg(acc)]]);
  else {
    step(SSE_OPND.GPR, 4, [[REG.a3, ctx.readReg(gpr32(src.reg))], [REG.a2, ctx.readReg(acc)]]);
    const hi = ctx.tmp();
    ctx.asm.dsrl32(hi, ctx.gpr(src.reg), 0);
    step(SSE_OPND.GPR, 4, [[REG.a3, hi], [REG.a2, REG.v0]]);
  }
  ctx.writeReg(acc, REG.v0);
  return false;
}
