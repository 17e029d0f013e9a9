/**
 * The SSE helper's descriptor: the ABI between the translator (which passes one number in a0)
 * and the SSE helper (which dispatches on it). One table, read by both sides.
 */
import { ENV, type X86Op } from '@dbtlab/x86-frontend';

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
  'RCPPS', 'RCPSS', 'RSQRTPS', 'RSQRTSS', 'MASKMOVQ', 'MASKMOVDQU',
  'FXSAVE', 'FXRSTOR', 'PINSRQ', 'PEXTRQ',
] as const satisfies readonly X86Op[];
export type SseOp = (typeof SSE_OPS)[number];

/**
 * Ops whose 16-byte memory operand may be misaligned (any other 16-byte operand: #GP): the unaligned
 * moves and the SSE4.2 string compares (measured: pcmpistri at an odd address runs natively).
 */
export const SSE_UNALIGNED_OPS: ReadonlySet<X86Op> = new Set<SseOp>(['MOVUPS', 'MOVUPD', 'MOVDQU', 'LDDQU', 'PCMPESTRI', 'PCMPESTRM', 'PCMPISTRI', 'PCMPISTRM']);

/** Operand codes in the descriptor. */
export const SSE_OPND = { XMM: 0, MMX: 8, GPR: 16, MEM: 17, NONE: 18, XMM_HI: 19 } as const;

/** env offset of an XMM/MMX register code's slot: xmm0-7, the MMX aliases, xmm8-15 (x86-64 only, codes from XMM_HI). */
export function sseRegOffset(code: number): number {
  if (code < SSE_OPND.MMX) return ENV.xmm + 16 * code;
  if (code < SSE_OPND.GPR) return ENV.fpRegs + 16 * (code - SSE_OPND.MMX);
  return ENV.xmm + 16 * (8 + code - SSE_OPND.XMM_HI);
}

export interface SseDesc {
  op: number;
  dst: number;
  src: number;
  /** the 8-bit immediate, or -1 */
  imm: number;
  /** log2 of the memory operand's bytes (0 when there is none) */
  memLog2: number;
  /** the general-register operand is 64-bit (REX.W, x86-64): its value in a3 (low) and a2 (high), a result in v0 (low) and v1 (high); fxsave64/fxrstor64 (REX.W): the 64-bit FIP/FDP layout */
  gpr64?: boolean;
}

export function encodeSseDesc(d: SseDesc): number {
  return (d.op | (d.dst << 8) | (d.src << 13) | ((d.imm < 0 ? 0x100 : d.imm) << 18) | (d.memLog2 << 27) | (d.gpr64 ? 1 << 30 : 0)) >>> 0;
}
export function decodeSseDesc(v: number): SseDesc {
  const imm = (v >>> 18) & 0x1ff;
  return { op: v & 0xff, dst: (v >>> 8) & 0x1f, src: (v >>> 13) & 0x1f, imm: imm & 0x100 ? -1 : imm, memLog2: (v >>> 27) & 7, gpr64: ((v >>> 30) & 1) === 1 };
}
