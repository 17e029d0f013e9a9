/**
 * X86toMips's scheme: translate one TB, execute one TB. Every TB exit returns here (no
 * chaining), so each TB costs a code-cache entry and a context switch; system calls run
 * inside TBs (see syscall-strategy.ts), so only faults and exceptions unwind.
 */
import {
  CpuLoopExit,
  cpuHandleFault,
  cpuHandleTrap,
  cpuTbExec,
  tbFind,
  type Dbt,
  type GuestOs,
} from '@dbtlab/dbt-core';

export function execLoop(dbt: Dbt, os: GuestOs): void {
  for (;;) {
    try {
      cpuTbExec(dbt, tbFind(dbt, dbt.cpu.eip));
    } catch (e) {
      if (e instanceof CpuLoopExit) cpuHandleTrap(dbt, os, e.excp);
      else cpuHandleFault(os, e);
    }
  }
}
