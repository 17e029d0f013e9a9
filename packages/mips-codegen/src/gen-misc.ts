/** System-level and trapping instructions: int, int3, ud2, hlt, cpuid, rdtsc. */
import { REGION } from '@dbtlab/mips-host';
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
  if (insn.cf === 'syscall') return ctx.opts.syscall.emit(ctx, insn);
  // int n from user mode: Linux's IDT lets only vectors 3 and 4 through; others #GP
  if (insn.op === 'INT3' || (insn.op === 'INT' && vector === 3)) return raiseAt(ctx, EXCP.INT3, ctx.nextPc);
  ctx.withRegion(REGION.exit_stub, () =>
    ctx.raise(ctx.opts.helpers.raiseInterrupt, vector, ctx.nextPc, ctx.insn.addr),
  );
  return true;
};

export const genUd2: GenFn = (ctx) => raiseAt(ctx, EXCP.ILLOP, ctx.insn.addr);
export const genHlt: GenFn = (ctx) => raiseAt(ctx, EXCP.GPF, ctx.insn.addr);

/** Helpers that read and write guest registers in env: a full context switch around them. */
function envHelper(ctx: GenContext, helper: number): boolean {
  ctx.contextSave();
  ctx.callHelper(helper, [], false);
  ctx.contextRestore();
  return false;
}

export const genCpuid: GenFn = (ctx) => envHelper(ctx, ctx.opts.helpers.cpuid);
export const genRdtsc: GenFn = (ctx) => envHelper(ctx, ctx.opts.helpers.rdtsc);
