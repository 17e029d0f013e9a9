/**
 * System-level and trapping instructions: int, int3, int1, into, bound, the privileged and
 * the undefined ones, cpuid, rdtsc. Each fault is the exception the CPU raises in user mode;
 * the trap switch turns it into the signal Linux sends.
 */
import { REG, REGION } from '@dbtlab/mips-host';
import { EXCP } from './excp';
import type { GenContext } from './gen-context';
import type { GenFn } from './gen-table';

/** Raises exception `excp` at the current instruction; the TB ends. */
function raiseAt(ctx: GenContext, excp: number, next: number): boolean {
  ctx.withRegion(REGION.exit_stub, () => ctx.raise(ctx.opts.helpers.raiseException, excp, next, ctx.insn.addr));
  return true;
}

export const genInt: GenFn = (ctx, insn) => {
  const vector = insn.operands[0]?.kind === 'imm' ? insn.operands[0].value & 0xff : 3;
  if (insn.cf === 'syscall') {
    return ctx.opts.syscall.emit(ctx, insn);
  }
  // int n from user mode: Linux's IDT lets only vectors 3 (#BP) and 4 (#OF) through; others #GP
  if (insn.op === 'INT3' || (insn.op === 'INT' && vector === 3)) return raiseAt(ctx, EXCP.INT3, ctx.nextPc);
  if (insn.op === 'INT' && vector === 4) return raiseAt(ctx, EXCP.INTO, ctx.nextPc);
  ctx.withRegion(REGION.exit_stub, () =>
    ctx.raise(ctx.opts.helpers.raiseInterrupt, vector, ctx.nextPc, ctx.insn.addr),
  );
  return true;
};

/** A conditional trap: when register `cond` is nonzero, exception `excp` is raised out of line. */
function trapIf(ctx: GenContext, cond: number, excp: number, next: number): void {
  const pc = ctx.insn.addr;
  const l = ctx.stub(() => ctx.withRegion(REGION.exit_stub, () => ctx.raise(ctx.opts.helpers.raiseException, excp, next, pc)));
  ctx.asm.bne(cond, REG.zero, l);
  ctx.asm.nop(); // delay slot
}

/** INTO: #OF (SIGSEGV in Linux) when OF is set. */
export const genInto: GenFn = (ctx) => {
  trapIf(ctx, ctx.condition(0), EXCP.INTO, ctx.nextPc);
  return false;
};

/** BOUND r, m: #BR unless lower <= r <= upper (signed, the pair at m); Linux delivers it as SIGSEGV. */
export const genBound: GenFn = (ctx, insn) => {
  const a = ctx.asm;
  const bits = insn.opSize;
  const [reg, mem] = insn.operands;
  if (reg.kind !== 'reg' || mem.kind !== 'mem') throw ctx.unsupported('bound operands');
  const host = ctx.hostAddress(mem);
  const v = ctx.tmp();
  const lo = ctx.load(bits, host);
  const hi = ctx.load(bits, host, bits / 8);
  ctx.move(v, ctx.readReg(reg));
  if (bits === 16) {
    a.seh(v, v);
    a.seh(lo, lo);
    a.seh(hi, hi);
  }
  const out = ctx.tmp();
  a.slt(out, v, lo);
  a.slt(hi, hi, v);
  a.or(out, out, hi);
  trapIf(ctx, out, EXCP.BOUND, ctx.insn.addr);
  return false;
};

/** #UD: ud0/ud1/ud2, and what the modelled CPU (cpuid) or 32-bit mode does not have. */
export const genInvalidOpcode: GenFn = (ctx) => raiseAt(ctx, EXCP.ILLOP, ctx.insn.addr);
/** #GP: privileged at CPL 3 (hlt, cli/sti and port I/O with IOPL 0, descriptor tables, control registers...). */
export const genPrivileged: GenFn = (ctx) => raiseAt(ctx, EXCP.GPF, ctx.insn.addr);
/** int1 (icebp): a #DB trap, after the instruction. */
export const genInt1: GenFn = (ctx) => raiseAt(ctx, EXCP.DEBUG, ctx.nextPc);

/** Helpers that read and write guest registers in env: a full context switch around them. */
function envHelper(ctx: GenContext, helper: number): boolean {
  ctx.contextSave();
  ctx.callHelper(helper, [], false);
  ctx.contextRestore();
  return false;
}

export const genCpuid: GenFn = (ctx) => envHelper(ctx, ctx.opts.helpers.cpuid);
export const genRdtsc: GenFn = (ctx) => envHelper(ctx, ctx.opts.helpers.rdtsc);
