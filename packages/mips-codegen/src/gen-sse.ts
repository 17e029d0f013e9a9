/**
 * MMX, SSE, SSE2 and SSE3 instructions: each is one call of the SSE helper (QEMU's ops_sse.h
 * helpers), which reads and writes the XMM registers and the MMX registers (the x87
 * significands) in env and does the exact IEEE arithmetic under MXCSR (dbt-core's sse/).
 * Translated code only supplies what the helper cannot see: the memory operand's guest
 * address and a general register's value, and afterwards writes a general-register result
 * or EFLAGS (comiss). ldmxcsr/stmxcsr and emms are helper operations too.
 */
import { REG } from '@dbtlab/mips-host';
import type { DecodedInsn, Operand, X86Op } from '@dbtlab/x86-frontend';
import { CC } from '@dbtlab/x86-semantics';
import type { GenContext } from './gen-context';
import type { GenFn } from './gen-table';

/** The operations the SSE helper implements, in descriptor order. */
export const SSE_OPS = [
  'MOVUPS', 'MOVNTPS', 'MOVSS', 'MOVQ', 'MOVD', 'MOVQ2DQ', 'MOVLPS', 'MOVHPS', 'MOVHLPS', 'MOVMSKPS', 'MOVSLDUP', 'MOVDDUP', 'ANDPS', 'ANDNPS', 'ORPS', 'XORPS', 'SQRTPS', 'HADDPS', 'ADDSUBPS', 'CMPPS', 'COMISS', 'CVTSS2SD', 'CVTSI2SS', 'CVTPI2PS', 'CVTPI2PD', 'CVTSS2SI', 'CVTPS2DQ', 'CVTPS2PI', 'SHUFPS', 'SHUFPD', 'PSHUFD', 'PSHUFW', 'PSHUFLW', 'PSHUFHW', 'UNPCKLPS', 'PUNPCKLBW', 'PUNPCKHBW', 'PACKSSWB', 'PADDB', 'PSUBB', 'PADDSB', 'PADDUSB', 'PSUBSB', 'PSUBUSB', 'PCMPEQB', 'PCMPGTB', 'PMULLW', 'PMULUDQ', 'PMADDWD', 'PSADBW', 'PAVGB', 'PMINUB', 'PMINSW', 'PSLLW', 'PSRAW', 'PINSRW', 'PEXTRW', 'MOVUPD', 'MOVAPS', 'MOVAPD', 'MOVDQA', 'MOVDQU', 'LDDQU', 'MOVNTPD', 'MOVNTDQ', 'MOVNTQ', 'MOVNTDQA', 'MOVSD', 'MOVDQ2Q', 'MOVLPD', 'MOVHPD', 'MOVLHPS', 'MOVMSKPD', 'PMOVMSKB', 'MOVSHDUP', 'ANDPD', 'PAND', 'ANDNPD', 'PANDN', 'ORPD', 'POR', 'XORPD', 'PXOR', 'SQRTPD', 'SQRTSS', 'SQRTSD', 'HADDPD', 'HSUBPS', 'HSUBPD', 'ADDSUBPD', 'CMPPD', 'CMPSS', 'CMPSD', 'COMISD', 'UCOMISS', 'UCOMISD', 'CVTSD2SS', 'CVTPS2PD', 'CVTPD2PS', 'CVTSI2SD', 'CVTDQ2PS', 'CVTDQ2PD', 'CVTTSS2SI', 'CVTSD2SI', 'CVTTSD2SI', 'CVTTPS2DQ', 'CVTPD2DQ', 'CVTTPD2DQ', 'CVTTPS2PI', 'CVTPD2PI', 'CVTTPD2PI', 'UNPCKHPS', 'UNPCKLPD', 'UNPCKHPD', 'PUNPCKLWD', 'PUNPCKLDQ', 'PUNPCKLQDQ', 'PUNPCKHWD', 'PUNPCKHDQ', 'PUNPCKHQDQ', 'PACKSSDW', 'PACKUSWB', 'PADDW', 'PADDD', 'PADDQ', 'PSUBW', 'PSUBD', 'PSUBQ', 'PADDSW', 'PADDUSW', 'PSUBSW', 'PSUBUSW', 'PCMPEQW', 'PCMPEQD', 'PCMPGTW', 'PCMPGTD', 'PMULHW', 'PMULHUW', 'PAVGW', 'PMAXUB', 'PMAXSW', 'PSLLD', 'PSLLQ', 'PSRLW', 'PSRLD', 'PSRLQ', 'PSRAD', 'PSLLDQ', 'PSRLDQ', 'ADDPS', 'ADDPD', 'ADDSS', 'ADDSD', 'SUBPS', 'SUBPD', 'SUBSS', 'SUBSD', 'MULPS', 'MULPD', 'MULSS', 'MULSD', 'DIVPS', 'DIVPD', 'DIVSS', 'DIVSD', 'MINPS', 'MINPD', 'MINSS', 'MINSD', 'MAXPS', 'MAXPD', 'MAXSS', 'MAXSD',
  'PSHUFB', 'PHADDW', 'PHADDD', 'PHADDSW', 'PMADDUBSW', 'PHSUBW', 'PHSUBD', 'PHSUBSW', 'PSIGNB', 'PSIGNW', 'PSIGND',
  'PMULHRSW', 'PABSB', 'PABSW', 'PABSD', 'PALIGNR', 'PBLENDVB', 'BLENDVPS', 'BLENDVPD', 'BLENDPS', 'BLENDPD', 'PBLENDW',
  'PTEST', 'PMOVSXBW', 'PMOVSXBD', 'PMOVSXBQ', 'PMOVSXWD', 'PMOVSXWQ', 'PMOVSXDQ', 'PMOVZXBW', 'PMOVZXBD', 'PMOVZXBQ',
  'PMOVZXWD', 'PMOVZXWQ', 'PMOVZXDQ', 'PMULDQ', 'PCMPEQQ', 'PCMPGTQ', 'PACKUSDW', 'PMINSB', 'PMINSD', 'PMINUW', 'PMINUD',
  'PMAXSB', 'PMAXSD', 'PMAXUW', 'PMAXUD', 'PMULLD', 'PHMINPOSUW', 'ROUNDPS', 'ROUNDPD', 'ROUNDSS', 'ROUNDSD', 'PEXTRB',
  'PEXTRD', 'EXTRACTPS', 'PINSRB', 'PINSRD', 'INSERTPS', 'DPPS', 'DPPD', 'MPSADBW', 'PCMPESTRI', 'PCMPESTRM', 'PCMPISTRI',
  'PCMPISTRM', 'CRC32',
  'LDMXCSR', 'STMXCSR', 'EMMS',
] as const satisfies readonly X86Op[];
export type SseOp = (typeof SSE_OPS)[number];
const OP_INDEX = new Map<X86Op, number>(SSE_OPS.map((op, i) => [op, i]));

/** Operand codes in the descriptor. */
export const SSE_OPND = { XMM: 0, MMX: 8, GPR: 16, MEM: 17, NONE: 18 } as const;
/** The ops whose helper returns EFLAGS in v1. */
const SETS_EFLAGS = new Set<X86Op>(['COMISS', 'COMISD', 'UCOMISS', 'UCOMISD', 'PTEST', 'PCMPESTRI', 'PCMPESTRM', 'PCMPISTRI', 'PCMPISTRM']);
const R_EAX = 0;
const R_ECX = 1;
const R_EDX = 2;
const gpr32 = (reg: number): Operand & { kind: 'reg' } => ({ kind: 'reg', file: 'gpr', reg, size: 32 });

export interface SseDesc {
  op: number;
  dst: number;
  src: number;
  /** the 8-bit immediate, or -1 */
  imm: number;
  /** log2 of the memory operand's bytes (0 when there is none) */
  memLog2: number;
}

export function encodeSseDesc(d: SseDesc): number {
  return d.op | (d.dst << 8) | (d.src << 13) | ((d.imm < 0 ? 0x100 : d.imm) << 18) | (d.memLog2 << 27);
}
export function decodeSseDesc(v: number): SseDesc {
  const imm = (v >>> 18) & 0x1ff;
  return { op: v & 0xff, dst: (v >>> 8) & 0x1f, src: (v >>> 13) & 0x1f, imm: imm & 0x100 ? -1 : imm, memLog2: (v >>> 27) & 7 };
}

function operandCode(o: Operand | undefined): number {
  if (!o || o.kind === 'imm') return SSE_OPND.NONE;
  if (o.kind === 'mem') return SSE_OPND.MEM;
  if (o.kind === 'reg' && o.file === 'xmm') return SSE_OPND.XMM + o.reg;
  if (o.kind === 'reg' && o.file === 'mmx') return SSE_OPND.MMX + o.reg;
  return SSE_OPND.GPR;
}

export const genSse: GenFn = (ctx: GenContext, insn: DecodedInsn) => {
  const op = OP_INDEX.get(insn.op);
  if (op === undefined) throw ctx.unsupported(`no SSE helper operation for ${insn.op}`);
  const [dst, src, ...rest] = insn.operands;
  const immOp = [src, ...rest].find((o) => o?.kind === 'imm');
  const mem = insn.operands.find((o) => o.kind === 'mem');
  if (mem?.kind === 'mem') ctx.move(REG.a1, ctx.effectiveAddress(mem));
  const gprSrc = src?.kind === 'reg' && src.file === 'gpr' ? src : undefined;
  if (gprSrc) ctx.move(REG.a3, ctx.readReg(gprSrc));
  if (insn.op === 'PCMPESTRI' || insn.op === 'PCMPESTRM') {
    ctx.move(REG.a3, ctx.readReg(gpr32(R_EAX)));
    ctx.move(REG.a2, ctx.readReg(gpr32(R_EDX)));
  }
  if (insn.op === 'CRC32' && dst?.kind === 'reg') ctx.move(REG.a2, ctx.readReg(dst));
  // the size of a memory operand, or of a general-register source (crc32)
  const memBytes = mem?.kind === 'mem' ? mem.size / 8 : gprSrc ? gprSrc.size / 8 : 0;
  ctx.asm.li(REG.a0, encodeSseDesc({
    op,
    dst: operandCode(dst),
    src: immOp === src ? SSE_OPND.NONE : operandCode(src),
    imm: immOp?.kind === 'imm' ? immOp.value & 0xff : -1,
    memLog2: memBytes ? Math.log2(memBytes) : 0,
  }));
  // the helper touches neither guest registers nor the lazy flags: no spill needed
  ctx.callHelper(ctx.opts.helpers.sse, [], false);
  if (insn.op === 'PCMPESTRI' || insn.op === 'PCMPISTRI') ctx.writeReg(gpr32(R_ECX), REG.v0);
  else if (dst?.kind === 'reg' && dst.file === 'gpr') ctx.writeReg(dst, REG.v0);
  if (SETS_EFLAGS.has(insn.op)) ctx.setCc(CC.EFLAGS, 32, REG.zero, REG.v1);
  return false;
};
