/**
 * How a TB is left (QEMU's tcg_gen_goto_tb / tcg_gen_exit_tb / tcg_gen_lookup_and_goto_ptr).
 *
 *   gotoTb(ctx, n, pc)       direct exit n: a patchable `j` (chain region) to a stub that
 *                            stores eip and returns (tb << 2 | n) to the exec loop
 *   exitTb(ctx, pc)          store eip, return TB_EXIT_NOCHAIN: the loop looks the pc up
 *   lookupAndGotoPtr(ctx, r) indirect exit: a helper finds the next TB's host code and we
 *                            jump straight there, without leaving the code cache
 *   exitsOn(ctx, r, a, b)    two exits, as jcc's: `a` when r is non-zero, else `b`
 *   gotoTbIfPc(ctx, pc)      leave for the pc in env, by goto_tb when it is `pc`
 * Without chaining (X86toMips, --no-chain) the first and last degrade to exitTb.
 */
import { PAGE_SIZE, REG, REGION } from '@dbtlab/mips-host';
import { ENV } from '@dbtlab/x86-frontend';
import { GenContext, TB_EXIT_NOCHAIN } from './gen-context';
import { ENV_REG } from './reg-map';

/** Emits the stub; returns the word offset of its exit-value load. */
function exitStub(ctx: GenContext, pc: number | undefined, exitValue: number): number {
  const a = ctx.asm;
  let valueWord = 0;
  ctx.withRegion(REGION.exit_stub, () => {
    if (pc !== undefined) {
      a.li(REG.at, ctx.mode64 ? pc : pc | 0);
      ctx.storePcReg(REG.at);
    }
    valueWord = a.offset;
    a.li(REG.v0, exitValue);
    a.j(ctx.opts.shared.epilogueWithSave);
    a.nop(); // delay slot
  });
  return valueWord;
}

export function gotoTb(ctx: GenContext, n: number, pc: number): void {
  ctx.syncCcOp();
  if (!ctx.opts.chaining) {
    exitStub(ctx, pc, TB_EXIT_NOCHAIN);
    return;
  }
  if (Math.floor(pc / PAGE_SIZE) !== Math.floor(ctx.opts.tbPc / PAGE_SIZE)) {
    // QEMU's translator_use_goto_tb: chain directly only within the TB's first page, so
    // invalidating a page never leaves a direct jump into it; other targets are looked up
    lookupAndGotoPtr(ctx, ctx.addressReg(pc));
    return;
  }
  const a = ctx.asm;
  const slotWord = a.offset;
  const stubAddr = a.pc + 8;
  ctx.withRegion(REGION.chain, () => {
    a.j(stubAddr); // patched by tbAddJump to the next TB's code
    a.nop(); // delay slot
  });
  const stubWord = a.offset;
  const valueWord = exitStub(ctx, pc, (ctx.opts.tbIndex << 2) | n);
  ctx.exits.push({ index: n, slotWord, stubWord, valueWord, targetPc: ctx.guestPc(pc) });
}

export function exitTb(ctx: GenContext, pc: number | undefined): void {
  ctx.syncCcOp();
  exitStub(ctx, pc, TB_EXIT_NOCHAIN);
}

/** Leaves to the TB at the guest pc held in register `target`. */
export function lookupAndGotoPtr(ctx: GenContext, target: number): void {
  const a = ctx.asm;
  ctx.storePcReg(target);
  if (!ctx.opts.chaining) {
    exitTb(ctx, undefined);
    return;
  }
  ctx.withRegion(REGION.chain, () => {
    ctx.callHelper(ctx.opts.helpers.lookupTbPtr, [target], true);
    a.jr(REG.v0);
    a.nop(); // delay slot
  });
}

/** Two exits (gen_jcc's shape): `ifNonZero` when register `r` is non-zero, else `ifZero`. */
export function exitsOn(ctx: GenContext, r: number, ifNonZero: () => void, ifZero: () => void): void {
  const a = ctx.asm;
  const nonZero = a.newLabel();
  a.bne(r, REG.zero, nonZero);
  a.nop(); // delay slot
  ifZero();
  a.bind(nonZero);
  ifNonZero();
}

/**
 * Leaves for the pc a helper wrote into env: by goto_tb exit 0 when it is `expected`, the place
 * the translator foresaw, else by exitTb; without chaining (or a foreseen place) by exitTb alone.
 */
export function gotoTbIfPc(ctx: GenContext, expected: number | undefined): void {
  if (expected === undefined || !ctx.opts.chaining) {
    exitTb(ctx, undefined);
    return;
  }
  const a = ctx.asm;
  const pc = ctx.tmp();
  if (ctx.mode64) a.ld(pc, ENV.eip, ENV_REG);
  else a.lw(pc, ENV.eip, ENV_REG);
  a.xor(pc, pc, ctx.addressReg(expected));
  exitsOn(ctx, pc, () => exitTb(ctx, undefined), () => gotoTb(ctx, 0, expected));
}
