/**
 * The code every TB shares, placed once at the start of the code cache (QEMU's
 * tcg_target_qemu_prologue): the entry the exec loop calls with a0 = a TB's host code, and
 * the path back. Between them lies the context switch the talk measures:
 *
 *   entry:   save host callee-saved regs (prologue) -> load guest regs from env
 *            (context_restore) -> jr a0
 *   exit:    store guest regs to env (context_save) -> restore host regs, return v0 (epilogue)
 */
import { ENV_BASE, guestWindow, REG, REGION, Assembler } from '@dbtlab/mips-host';
import { ENV, envRegOffset } from '@dbtlab/x86-frontend';
import { TB_EXIT_NOCHAIN } from './gen-context';
import type { SharedCode } from './helpers';
import { CALLEE_SAVED, CC_DST_REG, CC_SRC2_REG, CC_SRC_REG, ENV_REG, GUEST_BASE_REG, GUEST_REG_HOST, GUEST_REG_HOST_64 } from './reg-map';

const FRAME = 8 * CALLEE_SAVED.length + 8; // 16-byte aligned

export interface SharedCodeBlock extends SharedCode {
  /** Address to run with a0 = the TB's host code (cpu_tb_exec's tcg_qemu_tb_exec). */
  entry: number;
  words: number[];
  regions: number[];
}

const CC_SLOTS = [
  [CC_SRC_REG, ENV.ccSrc],
  [CC_DST_REG, ENV.ccDst],
  [CC_SRC2_REG, ENV.ccSrc2],
] as const;

/** The shared code for an i386 guest (8 registers, lw/sw) or an x86-64 one (16, ld/sd). */
export function emitSharedCode(origin: number, mode: 32 | 64 = 32): SharedCodeBlock {
  const regs = mode === 64 ? GUEST_REG_HOST_64 : GUEST_REG_HOST;
  const load = (r: number) => (mode === 64 ? a.ld(regs[r], envRegOffset(r), ENV_REG) : a.lw(regs[r], envRegOffset(r), ENV_REG));
  const store = (r: number) => (mode === 64 ? a.sd(regs[r], envRegOffset(r), ENV_REG) : a.sw(regs[r], envRegOffset(r), ENV_REG));
  const a = new Assembler(origin);
  const entry = a.pc;
  a.region = REGION.prologue;
  a.daddiu(REG.sp, REG.sp, -FRAME);
  CALLEE_SAVED.forEach((r, i) => a.sd(r, 8 * i, REG.sp));
  a.li(ENV_REG, ENV_BASE);
  a.li(GUEST_BASE_REG, guestWindow(mode).base);
  a.region = REGION.context_restore;
  for (let r = 0; r < regs.length; r++) load(r);
  for (const [reg, off] of CC_SLOTS) a.ld(reg, off, ENV_REG);
  a.region = REGION.prologue;
  a.jr(REG.a0);
  a.nop(); // delay slot

  const epilogueWithSave = a.pc;
  a.region = REGION.context_save;
  for (let r = 0; r < regs.length; r++) store(r);
  for (const [reg, off] of CC_SLOTS) a.sd(reg, off, ENV_REG);
  a.region = REGION.epilogue;
  CALLEE_SAVED.forEach((r, i) => a.ld(r, 8 * i, REG.sp));
  a.jr(REG.ra);
  a.daddiu(REG.sp, REG.sp, FRAME); // delay slot

  const exitNoChain = a.pc;
  a.region = REGION.exit_stub;
  a.li(REG.v0, TB_EXIT_NOCHAIN);
  a.j(epilogueWithSave);
  a.nop(); // delay slot
  a.finish();
  return { entry, epilogueWithSave, exitNoChain, words: a.words, regions: a.regions };
}
