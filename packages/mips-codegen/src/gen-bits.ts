/** Bit operations: bt/bts/btr/btc, bsf/bsr, rol/ror, rcl/rcr, shld/shrd. */
import { REG } from '@dbtlab/mips-host';
import type { DecodedInsn, Operand } from '@dbtlab/x86-frontend';
import { CC } from '@dbtlab/x86-semantics';
import { commit } from './gen-alu';
import type { GenContext } from './gen-context';
import type { GenFn } from './gen-table';
import { CC_SRC_REG } from './reg-map';

/**
 * BT family. CF = the selected bit; ZF unchanged and the rest undefined (SDM), so the flags
 * are materialised and only CF replaced. A register bit offset on a memory operand selects
 * a bit anywhere in the bit string: the address moves by (offset >> 5) * 4, signed.
 */
export const genBt: GenFn = (ctx, insn) => {
  const asm = ctx.asm;
  const bits = insn.opSize;
  const [base, offOp] = insn.operands;
  ctx.materializeFlags();
  const bitIndex = ctx.tmp();
  let target: Operand = base;
  if (offOp.kind === 'imm') asm.addiu(bitIndex, REG.zero, offOp.value & (bits - 1));
  else {
    const off = ctx.readOwned(offOp, bits);
    asm.andi(bitIndex, off, bits - 1);
    if (base.kind === 'mem') {
      // displacement in whole operands, sign-extended offset
      const words = off;
      if (bits === 16) asm.seh(words, off);
      if (ctx.mode64) {
        // x86-64: a 64-bit address; a 64-bit offset selects 8-byte words
        const ea = ctx.effectiveAddress(base);
        asm.dsra(words, words, Math.log2(bits));
        asm.dsll(words, words, Math.log2(bits / 8));
        asm.daddu(words, words, ea);
      } else {
        // the segment checks the offset the bit offset reaches (the limit, and for bts/btr/btc,
        // which store through the preset address, writability), as alignment checks its address
        const ea = ctx.effectiveAddress(base, false);
        asm.sra(words, words, bits === 16 ? 4 : 5);
        asm.sll(words, words, bits === 16 ? 1 : 2);
        asm.addu(words, words, ea);
        ctx.segmentAddress(base.seg, words, words, bits / 8, bits / 8, insn.op !== 'BT');
      }
      target = { kind: 'mem', seg: 3, segOverride: false, base: -1, index: -1, scale: 1, disp: 0, dispSize: 0, size: bits };
      ctx.presetHostAddress(words);
    }
  }
  const v = ctx.readOwned(target, bits);
  const bit = ctx.tmp();
  if (bits === 64) asm.dsrlv(bit, v, bitIndex);
  else asm.srlv(bit, v, bitIndex);
  asm.andi(bit, bit, 1);
  if (insn.op !== 'BT') {
    const mask = ctx.tmp();
    asm.addiu(mask, REG.zero, 1);
    if (bits === 64) asm.dsllv(mask, mask, bitIndex);
    else asm.sllv(mask, mask, bitIndex);
    if (insn.op === 'BTS') asm.or(v, v, mask);
    else if (insn.op === 'BTC') asm.xor(v, v, mask);
    else {
      asm.nor(mask, mask, REG.zero);
      asm.and(v, v, mask);
    }
    if (bits < 32) ctx.narrow(v, v, bits);
    else if (bits === 32) asm.sll(v, v, 0);
    commit(ctx, target, v, () => asm.ins(CC_SRC_REG, bit, 0, 1));
  } else asm.ins(CC_SRC_REG, bit, 0, 1);
  return false;
};

/**
 * BSF/BSR: ZF = (source == 0); the destination keeps its value then. TZCNT/LZCNT (F3 0F BC/BD)
 * execute as BSF/BSR on a CPU without BMI1/LZCNT, as the real one does.
 */
export const genBitScan: GenFn = (ctx, insn) => {
  if (insn.op === 'POPCNT' || (insn.op === 'TZCNT' && ctx.opts.cpu.has('BMI1')) || (insn.op === 'LZCNT' && ctx.opts.cpu.has('LZCNT'))) {
    return genCount(ctx, insn);
  }
  const asm = ctx.asm;
  const bits = insn.opSize;
  const [dst, src] = insn.operands;
  const x = ctx.readOwned(src, bits);
  const idx = ctx.tmp();
  const t = ctx.tmp();
  const wide = bits === 64;
  if (insn.op === 'BSF' || insn.op === 'TZCNT') {
    if (wide) asm.dsubu(t, REG.zero, x);
    else asm.subu(t, REG.zero, x);
    asm.and(t, t, x); // lowest set bit alone
    if (wide) asm.dclz(t, t);
    else asm.clz(t, t);
  } else if (wide) asm.dclz(t, x);
  else asm.clz(t, x);
  asm.addiu(idx, REG.zero, wide ? 63 : 31);
  asm.subu(idx, idx, t);
  ctx.setCc(CC.LOGIC, bits, x);
  if (ctx.mode64 && bits === 32 && dst.kind === 'reg') {
    // a zero source leaves the whole 64-bit register alone (the CPU does not zero-extend then)
    asm.movn(ctx.gpr(dst.reg), idx, x);
    return false;
  }
  const v = ctx.readOwned(dst, bits);
  asm.movn(v, idx, x);
  ctx.write(dst, v);
  return false;
};

/**
 * TZCNT/LZCNT: the count of trailing/leading zero bits (the operand size for 0), CF = (source
 * == 0), ZF = (count == 0); of the flags the SDM leaves undefined, OF keeps its value and the
 * others are cleared, as the oracle CPU (AMD Zen) does. POPCNT: the count of set bits,
 * ZF = (source == 0), the other flags cleared.
 */
function genCount(ctx: GenContext, insn: DecodedInsn): boolean {
  const asm = ctx.asm;
  const bits = insn.opSize;
  const [dst, src] = insn.operands;
  const of = insn.op === 'POPCNT' ? REG.zero : ctx.condition(0);
  const wide = bits === 64;
  const x = ctx.readOwned(src, bits);
  if (!wide) asm.dext(x, x, 0, bits); // zero-extended
  const n = ctx.tmp();
  const t = ctx.tmp();
  if (insn.op === 'POPCNT') {
    if (wide) {
      // the two halves counted apart
      const hi = ctx.tmp();
      asm.dsrl32(hi, x, 0);
      asm.dext(x, x, 0, 32);
      popcount32(ctx, x, n, t);
      popcount32(ctx, hi, x, t);
      asm.addu(n, n, x);
    } else popcount32(ctx, x, n, t);
    asm.sltiu(t, n, 1);
    asm.sll(t, t, 6); // ZF: no bit set
    ctx.setCc(CC.EFLAGS, 32, REG.zero, t);
    ctx.write(dst, n);
    return false;
  }
  const flags = ctx.tmp();
  if (insn.op === 'TZCNT') {
    if (wide) asm.dsubu(t, REG.zero, x);
    else asm.subu(t, REG.zero, x);
    asm.and(t, t, x); // lowest set bit alone (0 for 0)
    if (wide) asm.dclz(t, t);
    else asm.clz(t, t);
    asm.addiu(n, REG.zero, wide ? 63 : 31);
    asm.subu(n, n, t);
    asm.addiu(t, REG.zero, bits);
    asm.movz(n, t, x);
  } else if (wide) asm.dclz(n, x);
  else {
    asm.clz(n, x);
    if (bits < 32) asm.addiu(n, n, bits - 32);
  }
  asm.sltiu(flags, n, 1);
  asm.sll(flags, flags, 6); // ZF
  asm.sltiu(t, x, 1);
  asm.or(flags, flags, t); // CF
  asm.sll(t, of, 11);
  asm.or(flags, flags, t); // OF as it was
  ctx.setCc(CC.EFLAGS, 32, REG.zero, flags);
  ctx.write(dst, n);
  return false;
}

/** n = the set bits of the zero-extended 32-bit x (SWAR: pairs, nibbles, bytes, then the bytes summed by a multiplication); x and t are clobbered. */
function popcount32(ctx: GenContext, x: number, n: number, t: number): void {
  const asm = ctx.asm;
  asm.srl(t, x, 1);
  asm.li(n, 0x55555555);
  asm.and(t, t, n);
  asm.subu(n, x, t);
  asm.li(t, 0x33333333);
  asm.and(x, n, t);
  asm.srl(n, n, 2);
  asm.and(n, n, t);
  asm.addu(n, n, x);
  asm.srl(t, n, 4);
  asm.addu(n, n, t);
  asm.li(t, 0x0f0f0f0f);
  asm.and(n, n, t);
  asm.li(t, 0x01010101);
  asm.mul(n, n, t);
  asm.srl(n, n, 24);
}

/** ROL/ROR: CF and OF change (when the masked count is not 0), the other flags do not. */
export const genRotate: GenFn = (ctx, insn) => {
  const asm = ctx.asm;
  const bits = insn.opSize;
  const [dst, countOp] = insn.operands;
  const a = ctx.readOwned(dst, bits);
  ctx.withShiftCount(countOp, (n) => {
    ctx.materializeFlags();
    const r = rotate(ctx, a, n, bits, insn.op === 'ROL');
    const cf = ctx.tmp();
    const of = n; // the count is dead after the rotation
    // bit i of the result (64-bit operands: bits 63 and 62 through dsrl32)
    const bitAt = (into: number, i: number) => {
      if (i >= 32) {
        asm.dsrl32(into, r, i - 32);
        asm.andi(into, into, 1);
      } else asm.ext(into, r, i, 1);
    };
    if (insn.op === 'ROL') {
      asm.andi(cf, r, 1);
      bitAt(of, bits - 1);
    } else {
      bitAt(cf, bits - 1);
      bitAt(of, bits - 2);
    }
    asm.xor(of, of, cf);
    commit(ctx, dst, r, () => {
      asm.ins(CC_SRC_REG, cf, 0, 1);
      asm.ins(CC_SRC_REG, of, 11, 1);
    });
  });
  return false;
};

function rotate(ctx: GenContext, a: number, n: number, bits: number, left: boolean): number {
  const asm = ctx.asm;
  const r = ctx.tmp();
  if (bits === 64) {
    if (left) {
      const m = ctx.tmp();
      asm.dsubu(m, REG.zero, n);
      asm.drotrv(r, a, m);
    } else asm.drotrv(r, a, n);
    return r;
  }
  if (bits === 32) {
    if (left) {
      const m = ctx.tmp();
      asm.subu(m, REG.zero, n);
      asm.rotrv(r, a, m);
    } else asm.rotrv(r, a, n);
    return r;
  }
  // 8/16 bits: rotate by n mod bits through two shifts of the zero-extended value ($at: bits - k)
  const k = ctx.tmp();
  asm.andi(k, n, bits - 1);
  asm.addiu(REG.at, REG.zero, bits);
  asm.subu(REG.at, REG.at, k);
  if (left) {
    asm.sllv(r, a, k);
    asm.srlv(REG.at, a, REG.at);
  } else {
    asm.srlv(r, a, k);
    asm.sllv(REG.at, a, REG.at);
  }
  asm.or(r, r, REG.at);
  ctx.narrow(r, r, bits);
  return r;
}

/**
 * RCL/RCR: a rotation of the (bits + 1)-bit value CF:dst by count mod (bits + 1), done in a
 * 64-bit register. CF and OF change when the masked count is not 0; the other flags do not.
 */
export const genRotateCarry: GenFn = (ctx, insn) => {
  const asm = ctx.asm;
  const bits = insn.opSize;
  const [dst, countOp] = insn.operands;
  if (bits === 64) return genRotateCarry64(ctx, insn);
  const x = ctx.readOwned(dst, bits);
  if (bits === 32) asm.dext(x, x, 0, 32);
  ctx.withShiftCount(countOp, (k, imm) => {
    // the rotation is through bits + 1 positions: the count modulo bits + 1 ($at: bits + 1, then bits + 1 - k)
    if (imm !== undefined) {
      if (imm % (bits + 1) !== imm) asm.addiu(k, REG.zero, imm % (bits + 1));
    } else if (bits < 32) {
      asm.addiu(REG.at, REG.zero, bits + 1);
      asm.divu(k, REG.at);
      asm.mfhi(k);
    }
    ctx.materializeFlags();
    const t = ctx.tmp();
    asm.andi(t, CC_SRC_REG, 1);
    if (bits === 32) asm.dsll32(t, t, 0);
    else asm.dsll(t, t, bits);
    asm.or(x, x, t); // CF:dst
    asm.addiu(REG.at, REG.zero, bits + 1);
    asm.subu(REG.at, REG.at, k);
    const r = ctx.tmp();
    if (insn.op === 'RCL') {
      asm.dsllv(r, x, k);
      asm.dsrlv(t, x, REG.at);
    } else {
      asm.dsrlv(r, x, k);
      asm.dsllv(t, x, REG.at);
    }
    asm.or(r, r, t);
    const cf = ctx.tmp();
    if (bits === 32) asm.dsrl32(cf, r, 0);
    else asm.dsrl(cf, r, bits);
    asm.andi(cf, cf, 1);
    if (bits === 32) asm.sll(r, r, 0);
    else ctx.narrow(r, r, bits);
    const of = k; // the count is dead now
    asm.ext(of, r, bits - 1, 1);
    if (insn.op === 'RCL') asm.xor(of, of, cf);
    else {
      asm.ext(t, r, bits - 2, 1);
      asm.xor(of, of, t);
    }
    commit(ctx, dst, r, () => {
      asm.ins(CC_SRC_REG, cf, 0, 1);
      asm.ins(CC_SRC_REG, of, 11, 1);
    });
  });
  return false;
};

/**
 * RCL/RCR of a 64-bit operand: the 65-bit rotation of CF:dst by the count k (1..63 after the
 * mask, so mod 65 changes nothing) from three parts, dst shifted by k, CF moved to bit k - 1
 * (RCL) or 64 - k (RCR), and dst's other end shifted by 65 - k in two steps (one shift by 64
 * is not encodable); $at holds k - 1 or -k (= 64 - k for the 6-bit variable shifts).
 */
function genRotateCarry64(ctx: GenContext, insn: DecodedInsn): boolean {
  const asm = ctx.asm;
  const [dst, countOp] = insn.operands;
  const x = ctx.readOwned(dst, 64);
  const rcl = insn.op === 'RCL';
  ctx.withShiftCount(countOp, (k) => {
    ctx.materializeFlags();
    const r = ctx.tmp();
    const t = ctx.tmp();
    const cf = ctx.tmp();
    asm.andi(t, CC_SRC_REG, 1);
    if (rcl) {
      asm.dsllv(r, x, k);
      asm.addiu(REG.at, k, -1);
      asm.dsllv(t, t, REG.at);
      asm.or(r, r, t);
      asm.dsrl(t, x, 1);
      asm.dsubu(REG.at, REG.zero, k);
      asm.dsrlv(t, t, REG.at);
      asm.or(r, r, t);
      asm.dsrlv(cf, x, REG.at); // the last bit out: bit 64 - k
    } else {
      asm.dsrlv(r, x, k);
      asm.dsubu(REG.at, REG.zero, k);
      asm.dsllv(t, t, REG.at);
      asm.or(r, r, t);
      asm.dsll(t, x, 1);
      asm.dsllv(t, t, REG.at);
      asm.or(r, r, t);
      asm.addiu(REG.at, k, -1);
      asm.dsrlv(cf, x, REG.at); // the last bit out: bit k - 1
    }
    asm.andi(cf, cf, 1);
    // OF (defined for a count of 1): RCL: MSB xor CF; RCR: the two top bits of the result differ
    const of = k; // the count is dead now
    asm.dsrl32(t, r, 30);
    if (rcl) {
      asm.srl(of, t, 1);
      asm.xor(of, of, cf);
    } else {
      asm.srl(of, t, 1);
      asm.xor(of, of, t);
      asm.andi(of, of, 1);
    }
    commit(ctx, dst, r, () => {
      asm.ins(CC_SRC_REG, cf, 0, 1);
      asm.ins(CC_SRC_REG, of, 11, 1);
    });
  });
  return false;
}

/**
 * SHLD/SHRD: a shift of the register pair in one 64-bit register; flags as SHL/SHR. The
 * 16-bit forms shift the 32-bit pair; a count above 16 (undefined in the SDM) gives this AMD
 * CPU's result and flags (measured natively, every count 0-31, i386 and x86-64 alike).
 */
export const genDoubleShift: GenFn = (ctx, insn) => {
  const asm = ctx.asm;
  const bits = insn.opSize;
  const [dst, src, countOp] = insn.operands;
  const d = ctx.readOwned(dst, bits);
  const s = ctx.read(src, bits);
  ctx.withShiftCount(countOp, (n) => {
    const r = ctx.tmp();
    const last = ctx.tmp();
    const shld = insn.op === 'SHLD';
    // CF is the last bit shifted out of d: from d shifted by count - 1 (`last`, computed first:
    // the pair below is built in d's own register, and $at holds the other half)
    asm.addiu(last, n, -1);
    if (bits === 64) {
      // (d << n) | (s >> (64 - n)), or the mirror; the shift by 64 - n is by -n mod 64
      asm.dsubu(REG.at, REG.zero, n);
      if (shld) {
        asm.dsrlv(REG.at, s, REG.at);
        asm.dsllv(r, d, n);
        asm.dsllv(last, d, last); // CF = top bit of d << (n - 1)
      } else {
        asm.dsllv(REG.at, s, REG.at);
        asm.dsrlv(r, d, n);
        asm.dsrlv(last, d, last); // CF = bit 0 of d >> (n - 1)
      }
      asm.or(r, r, REG.at);
      if (!shld) {
        // this CPU's OF is the result's bit 63 ^ bit 62 at every count: give last's top bit the
        // pair's bit n + 62, s's bit n - 2 (s << (65 - n); 0 for a count of 1, whose bit is d's)
        asm.dsll(REG.at, REG.at, 1);
        asm.or(last, last, REG.at);
      }
    } else if (bits === 16) {
      // 48 bits d:s:s (shld) or s:s:d (shrd), so a count of 17-31 gives what this AMD CPU
      // gives (the SDM leaves it undefined): s rotated by count - 16
      asm.dsll(REG.at, s, 16);
      if (shld) {
        asm.dsll32(d, d, 0);
        asm.or(d, d, REG.at);
        asm.or(d, d, s);
      } else {
        asm.dsll32(r, s, 0);
        asm.or(r, r, REG.at);
        asm.or(d, d, r);
      }
      if (shld) {
        // r = X >> (32 - n); CF from X >> (33 - n)
        asm.addiu(REG.at, REG.zero, 32);
        asm.subu(REG.at, REG.at, n);
        asm.dsrlv(r, d, REG.at);
        asm.addiu(REG.at, REG.at, 1);
        asm.dsrlv(last, d, REG.at);
      } else {
        asm.dsrlv(r, d, n);
        asm.dsrlv(last, d, last);
      }
      asm.andi(r, r, 0xffff);
      asm.andi(last, last, 0xffff);
      if (shld) {
        // this CPU's CF is 0 above 16, OF = CF ^ MSB up to 15, CF at 16, 0 above: as SAR flags
        // (CF = bit 0 of last, OF = MSB of r ^ last), last = CF | (MSB ^ OF) << 15
        const t = d; // the pair is dead now
        asm.ext(last, last, 15, 1);
        asm.sltiu(REG.at, n, 17);
        asm.and(last, last, REG.at); // CF
        asm.ext(t, r, 15, 1);
        asm.sltiu(REG.at, n, 16);
        asm.xori(REG.at, REG.at, 1);
        asm.and(t, t, REG.at); // MSB ^ OF = MSB & (n >= 16) ^ CF
        asm.xor(t, t, last);
        asm.sll(t, t, 15);
        asm.or(last, last, t);
      } else {
        // CF is 0 above 16 (OF, the result's two top bits differing, holds for every count)
        asm.sltiu(REG.at, n, 17);
        asm.addiu(REG.at, REG.at, -2);
        asm.and(last, last, REG.at);
      }
    } else if (shld) {
      asm.sllv(last, d, last); // CF = top bit of d << (n - 1)
      asm.dsll32(d, d, 0);
      asm.dext(REG.at, s, 0, 32);
      asm.or(d, d, REG.at);
      asm.dsllv(r, d, n);
      asm.dsra32(r, r, 0);
    } else {
      asm.dsll32(REG.at, s, 0);
      asm.dext(d, d, 0, 32);
      asm.or(d, d, REG.at);
      // CF = bit 0 of the pair >> (n - 1); its bit 31 is the result's bit 30, whose difference
      // from the result's top bit is this CPU's OF at every count
      asm.dsrlv(last, d, last);
      asm.dsrlv(r, d, n);
      asm.sll(r, r, 0);
    }
    commit(ctx, dst, r, () => ctx.setCc(shld && bits !== 16 ? CC.SHL : CC.SAR, bits, r, last));
  });
  return false;
};
