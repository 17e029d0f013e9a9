/**
 * Far control transfers: ljmp, lcall, lret [$n], iret. The new %cs goes through the load_seg
 * helper (the OS's GDT or LDT judged by x86-semantics' codeSegmentLoad: #GP, SIGSEGV SI_KERNEL,
 * for anything but a user code segment of the process's own mode) before anything else
 * changes; jmp/call load it with RPL = CPL, ret/iret need RPL = CPL as popped. In a 64-bit
 * process the slots are the operand size's (4 bytes without REX.W), a 32-bit offset is
 * zero-extended into rip, and iret pops rsp and %ss too (always, in 64-bit mode). Each ends the
 * TB through lookup_tb_ptr, as QEMU's gen_jr after its far-transfer helpers.
 */
import { REG, REGION } from '@dbtlab/mips-host';
import { ENV, NT, R_CS, R_ESP, R_SS } from '@dbtlab/x86-frontend';
import { EXCP } from './excp';
import type { GenContext } from './gen-context';
import { adjustSp, push, setEflagsFromPop, top } from './gen-stack';
import type { GenFn } from './gen-table';
import { ENV_REG } from './reg-map';
import { lookupAndGotoPtr } from './tb-exits';

/**
 * Checks and loads %cs from the selector in `sel`; i386: `eip` gives a register with the new eip
 * (past the new segment's limit: #GP at the transfer); `fromCall`: jmp/call, whose RPL becomes the CPL.
 * Returns a register holding the previous %cs selector (load_seg's result), which lcall pushes.
 */
function loadCs(ctx: GenContext, sel: number, eip: () => number, fromCall: boolean): number {
  if (fromCall) ctx.asm.ori(sel, sel, 3);
  loadSegment(ctx, R_CS, sel, ctx.mode64 ? undefined : eip());
  const old = ctx.tmp();
  ctx.asm.andi(old, REG.v0, 0xffff);
  return old;
}

function loadSegment(ctx: GenContext, seg: number, sel: number, eip?: number): void {
  ctx.scratchScope(() => ctx.callHelper(ctx.opts.helpers.loadSeg, [ctx.constReg(seg), sel, ...(eip === undefined ? [] : [eip])]));
}

/** A popped or loaded offset as the new pc: 64-bit mode zero-extends a 32-bit one. */
function pcValue(ctx: GenContext, v: number, bits: number): number {
  if (ctx.mode64 && bits === 32) ctx.asm.dext(v, v, 0, 32);
  return v;
}

/**
 * ljmp/lcall's target after %cs is loaded: the selector:offset operand (ptr16:16/32 or
 * m16:16/32) read, the selector checked; returns the new eip's register and the old %cs's.
 */
function farTarget(ctx: GenContext, bits: number): { eip: number; oldCs: number } {
  const op = ctx.insn.operands[0];
  if (op.kind === 'far') {
    const sel = ctx.tmp();
    ctx.asm.li(sel, op.selector);
    const oldCs = loadCs(ctx, sel, () => ctx.constReg(op.offset), true);
    return { eip: ctx.constReg(op.offset), oldCs };
  }
  if (op.kind !== 'mem') throw ctx.unsupported('far transfer operand');
  const host = ctx.hostAddress(op);
  const oldCs = loadCs(ctx, ctx.load(16, host, bits / 8), () => ctx.load(bits, host), true);
  return { eip: pcValue(ctx, ctx.load(bits, host), bits), oldCs };
}

export const genFarJmp: GenFn = (ctx, insn) => {
  lookupAndGotoPtr(ctx, farTarget(ctx, insn.opSize).eip);
  return true;
};

export const genFarCall: GenFn = (ctx, insn) => {
  const bits = insn.opSize;
  // the old %cs (zero-extended in a 32-bit slot, as the CPU writes it), then the return eip
  const { eip, oldCs: cs } = farTarget(ctx, bits);
  ctx.scratchScope(() => push(ctx, cs, bits));
  ctx.scratchScope(() => push(ctx, ctx.mode64 ? ctx.addressReg(ctx.nextPc) : ctx.constReg(ctx.nextPc), bits));
  lookupAndGotoPtr(ctx, eip);
  return true;
};

/**
 * lret [$n] and iret: eip, cs (and iret's EFLAGS; in 64-bit mode its rsp and %ss) popped; every
 * stack read happens before the %cs check (a page fault comes first, as the CPU pops before it
 * checks), %cs is checked before %ss.
 */
function genFarReturn(ctx: GenContext, bits: number, slots: number, release: number): number {
  const size = bits / 8;
  ctx.scratchScope(() => {
    top(ctx, bits);
    if (slots > 2) top(ctx, bits, (slots - 1) * size);
  });
  ctx.scratchScope(() => loadCs(ctx, top(ctx, 16, size), () => top(ctx, bits), false));
  if (slots === 5) ctx.scratchScope(() => loadSegment(ctx, R_SS, top(ctx, 16, 4 * size)));
  if (slots >= 3) ctx.scratchScope(() => setEflagsFromPop(ctx, top(ctx, bits, 2 * size), bits));
  const eip = pcValue(ctx, top(ctx, bits), bits);
  if (slots === 5) ctx.move(ctx.gpr(R_ESP), pcValue(ctx, top(ctx, bits, 3 * size), bits));
  else adjustSp(ctx, slots * size + release);
  return eip;
}

export const genFarRet: GenFn = (ctx, insn) => {
  const imm = insn.operands[0]?.kind === 'imm' ? insn.operands[0].value & 0xffff : 0;
  lookupAndGotoPtr(ctx, genFarReturn(ctx, insn.opSize, 2, imm));
  return true;
};

/**
 * iret at CPL 3 to the same level: IOPL and IF keep their values, as popf leaves them. With NT
 * set it would be a task return, which IA-32e mode lacks: #GP(0) before anything is popped.
 */
export const genIret: GenFn = (ctx, insn) => {
  const asm = ctx.asm;
  const pc = insn.addr;
  const ccOp = ctx.ccOp;
  const gp = ctx.stub(() =>
    ctx.withRegion(REGION.exit_stub, () => {
      const after = ctx.ccOp;
      ctx.ccOp = ccOp;
      ctx.raise(ctx.opts.helpers.raiseException, EXCP.GPF, pc, pc);
      ctx.ccOp = after;
    }),
  );
  asm.lw(REG.at, ENV.eflags, ENV_REG);
  asm.andi(REG.at, REG.at, NT);
  asm.bne(REG.at, REG.zero, gp);
  asm.nop(); // delay slot
  lookupAndGotoPtr(ctx, genFarReturn(ctx, insn.opSize, ctx.mode64 ? 5 : 3, 0));
  return true;
};
