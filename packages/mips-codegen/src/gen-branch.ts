/** Control transfers: every one ends the TB through tb-exits (jmp, jcc, call, ret, loop, jcxz). */
import { REG } from '@dbtlab/mips-host';
import { branchBits, adjustSp, push, top } from './gen-stack';
import type { GenFn } from './gen-table';
import { exitsOn, gotoTb, lookupAndGotoPtr } from './tb-exits';

const ECX = 1;

function target(ctx: Parameters<GenFn>[0], insn: { target?: number; addr: number }): number {
  if (insn.target === undefined) throw new Error(`branch at 0x${insn.addr.toString(16)} without target`);
  return ctx.guestPc(insn.target);
}

/**
 * A branch's exit to a direct target: goto_tb, or #GP at the branch when the target is past %cs's
 * limit (natively the branch faults, not the fetch at the target).
 */
function gotoTarget(ctx: Parameters<GenFn>[0], to: number): void {
  if (ctx.pastCodeLimit(to)) ctx.raiseBranchPastLimit();
  else gotoTb(ctx, 0, to);
}

export const genJmp: GenFn = (ctx, insn) => {
  if (insn.cf === 'jump') gotoTarget(ctx, target(ctx, insn));
  else {
    const t = ctx.tmp();
    ctx.move(t, ctx.read(insn.operands[0], branchBits(ctx)));
    ctx.checkCodeTarget(t);
    lookupAndGotoPtr(ctx, checkedTarget(ctx, t, 0));
  }
  return true;
};

/**
 * x86-64: an indirect target outside the 47-bit user space is a pc no TB can have; checked once
 * the branch has moved rsp by spDelta (the kernel half faults at the target, as the vsyscall
 * page's entries must; a non-canonical target is #GP at the branch: branchFaultStub).
 */
function checkedTarget(ctx: Parameters<GenFn>[0], t: number, spDelta: number): number {
  if (!ctx.mode64) return t;
  const high = ctx.tmp();
  ctx.asm.dsrl32(high, t, 15);
  ctx.asm.bne(high, REG.zero, ctx.branchFaultStub(t, spDelta));
  ctx.asm.nop(); // delay slot
  return t;
}

/**
 * Two exits: not taken -> slot 1 (next pc), taken -> slot 0 (target), as gen_jcc; `notTaken` first
 * on the way to slot 1 (a loop's counter when the taken way faults).
 */
function branchOn(ctx: Parameters<GenFn>[0], takenIfNonZero: number, to: number, notTaken?: () => void): void {
  exitsOn(
    ctx,
    takenIfNonZero,
    () => gotoTarget(ctx, to),
    () => {
      notTaken?.();
      gotoTb(ctx, 1, ctx.nextPc);
    },
  );
}

export const genJcc: GenFn = (ctx, insn) => {
  branchOn(ctx, ctx.condition(insn.cond), target(ctx, insn));
  return true;
};

export const genCall: GenFn = (ctx, insn) => {
  const bits = branchBits(ctx);
  if (insn.cf === 'call') {
    const to = target(ctx, insn);
    if (ctx.pastCodeLimit(to)) ctx.raiseBranchPastLimit(); // before the push
    else {
      push(ctx, ctx.addressReg(ctx.nextPc), bits);
      gotoTb(ctx, 0, to);
    }
  } else {
    const t = ctx.tmp();
    ctx.move(t, ctx.read(insn.operands[0], bits)); // read before the push: call *(%esp)
    ctx.checkCodeTarget(t);
    push(ctx, ctx.addressReg(ctx.nextPc), bits);
    checkedTarget(ctx, t, -bits / 8);
    lookupAndGotoPtr(ctx, t);
  }
  return true;
};

export const genRet: GenFn = (ctx, insn) => {
  const bits = branchBits(ctx);
  const t = top(ctx, bits);
  ctx.checkCodeTarget(t); // before the pop
  const imm = insn.operands[0]?.kind === 'imm' ? insn.operands[0].value & 0xffff : 0;
  adjustSp(ctx, bits / 8 + imm);
  checkedTarget(ctx, t, bits / 8 + imm);
  lookupAndGotoPtr(ctx, t);
  return true;
};

/**
 * LOOP/LOOPE/LOOPNE decrement %ecx without touching flags; JCXZ tests it. The address size
 * picks the counter: CX, ECX, or in x86-64 mode RCX (ECX under 0x67, written zero-extended).
 */
export const genLoop: GenFn = (ctx, insn) => {
  const asm = ctx.asm;
  const ecx = ctx.gpr(ECX);
  const addr32in64 = ctx.mode64 && insn.addrSize === 32;
  const to = target(ctx, insn);
  // a taken loop to a target past %cs's limit faults with the counter as it was (measured natively):
  // the decremented counter is kept aside and written on the way not taken
  const counterAside = insn.op !== 'JCXZ' && ctx.pastCodeLimit(to);
  const newEcx = counterAside ? ctx.tmp() : ecx;
  let counter = newEcx;
  if (insn.op !== 'JCXZ') {
    if (ctx.mode64) {
      asm.daddiu(ecx, ecx, -1); // rcx, all 64 bits
      if (addr32in64) asm.dext(ecx, ecx, 0, 32);
    } else if (insn.addrSize === 16) {
      counter = ctx.tmp();
      asm.addiu(counter, ecx, -1);
      asm.andi(counter, counter, 0xffff);
      if (counterAside) asm.move(newEcx, ecx);
      asm.ins(newEcx, counter, 0, 16);
    } else asm.addiu(newEcx, ecx, -1);
  } else if (insn.addrSize === 16 || addr32in64) {
    counter = ctx.tmp();
    if (addr32in64) asm.dext(counter, ecx, 0, 32);
    else asm.andi(counter, ecx, 0xffff);
  }
  const c = ctx.tmp();
  if (insn.op === 'JCXZ') asm.sltiu(c, counter, 1);
  else asm.sltu(c, REG.zero, counter);
  if (insn.op === 'LOOPE' || insn.op === 'LOOPNE') {
    const z = ctx.condition(insn.op === 'LOOPE' ? 4 : 5);
    asm.and(c, c, z);
  }
  branchOn(ctx, c, to, counterAside ? () => asm.move(ecx, newEcx) : undefined);
  return true;
};
