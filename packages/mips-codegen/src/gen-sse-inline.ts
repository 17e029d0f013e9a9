/**
 * Inline MIPS for the SSE instructions glibc's string and memory loops run (movdqa/movdqu/
 * movq/movd/movlpd/movhpd/movsd/movss, pxor/por/pand/pandn and their ps/pd twins, paddb..d,
 * psubb..d, pcmpeqb..d, pmovmskb), on the XMM slots in env as 32- or 64-bit words (QEMU's
 * tcg/i386 expands them to host vector ops; MIPS64r2 has none, so byte lanes are SWAR).
 * A memory operand the SSE helper must judge takes it out of line (`slowPath`): an aligned
 * form's misaligned address (#GP, raised by the helper), and any access crossing a page
 * (x86 writes nothing of a store when a byte faults; the helper faults at the first
 * unreadable byte). Inline accesses then lie in one page: the first one faults or none does,
 * so the words can be copied one by one. MMX forms (the x87 aliasing) and VEX forms stay
 * with the helper.
 */
import { REG } from '@dbtlab/mips-host';
import type { DecodedInsn, Operand, X86Op } from '@dbtlab/x86-frontend';
import { SSE_OPND, SSE_UNALIGNED_OPS, sseRegOffset } from '@dbtlab/x86-semantics';
import type { GenContext } from './gen-context';
import { ENV_REG } from './reg-map';

/** The instruction writes its memory operand `mem` (the destination; ldmxcsr and fxrstor read theirs; maskmov's implicit one). */
export const sseStores = (insn: DecodedInsn, mem: Operand): boolean =>
  (insn.operands[0] === mem && insn.op !== 'LDMXCSR' && insn.op !== 'FXRSTOR') || insn.op === 'MASKMOVQ' || insn.op === 'MASKMOVDQU';

/** Where an XMM-sized operand lives: host address register + offset; `unaligned`: guest memory accessed by lwr/lwl. */
interface Place {
  base: number;
  off: number;
  unaligned: boolean;
}

/** A move's bytes: `bytes` from the source's byte `from` to the destination's byte `to`; an XMM destination's bytes from `zero` on are cleared (16: none). */
interface MoveShape {
  bytes: 4 | 8 | 16;
  from: number;
  to: number;
  zero: number;
}

const FULL_MOVES = new Set<X86Op>(['MOVDQA', 'MOVAPS', 'MOVAPD', 'MOVNTDQ', 'MOVNTPS', 'MOVNTPD', 'MOVNTDQA', 'MOVDQU', 'MOVUPS', 'MOVUPD', 'LDDQU']);

function moveShape(op: X86Op, dst: Operand, src: Operand): MoveShape | undefined {
  const toXmm = dst.kind === 'reg';
  const fromMem = src.kind === 'mem';
  if (FULL_MOVES.has(op)) return { bytes: 16, from: 0, to: 0, zero: 16 };
  switch (op) {
    case 'MOVQ':
      return { bytes: 8, from: 0, to: 0, zero: toXmm ? 8 : 16 };
    case 'MOVD': {
      // REX.W: movq xmm <-> m64
      const bytes = fromMem && src.size === 64 ? 8 : dst.kind === 'mem' && dst.size === 64 ? 8 : 4;
      return { bytes, from: 0, to: 0, zero: toXmm ? bytes : 16 };
    }
    case 'MOVSS':
      return { bytes: 4, from: 0, to: 0, zero: toXmm && fromMem ? 4 : 16 };
    case 'MOVSD':
      return { bytes: 8, from: 0, to: 0, zero: toXmm && fromMem ? 8 : 16 };
    case 'MOVLPS':
    case 'MOVLPD':
      return { bytes: 8, from: 0, to: 0, zero: 16 };
    case 'MOVHPS':
    case 'MOVHPD':
      return toXmm ? { bytes: 8, from: 0, to: 8, zero: 16 } : { bytes: 8, from: 8, to: 0, zero: 16 };
    default:
      return undefined;
  }
}

type LaneFn = 'xor' | 'or' | 'and' | 'andn' | 'add' | 'sub' | 'cmpeq';
/** dst = dst op src over 16 bytes, in lanes of `lane` bits (the bitwise ops: any). */
const LANE_OPS: Partial<Record<X86Op, [LaneFn, number]>> = {
  PXOR: ['xor', 64], XORPS: ['xor', 64], XORPD: ['xor', 64],
  POR: ['or', 64], ORPS: ['or', 64], ORPD: ['or', 64],
  PAND: ['and', 64], ANDPS: ['and', 64], ANDPD: ['and', 64],
  PANDN: ['andn', 64], ANDNPS: ['andn', 64], ANDNPD: ['andn', 64],
  PADDB: ['add', 8], PADDW: ['add', 16], PADDD: ['add', 32],
  PSUBB: ['sub', 8], PSUBW: ['sub', 16], PSUBD: ['sub', 32],
  PCMPEQB: ['cmpeq', 8], PCMPEQW: ['cmpeq', 16], PCMPEQD: ['cmpeq', 32],
};

const isXmm = (o: Operand | undefined): o is Operand & { kind: 'reg' } => o?.kind === 'reg' && o.file === 'xmm';
const xmmPlace = (o: Operand & { kind: 'reg' }): Place => ({ base: ENV_REG, off: sseRegOffset(o.reg < 8 ? SSE_OPND.XMM + o.reg : SSE_OPND.XMM_HI + o.reg - 8), unaligned: false });

function loadWord(ctx: GenContext, p: Place, at: number, w: number, into?: number): number {
  if (p.unaligned) return ctx.load(32, p.base, p.off + at, into);
  const t = into ?? ctx.tmp();
  if (w === 8) ctx.asm.ld(t, p.off + at, p.base);
  else ctx.asm.lw(t, p.off + at, p.base);
  return t;
}

function storeWord(ctx: GenContext, p: Place, at: number, w: number, v: number): void {
  if (p.unaligned) ctx.store(32, v, p.base, p.off + at);
  else if (w === 8) ctx.asm.sd(v, p.off + at, p.base);
  else ctx.asm.sw(v, p.off + at, p.base);
}

/** Clears bytes [from, 16) of an XMM slot. */
function zeroFrom(ctx: GenContext, p: Place, from: number): void {
  for (let o = from; o < 16; o += o % 8 ? 4 : 8) storeWord(ctx, p, o, o % 8 ? 4 : 8, REG.zero);
}

/**
 * Emits `insn` inline when it is one of the forms above (true), else nothing (false).
 * `helper(ea)`: the SSE helper's call for the instruction, its memory address in register ea.
 */
export function genSseInline(ctx: GenContext, insn: DecodedInsn, helper: (ea: number) => void): boolean {
  const [dst, src] = insn.operands;
  if (insn.row.vex || insn.operands.length !== 2) return false;
  if (insn.operands.some((o) => o.kind === 'reg' && o.file !== 'xmm' && !(o.file === 'gpr' && o.size === 32 && insn.op === 'MOVD'))) {
    // pmovmskb to a general register (32 or 64 bits) from an XMM register
    if (!(insn.op === 'PMOVMSKB' && dst.kind === 'reg' && dst.file === 'gpr' && isXmm(src))) return false;
    genPmovmskb(ctx, dst, xmmPlace(src));
    return true;
  }
  const shape = moveShape(insn.op, dst, src);
  const lane = LANE_OPS[insn.op];
  if (!shape && !(lane && isXmm(dst))) return false;
  const mem = insn.operands.find((o) => o.kind === 'mem');
  let memPlace: Place | undefined;
  const resume = ctx.asm.newLabel();
  if (mem?.kind === 'mem') {
    const asm = ctx.asm;
    const bytes = mem.size / 8;
    const aligned = bytes === 16 && !SSE_UNALIGNED_OPS.has(insn.op);
    const ea = ctx.effectiveAddress(mem, true, bytes, sseStores(insn, mem));
    const slow = ctx.slowPath(resume, () => helper(ea));
    if (aligned) {
      asm.andi(REG.at, ea, 15);
      asm.bne(REG.at, REG.zero, slow);
    } else {
      // the page offset of the last byte stays in the page
      asm.andi(REG.at, ea, 0xfff);
      asm.sltiu(REG.at, REG.at, 0x1001 - bytes);
      asm.beq(REG.at, REG.zero, slow);
    }
    asm.nop(); // delay slot
    memPlace = { base: ctx.guestToHost(ea), off: 0, unaligned: !aligned };
  }
  const place = (o: Operand): Place | undefined => (o.kind === 'mem' ? memPlace : isXmm(o) ? xmmPlace(o) : undefined);
  if (shape) genMove(ctx, shape, dst, src, place(dst), place(src));
  else if (lane) genLanes(ctx, lane[0], lane[1], place(dst)!, place(src)!, isXmm(src) && src.reg === (dst as Operand & { kind: 'reg' }).reg);
  ctx.asm.bind(resume);
  return true;
}

function genMove(ctx: GenContext, s: MoveShape, dst: Operand, src: Operand, to: Place | undefined, from: Place | undefined): void {
  if (!to) {
    // movd r32, xmm
    if (dst.kind !== 'reg' || !from) throw ctx.unsupported('movd operands');
    ctx.writeReg(dst, loadWord(ctx, from, 0, 4));
    return;
  }
  // movd xmm, r32: the register's low word
  if (!from) storeWord(ctx, to, 0, 4, ctx.gpr((src as Operand & { kind: 'reg' }).reg));
  else {
    const w = from.unaligned || to.unaligned || s.bytes === 4 ? 4 : 8;
    for (let o = 0; o < s.bytes; o += w) ctx.scratchScope(() => storeWord(ctx, to, s.to + o, w, loadWord(ctx, from, s.from + o, w)));
  }
  if (dst.kind === 'reg' && s.zero < 16) zeroFrom(ctx, to, s.zero);
}

/**
 * dst = dst op src, word by word. Byte and word lanes of add, sub and cmpeq are SWAR on 32-bit
 * words (H: each lane's top bit, L: the other bits): add ((a&L)+(b&L))^((a^b)&H), sub
 * ((a|H)-(b&L))^(~(a^b)&H), cmpeq from x = a^b: t = ~(((x&L)+L)|x|L) has a lane's top bit
 * when the lane of x is 0, widened to the lane by (t<<1)-(t>>>(lane-1)).
 */
function genLanes(ctx: GenContext, fn: LaneFn, lane: number, to: Place, from: Place, same: boolean): void {
  const asm = ctx.asm;
  if (same && (fn === 'xor' || fn === 'sub' || fn === 'andn')) {
    // the zero idioms (pxor x,x; psubb x,x; pandn x,x)
    zeroFrom(ctx, to, 0);
    return;
  }
  if (same && (fn === 'and' || fn === 'or')) return;
  const w = lane === 64 && !from.unaligned ? 8 : 4;
  const swar = lane < 32 && fn !== 'xor' && fn !== 'or' && fn !== 'and' && fn !== 'andn';
  let hi: number = REG.zero;
  let lo: number = REG.zero;
  if (swar) {
    const top = lane === 8 ? 0x80808080 : 0x80008000;
    lo = ctx.tmp();
    asm.li(lo, ~top);
    if (fn !== 'cmpeq') {
      hi = ctx.tmp();
      asm.nor(hi, lo, REG.zero);
    }
  }
  for (let o = 0; o < 16; o += w) {
    ctx.scratchScope(() => {
      const a = loadWord(ctx, to, o, w);
      const b = loadWord(ctx, from, o, w);
      const u = swar ? ctx.tmp() : REG.zero;
      switch (fn) {
        case 'xor': asm.xor(a, a, b); break;
        case 'or': asm.or(a, a, b); break;
        case 'and': asm.and(a, a, b); break;
        case 'andn':
          asm.nor(a, a, REG.zero);
          asm.and(a, a, b);
          break;
        case 'add':
          if (!swar) asm.addu(a, a, b);
          else {
            asm.xor(u, a, b);
            asm.and(u, u, hi);
            asm.and(a, a, lo);
            asm.and(REG.at, b, lo);
            asm.addu(a, a, REG.at);
            asm.xor(a, a, u);
          }
          break;
        case 'sub':
          if (!swar) asm.subu(a, a, b);
          else {
            asm.xor(u, a, b);
            asm.nor(u, u, lo);
            asm.or(a, a, hi);
            asm.and(REG.at, b, lo);
            asm.subu(a, a, REG.at);
            asm.xor(a, a, u);
          }
          break;
        case 'cmpeq':
          asm.xor(a, a, b);
          if (!swar) {
            asm.sltiu(a, a, 1);
            asm.subu(a, REG.zero, a);
          } else {
            asm.and(u, a, lo);
            asm.addu(u, u, lo);
            asm.or(u, u, a);
            asm.nor(u, u, lo);
            asm.sll(a, u, 1);
            asm.srl(u, u, lane - 1);
            asm.subu(a, a, u);
          }
          break;
      }
      storeWord(ctx, to, o, w, a);
    });
  }
}

/**
 * pmovmskb: each byte's top bit. Per 32-bit word, (w & 0x80808080) * 0x00204081 carries the
 * four top bits (7, 15, 23, 31) to bits 28..31 without overlapping any other partial product.
 */
function genPmovmskb(ctx: GenContext, dst: Operand & { kind: 'reg' }, from: Place): void {
  const asm = ctx.asm;
  const top = ctx.tmp();
  const gather = ctx.tmp();
  const r = ctx.tmp();
  asm.li(top, 0x80808080 | 0);
  asm.li(gather, 0x00204081);
  for (let j = 0; j < 4; j++) {
    ctx.scratchScope(() => {
      const w = loadWord(ctx, from, 4 * j, 4);
      asm.and(w, w, top);
      asm.mul(w, w, gather);
      if (j === 0) asm.srl(r, w, 28);
      else {
        asm.srl(w, w, 28);
        asm.ins(r, w, 4 * j, 4);
      }
    });
  }
  ctx.writeReg(dst, r);
}
