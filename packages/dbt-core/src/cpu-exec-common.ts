/**
 * cpuTbExec (QEMU's cpu_tb_exec): enter the code cache at one TB and run until translated
 * code returns to the loop, handling on the way the host faults that are not the guest's
 * business (SMC store faults). Everything else leaves as an exception: CpuLoopExit from a
 * helper (an unwind), GuestFault for a guest memory fault (state already precise in env).
 */
import { MachineFault, REG } from '@dbtlab/mips-host';
import { EXCP, TB_EXIT_NOCHAIN } from '@dbtlab/mips-codegen';
import type { Dbt } from './dbt';
import { BUS_ADRERR, CpuLoopExit, GuestFault, pageFaultError, SEGV_ACCERR, SEGV_MAPERR, SIGBUS, SIGSEGV } from './exceptions';
import { PAGE_UNPROTECT_RESTART, pageUnprotect } from './page-protect';
import type { TranslationBlock } from './tb';
import { tbFindByHostPc } from './tb-lookup';
import { cpuRestoreState } from './translate-all';

/**
 * cpuTbExec's result, as QEMU's cpu_tb_exec returns the last TB with its exit in the low bits:
 * the index in Dbt.tbs of the TB whose exit returned to the loop << 2 | its exit slot (0 or 1),
 * or NO_CHAIN. A small integer: no object per code-cache entry.
 */
export type TbExit = number;
export const NO_CHAIN: TbExit = -1;

/** The TB whose exit returned to the loop (look it up before anything may flush the TB cache). */
export const exitTb = (dbt: Dbt, exit: TbExit): TranslationBlock | undefined => (exit === NO_CHAIN ? undefined : dbt.tbs[exit >>> 2]);
/** Its exit slot. */
export const exitSlot = (exit: TbExit): number => exit & 3;

// module-level copies: every access through a CommonJS re-export is a getter call (hot path)
const { a0: REG_A0, v0: REG_V0, sp: REG_SP } = REG;
const EXIT_NOCHAIN = TB_EXIT_NOCHAIN;

export function cpuTbExec(dbt: Dbt, tb: TranslationBlock): TbExit {
  const m = dbt.machine;
  const c = m.counters;
  const startTbs = c.tbStarts;
  dbt.stats.code_cache_entries++;
  dbt.stats.context_restores++;
  dbt.currentTb = tb;
  // events only when tracing: this runs once per code-cache entry
  const tracing = dbt.config.trace === true;
  if (tracing) {
    dbt.trace({ kind: 'enter', pc: tb.pc, hostInsns: c.insns });
    dbt.trace({ kind: 'context-restore', pc: tb.pc, detail: 'prologue', hostInsns: c.insns });
  }
  let entry = dbt.shared.entry;
  m.setRegNumber(REG_A0, tb.hostAddr);
  // an unwind (helper exception, guest fault, SMC restart) leaves the prologue's frame on the
  // host stack: put the stack pointer back, as siglongjmp to cpu_exec's sigsetjmp does
  // (as its halves: a host address as a Number would be a HeapNumber per entry)
  const spLo = m.gprLo[REG_SP], spHi = m.gprHi[REG_SP];
  try {
    for (;;) {
      try {
        m.run(entry);
        break;
      } catch (e) {
        if (!(e instanceof MachineFault) || e.kind !== 'memory' || !e.memoryFault) throw e;
        const fault = e.memoryFault;
        if (fault.kind === 'smc') {
          if (pageUnprotect(dbt, fault.addr, e.hostPc) === PAGE_UNPROTECT_RESTART) return NO_CHAIN;
          entry = e.hostPc; // retry the store, as the host does after its SIGSEGV handler returns
          continue;
        }
        const faulting = tbFindByHostPc(dbt, e.hostPc);
        if (faulting) cpuRestoreState(dbt, faulting, e.hostPc);
        // i386: the address modulo 2^32; x86-64: the 47-bit address
        const guestAddr = dbt.guest.bits === 32 ? dbt.guest.guestAddress(fault.addr) >>> 0 : dbt.guest.guestAddress(fault.addr);
        if (fault.kind === 'bus') throw new GuestFault(SIGBUS, guestAddr, BUS_ADRERR, `guest ${fault.access} past the end of a shared object at 0x${guestAddr.toString(16)}`);
        throw new GuestFault(
          SIGSEGV,
          guestAddr,
          fault.kind === 'unmapped' ? SEGV_MAPERR : SEGV_ACCERR,
          `guest ${fault.access} fault at 0x${guestAddr.toString(16)} (eip 0x${dbt.cpu.eip.toString(16)})`,
          pageFaultError(fault.present, fault.access === 'write', false),
        );
      }
    }
  } finally {
    m.gprLo[REG_SP] = spLo;
    m.gprHi[REG_SP] = spHi;
    recordEntry(dbt, c.tbStarts - startTbs);
  }
  dbt.stats.context_saves++;
  const v = m.getReg32(REG_V0);
  if (tracing) {
    dbt.trace({ kind: 'context-save', pc: dbt.cpu.eip, detail: 'epilogue', hostInsns: c.insns });
    dbt.trace({ kind: 'exit', pc: dbt.cpu.eip, hostInsns: c.insns });
  }
  if (dbt.singleStep) {
    dbt.singleStep = false;
    throw new CpuLoopExit(EXCP.SINGLE_STEP);
  }
  const slot = v & 3;
  if (slot === EXIT_NOCHAIN || slot === 3) return NO_CHAIN;
  return v;
}

function recordEntry(dbt: Dbt, tbsRun: number): void {
  const small = dbt.entriesByTbs;
  if (tbsRun < small.length) {
    small[tbsRun]++;
    return;
  }
  // a number key is the same property as its decimal string, without a string per entry
  const h = dbt.stats.tbs_per_entry as Record<number, number>;
  h[tbsRun] = (h[tbsRun] ?? 0) + 1;
}
