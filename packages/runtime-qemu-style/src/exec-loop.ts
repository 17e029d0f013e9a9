/**
 * QEMU's scheme (accel/tcg/cpu-exec.c + linux-user/i386/cpu_loop.c):
 *
 *   cpuLoop: forever { trapnr = cpuExec(); handle trapnr (system call -> do_syscall) }
 *   cpuExec: forever { tb = tbFind(eip); chain the previous TB's exit to it; run it }
 *            until a helper unwinds (cpu_loop_exit) with an exception number.
 *
 * Chained TBs jump to each other inside the code cache: one entry runs many TBs.
 * Both loops return when the OS requests it (dbt.exitRequest: the guest thread blocked,
 * exited or yielded to another guest).
 */
import * as core from '@dbtlab/dbt-core';
import { CpuLoopExit, cpuHandleFault, cpuHandleTrap, EXCP, type Dbt, type TranslationBlock } from '@dbtlab/dbt-core';

// module-level copies: each call through a CommonJS re-export is a getter call (once per TB entry here)
const { cpuTbExec, exitSlot, exitTb, tbAddJump, tbFind } = core;

export function cpuExec(dbt: Dbt): number {
  let last: TranslationBlock | undefined, slot = 0;
  try {
    while (!dbt.exitRequest) {
      const tb = tbFind(dbt, dbt.cpu.eip);
      if (last && dbt.config.chaining) tbAddJump(dbt, last, slot, tb);
      const exit = cpuTbExec(dbt, tb);
      last = exitTb(dbt, exit);
      slot = exitSlot(exit);
    }
    return EXCP.INTERRUPT;
  } catch (e) {
    if (e instanceof CpuLoopExit) return e.excp;
    throw e;
  }
}

export function cpuLoop(dbt: Dbt): void {
  while (!dbt.exitRequest) {
    try {
      const trapnr = cpuExec(dbt);
      cpuHandleTrap(dbt, trapnr);
    } catch (e) {
      cpuHandleFault(dbt, e);
    }
  }
  dbt.exitRequest = false;
}
