/**
 * QEMU's scheme (accel/tcg/cpu-exec.c + linux-user/i386/cpu_loop.c):
 *
 *   cpuLoop: forever { trapnr = cpuExec(); handle trapnr (system call -> do_syscall) }
 *   cpuExec: forever { tb = tbFind(eip); chain the previous TB's exit to it; run it }
 *            until a helper unwinds (cpu_loop_exit) with an exception number.
 *
 * Chained TBs jump to each other inside the code cache: one entry runs many TBs.
 */
import {
  CpuLoopExit,
  cpuHandleFault,
  cpuHandleTrap,
  cpuTbExec,
  tbAddJump,
  tbFind,
  type Dbt,
  type GuestOs,
  type TbExit,
} from '@dbtlab/dbt-core';

export function cpuExec(dbt: Dbt): number {
  let last: TbExit = { last: undefined, slot: -1 };
  try {
    for (;;) {
      const tb = tbFind(dbt, dbt.cpu.eip);
      if (last.last && dbt.config.chaining) tbAddJump(dbt, last.last, last.slot, tb);
      last = cpuTbExec(dbt, tb);
    }
  } catch (e) {
    if (e instanceof CpuLoopExit) return e.excp;
    throw e;
  }
}

export function cpuLoop(dbt: Dbt, os: GuestOs): void {
  for (;;) {
    try {
      const trapnr = cpuExec(dbt);
      cpuHandleTrap(dbt, os, trapnr);
    } catch (e) {
      cpuHandleFault(os, e);
    }
  }
}
