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

/**
 * TBs translated between two looks at asynchronous events that the translator asks for. The
 * look is due by executed host instructions (interruptCheckAt), and a phase that mostly
 * translates executes few of them: perl's start runs ~1 M host instructions a second (qemu-style,
 * loaded machine), so a signal from outside waited a second and more for the look; at ~1 ms a
 * TB, 64 of them bound the wait without touching the executed code.
 */
const TRANSLATIONS_PER_LOOK = 64;

/** After a translation: every TRANSLATIONS_PER_LOOK, the next TB start looks (the look changes no count). */
export function lookAfterTranslations(dbt: Dbt): void {
  if (++dbt.translationsSinceLook < TRANSLATIONS_PER_LOOK) return;
  dbt.translationsSinceLook = 0;
  if (dbt.machine.interruptAt !== Infinity) dbt.machine.interruptAt = 0;
}
