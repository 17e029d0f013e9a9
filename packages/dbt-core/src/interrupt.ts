/**
 * Asynchronous events (timers that expire, signals sent from outside) reach the guest at a
 * TB boundary, as in QEMU: cpu_exit sets exit_request, the next TB's prologue sees it and
 * leaves to cpu_exec, and the cpu loop delivers the pending signals. Here the machine makes
 * the check where a TB starts (MipsMachine.interruptAt, no host instruction executed), so
 * counts do not change unless a signal is actually delivered.
 *
 * The OS provides the three optional GuestOs methods interruptCheckAt, interruptPending and
 * deliverPendingSignals; cpuDoSyscall re-arms the check after every system call.
 */
import { CpuLoopExit, EXCP } from './exceptions';
import type { Dbt } from './dbt';
import { tbFindByHostPc } from './tb-lookup';
import { cpuRestoreState } from './translate-all';

/** Makes the machine call the OS's interrupt check where TBs start (the Dbt constructor does, when the OS has one). */
export function installInterrupts(dbt: Dbt): void {
  const os = dbt.os;
  if (!os.interruptCheckAt) return;
  const m = dbt.machine;
  m.onInterrupt = (hostPc) => {
    m.interruptAt = Infinity;
    if (!os.interruptPending!()) {
      rearmInterrupts(dbt);
      return;
    }
    // at a TB's first word: the guest state is the TB's entry state, held in host registers
    const tb = tbFindByHostPc(dbt, hostPc);
    if (tb) cpuRestoreState(dbt, tb, hostPc);
    dbt.stats.unwinds++;
    os.deliverPendingSignals!();
    rearmInterrupts(dbt);
    throw new CpuLoopExit(EXCP.INTERRUPT);
  };
}

/** Asks the OS when to look next (after anything that may arm a timer: every system call). */
export function rearmInterrupts(dbt: Dbt): void {
  const m = dbt.machine;
  if (dbt.os.interruptCheckAt) m.interruptAt = dbt.os.interruptCheckAt(m.counters.insns);
}
