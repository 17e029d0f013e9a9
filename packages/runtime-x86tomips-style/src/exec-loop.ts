/**
 * X86toMips's scheme: translate one TB, execute one TB. Every TB exit returns here (no
 * chaining), so each TB costs a code-cache entry and a context switch; system calls run
 * inside TBs (see syscall-strategy.ts and interpret-int.ts), so only faults, exceptions and
 * a system call that blocks or switches guests unwind. Returns when the OS requests it.
 */
import * as core from '@dbtlab/dbt-core';
import { CpuLoopExit, cpuHandleFault, cpuHandleTrap, type Dbt, type TranslationBlock } from '@dbtlab/dbt-core';

// module-level copies: each call through a CommonJS re-export is a getter call (once per TB entry here)
const { cpuTbExec, exitSlot, exitTb, tbAddJump, tbFind } = core;

export function execLoop(dbt: Dbt): void {
  let last: TranslationBlock | undefined, slot = 0;
  // only the `chain` ablation links TBs; X86toMips itself never does (nor looks at the exit)
  const chaining = dbt.config.chaining;
  while (!dbt.exitRequest) {
    try {
      const tb = tbFind(dbt, dbt.cpu.eip);
      if (!chaining) {
        cpuTbExec(dbt, tb);
        continue;
      }
      if (last) tbAddJump(dbt, last, slot, tb);
      const exit = cpuTbExec(dbt, tb);
      last = exitTb(dbt, exit);
      slot = exitSlot(exit);
    } catch (e) {
      last = undefined;
      if (e instanceof CpuLoopExit) cpuHandleTrap(dbt, e.excp);
      else cpuHandleFault(dbt, e);
    }
  }
  dbt.exitRequest = false;
}
