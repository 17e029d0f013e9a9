/** Stack: push/pop in every form, pusha/popa, pushf/popf, enter/leave. */
import { REG } from '@dbtlab/mips-host';
import { AC, CC_FLAGS, ENV, ID, NT, TF, type Operand } from '@dbtlab/x86-frontend';
import { CC } from '@dbtlab/x86-semantics';
import { eflagsValue } from './gen-alu';
import type { GenContext } from './gen-context';
import type { GenFn } from './gen-table';
import { CC_SRC_REG, ENV_REG, GUEST_BASE_REG } from './reg-map';
import { exitTb } from './tb-exits';

const ESP = 4;
const EBP = 5;
const SS = 2;

/** i386 with a 16-bit %ss (TranslateOptions.code.ss16): stack accesses address and update SP only. */
const stack16 = (ctx: GenContext): boolean => !ctx.mode64 && ctx.opts.code?.ss16 === true;

/**
 * Host address of %ss:(register `r` + off) (32-bit wrap; 16-bit with a 16-bit %ss), in a scratch
 * register; `bytes` from there are checked against %ss's bounds (GenContext.checkSegment) unless 0
 * (the caller checks).
 */
function stackAddress(ctx: GenContext, r: number, off: number, bytes: number): number {
  if (ctx.mode64) {
    // x86-64: 64-bit stack addresses, checked like every other access
    let h: number;
    if (!off) h = ctx.guestToHost(r);
    else {
      const e = ctx.tmp();
      ctx.asm.daddiu(e, r, off);
      h = ctx.guestToHost(e);
    }
    ctx.checkAlign(h, bytes);
    return h;
  }
  if (bytes) ctx.checkSegment(SS, r, bytes, false, off);
  const t = ctx.tmp();
  let a = r;
  if (off) {
    ctx.asm.addiu(t, r, off);
    a = t;
  }
  if (stack16(ctx)) {
    ctx.asm.andi(t, a, 0xffff);
    a = t;
  }
  if (ctx.addsSegBase(SS)) {
    ctx.asm.lw(REG.at, ENV.segBase + 8 * SS, ENV_REG);
    ctx.asm.addu(t, a, REG.at);
    a = t;
  }
  ctx.asm.dext(t, a, 0, 32);
  ctx.asm.daddu(t, t, GUEST_BASE_REG);
  ctx.checkAlign(t, bytes);
  return t;
}

/** %esp (%rsp) = from + delta; with a 16-bit %ss, SP = from's low 16 bits + delta (ESP's upper half stays). */
export function adjustSp(ctx: GenContext, delta: number, from = ctx.gpr(ESP)): void {
  if (ctx.mode64) ctx.asm.daddiu(ctx.gpr(ESP), from, delta);
  else if (stack16(ctx)) {
    ctx.asm.addiu(REG.at, from, (delta << 16) >> 16); // SP's 16 bits: the delta modulo 64 KiB
    ctx.asm.ins(ctx.gpr(ESP), REG.at, 0, 16);
  } else ctx.asm.addiu(ctx.gpr(ESP), from, delta);
}

/**
 * A near branch's operand size, the width of the return address call pushes and ret pops and of
 * an indirect target: 16 or 32 in i386 (66 or a 16-bit code segment picks 16: IP, the upper half
 * of eip cleared); 64 in 64-bit mode whatever the prefix (as Intel CPUs ignore 66 there).
 */
export const branchBits = (ctx: GenContext): number => (ctx.mode64 ? 64 : ctx.insn.opSize);

/** Pushes value register v of `bits` (store first, then %esp). */
export function push(ctx: GenContext, v: number, bits = 32): void {
  const esp = ctx.gpr(ESP);
  const size = bits / 8;
  ctx.store(bits, v, stackAddress(ctx, esp, -size, size));
  adjustSp(ctx, -size);
}

/** Loads the top of stack without popping. */
export function top(ctx: GenContext, bits = 32, off = 0): number {
  return ctx.load(bits, stackAddress(ctx, ctx.gpr(ESP), off, bits / 8));
}

export const genPush: GenFn = (ctx, insn) => {
  const [op] = insn.operands;
  const bits = insn.opSize;
  let v: number;
  if (op.kind === 'reg' && op.file === 'seg') {
    v = ctx.tmp();
    ctx.asm.lw(v, ENV.segSelector + 4 * op.reg, ENV_REG);
    ctx.asm.andi(v, v, 0xffff);
  } else {
    v = ctx.read(op, bits); // push %esp pushes the old value: the store precedes the update
  }
  push(ctx, v, bits);
  return false;
};

export const genPop: GenFn = (ctx, insn) => {
  const [op] = insn.operands;
  const bits = insn.opSize;
  const v = top(ctx, bits);
  if (op.kind === 'mem') {
    // the destination's address is computed after %esp is incremented: popl 4(%esp) writes
    // the slot above the popped one
    ctx.write(op.base === ESP ? { ...op, disp: op.disp + bits / 8 } : op, v, bits);
    adjustSp(ctx, bits / 8);
  } else if (op.kind === 'reg' && op.file === 'gpr') {
    adjustSp(ctx, bits / 8);
    ctx.write(op, v, bits); // pop %esp: the loaded value wins
  } else if (op.kind === 'reg' && op.file === 'seg') {
    // the selector is checked (and may fault) before %esp moves
    ctx.callHelper(ctx.opts.helpers.loadSeg, [ctx.constReg(op.reg), v]);
    adjustSp(ctx, bits / 8);
  } else throw ctx.unsupported('pop operand');
  return false;
};

export const genPusha: GenFn = (ctx, insn) => {
  const bits = insn.opSize;
  const size = bits / 8;
  const esp = ctx.gpr(ESP);
  // one push after another: a stack limit met halfway keeps the pushes before it (measured natively);
  // a 16-bit SP may wrap between two of them (measured natively)
  if (stack16(ctx)) {
    for (let r = 0; r < 8; r++) ctx.scratchScope(() => ctx.store(bits, ctx.gpr(r), stackAddress(ctx, esp, -(r + 1) * size, size)));
  } else {
    const base = stackAddress(ctx, esp, -8 * size, 0);
    ctx.checkAlign(base, size);
    for (let r = 0; r < 8; r++) {
      ctx.checkSegment(SS, esp, size, false, -(r + 1) * size);
      ctx.store(bits, ctx.gpr(r), base, (7 - r) * size);
    }
  }
  adjustSp(ctx, -8 * size);
  return false;
};

export const genPopa: GenFn = (ctx, insn) => {
  const bits = insn.opSize;
  const size = bits / 8;
  const esp = ctx.gpr(ESP);
  const vals: number[] = [];
  for (let r = 0; r < 8; r++) vals.push(r === ESP ? -1 : ctx.tmp());
  // every load before any register write (a fault leaves all eight as they were); a 16-bit
  // load's own scratch register is free again after it
  if (stack16(ctx)) {
    // a 16-bit SP may wrap between two slots: each at its own address
    for (let r = 0; r < 8; r++)
      if (r !== ESP) ctx.scratchScope(() => ctx.load(bits, stackAddress(ctx, esp, (7 - r) * size, size), 0, vals[r]));
  } else {
    // the eight slots' bounds at once; alignment by the slot
    ctx.checkSegment(SS, esp, 8 * size);
    const base = stackAddress(ctx, esp, 0, 0);
    ctx.checkAlign(base, size);
    for (let r = 0; r < 8; r++) if (r !== ESP) ctx.scratchScope(() => ctx.load(bits, base, (7 - r) * size, vals[r]));
  }
  for (let r = 0; r < 8; r++) if (r !== ESP) ctx.write({ kind: 'reg', file: 'gpr', reg: r, size: bits }, vals[r], bits);
  adjustSp(ctx, 8 * size);
  return false;
};

export const genLeave: GenFn = (ctx, insn) => {
  const bits = insn.opSize;
  const v = ctx.load(bits, stackAddress(ctx, ctx.gpr(EBP), 0, bits / 8));
  adjustSp(ctx, bits / 8, ctx.gpr(EBP));
  ctx.write({ kind: 'reg', file: 'gpr', reg: EBP, size: bits } as Operand, v, bits);
  return false;
};

/**
 * ENTER alloc, level (SDM): push %ebp; frame = %esp; copy level-1 outer frame pointers from
 * below the old %ebp; push frame (level > 0); %ebp = frame; %esp -= alloc. With a 16-bit
 * operand size every slot is 2 bytes and only BP changes; the stack pointer is 32-bit (SP with a 16-bit %ss; 64-bit
 * in x86-64 mode, where the slots are 8 bytes by default and %rbp-relative reads are checked).
 */
export const genEnter: GenFn = (ctx, insn) => {
  const [alloc, level] = insn.operands;
  if (alloc.kind !== 'imm' || level.kind !== 'imm') throw ctx.unsupported('enter operands');
  const bits = insn.opSize;
  const size = bits / 8;
  const nesting = level.value & 31;
  const asm = ctx.asm;
  const esp = ctx.gpr(ESP);
  const ebp = ctx.gpr(EBP);
  const sp16 = stack16(ctx);
  const frame = ctx.tmp();
  if (ctx.mode64) asm.daddiu(frame, esp, -size);
  else if (sp16) {
    // the frame is ESP after the push: SP's 16 bits, ESP's upper half (measured natively)
    asm.addiu(REG.at, esp, -size);
    asm.move(frame, esp);
    asm.ins(frame, REG.at, 0, 16);
  } else asm.addiu(frame, esp, -size);
  // all stores first: old frame pointer, the display of outer frame pointers, the new frame pointer
  // each store checked on its own against a limited %ss, as each push is; a 16-bit SP may wrap
  // between two of them, so each has its own address then
  const base = sp16 ? -1 : stackAddress(ctx, esp, -size * (nesting + 1), 0);
  if (!sp16) ctx.checkAlign(base, size);
  const pushSlot = (k: number, v: number): void => {
    if (sp16) ctx.scratchScope(() => ctx.store(bits, v, stackAddress(ctx, esp, -size * (k + 1), size)));
    else {
      ctx.checkSegment(SS, esp, size, false, -size * (k + 1));
      ctx.store(bits, v, base, size * (nesting - k));
    }
  };
  pushSlot(0, ebp);
  for (let i = 1; i < nesting; i++) ctx.scratchScope(() => pushSlot(i, ctx.load(bits, stackAddress(ctx, ebp, -size * i, size))));
  if (nesting > 0) pushSlot(nesting, frame);
  const allocBytes = alloc.value & 0xffff;
  if (allocBytes) {
    // the CPU then probes a write at the final stack pointer (SDM ENTER: #PF "if a write using the
    // final value of the stack pointer would cause a page fault"), the stores above kept; the probe
    // is one slot wide (natively a final pointer 1..size-1 bytes below an unwritable page faults
    // at that page's first byte)
    ctx.checkSegment(SS, esp, size, false, -(size * (nesting + 1) + allocBytes));
    const p = ctx.tmp();
    asm.li(p, size * (nesting + 1) + allocBytes);
    if (ctx.mode64) asm.dsubu(p, esp, p);
    else asm.subu(p, esp, p);
    if (sp16) asm.andi(p, p, 0xffff);
    if (ctx.addsSegBase(SS)) {
      asm.lw(REG.at, ENV.segBase + 8 * SS, ENV_REG);
      asm.addu(p, p, REG.at);
    }
    const len = ctx.tmp();
    asm.li(len, size);
    ctx.callHelper(ctx.opts.helpers.checkWrite, [p, len]);
  }
  adjustSp(ctx, -size * (nesting + 1));
  ctx.writeReg({ kind: 'reg', file: 'gpr', reg: EBP, size: bits }, bits === 16 ? ctx.narrow(frame, frame, 16) : frame);
  if (ctx.mode64) asm.dsubu(esp, esp, ctx.constReg(allocBytes));
  else if (sp16) adjustSp(ctx, -allocBytes);
  else asm.subu(esp, esp, ctx.constReg(allocBytes));
  return false;
};

export const genPushf: GenFn = (ctx, insn) => {
  push(ctx, eflagsValue(ctx), insn.opSize);
  return false;
};

/**
 * POPF: arithmetic flags to cc_src (cc_op EFLAGS), DF to env.df, TF/AC/ID kept; the TB ends with
 * an exit to the loop (QEMU's gen_eob), where a TF just set starts single-stepping (tbFind).
 */
export const genPopf: GenFn = (ctx, insn) => {
  const bits = insn.opSize;
  const v = top(ctx, bits);
  adjustSp(ctx, bits / 8);
  setEflagsFromPop(ctx, v, bits);
  exitTb(ctx, ctx.nextPc);
  return true;
};

/** EFLAGS from a popped value `v` (popf, iret): what CPL 3 may change. */
export function setEflagsFromPop(ctx: GenContext, v: number, bits: number): void {
  const asm = ctx.asm;
  // popfq: RFLAGS' upper half is reserved; the 32-bit operations below take the low half
  if (bits === 64) asm.sll(v, v, 0);
  asm.andi(CC_SRC_REG, v, CC_FLAGS);
  ctx.ccOp = CC.EFLAGS;
  const t = ctx.tmp();
  asm.ext(t, v, 10, 1);
  asm.sll(t, t, 1);
  const one = ctx.constReg(1);
  asm.subu(t, one, t);
  asm.sw(t, ENV.df, ENV_REG);
  if (bits >= 32) {
    const m = ctx.tmp();
    asm.li(m, TF | NT | AC | ID); // the bits CPL 3 may change besides the arithmetic ones and DF
    asm.and(t, v, m);
  } else {
    // popfw: TF and NT from the low half; the upper half (AC, ID) stays
    const m = ctx.tmp();
    asm.andi(t, v, TF | NT);
    asm.lw(m, ENV.eflags, ENV_REG);
    asm.srl(m, m, 16);
    asm.sll(m, m, 16);
    asm.or(t, t, m);
  }
  asm.ori(t, t, 0x200); // IF stays set
  asm.sw(t, ENV.eflags, ENV_REG);
}
