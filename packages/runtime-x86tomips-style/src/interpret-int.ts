/**
 * X86toMips's interpret_int, the helper the inline system call calls from inside a TB:
 * the guest context is already saved to env; the system call runs; the TB goes on unless
 * something made that impossible, in which case the helper unwinds to the exec loop:
 *   - a signal handler or sigreturn moved eip (not after 32-bit code's `syscall`, whose TB
 *     leaves for env's eip anyway: it returns to the vDSO's landing pad);
 *   - the OS asked the loop to return (the thread blocked in the system call, exited or
 *     yielded to another guest): the rest of this TB is abandoned and the thread resumes,
 *     when the OS schedules it again, at a TB starting after the int $0x80
 *     (counted as syscall_switch_unwinds).
 * A system call that rewrote the running TB's own guest code lets the stale host code go
 * on (counted as stale_tb_executions): the talk's point.
 */
import { REG, type MipsMachine } from '@dbtlab/mips-host';
import { cpuDoSyscall, CpuLoopExit, EXCP, tbFindByHostPc, tbIsInvalid, type Dbt } from '@dbtlab/dbt-core';

export function interpretInt(dbt: Dbt, mm: MipsMachine): void {
  const cpu = dbt.cpu;
  const vector = mm.getReg32(REG.a0) >>> 0;
  if (vector !== 0x80 && vector !== EXCP.SYSCALL) throw new Error(`interpret_int: vector ${vector}`);
  // which TB called us: the one holding the jalr (ra - 8)
  const tb = tbFindByHostPc(dbt, mm.getRegNumber(REG.ra) - 8);
  dbt.stats.context_saves++;
  dbt.stats.context_restores++;
  dbt.trace({ kind: 'context-save', pc: cpu.eip, hostInsns: mm.counters.insns });
  dbt.trace({ kind: 'helper-call', detail: 'interpret_int', hostInsns: mm.counters.insns });
  const next = cpu.eip;
  const fast32 = vector === EXCP.SYSCALL && dbt.mode === 32;
  cpuDoSyscall(dbt, vector === 0x80);
  if ((cpu.eip !== next && !fast32) || dbt.exitRequest) {
    dbt.stats.unwinds++;
    if (cpu.eip === next) dbt.stats.syscall_switch_unwinds++;
    throw new CpuLoopExit(EXCP.INTERRUPT);
  }
  dbt.trace({ kind: 'context-restore', pc: cpu.eip, hostInsns: mm.counters.insns });
  if (tb && tbIsInvalid(dbt, tb)) dbt.stats.stale_tb_executions++;
}

/** The helpers this scheme adds to every engine it runs. */
export function registerSchemeHelpers(dbt: Dbt): { interpretInt: number } {
  return { interpretInt: dbt.machine.registerHelper('interpret_int', (mm) => interpretInt(dbt, mm)) };
}
