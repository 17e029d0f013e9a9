/**
 * What a runtime is (the part the talk compares) and the one trap switch both share
 * (linux-user/i386/cpu_loop.c): after the exec loop returns an exception number, perform the
 * system call or turn the exception into the signal Linux would send.
 */
import { GuestCodeFault, type HelperAddrs, type SyscallStrategy } from '@dbtlab/mips-codegen';
import type { TranslationBlock } from './tb';
import { tbLookup } from './tb-lookup';
import { tbGenCode } from './translate-all';
import { Dbt, type DbtConfig } from './dbt';
import type { GuestOs } from './guest-os';
import { rearmInterrupts } from './interrupt';
import { EXCP, GuestFault, SEGV_ACCERR, SEGV_MAPERR } from './exceptions';
import { FPE_INTDIV, ILL_ILLOPN, SI_KERNEL, SIGBUS, SIGFPE, SIGILL, SIGSEGV, SIGTRAP, TRAP_BRKPT } from './exceptions';

export interface RuntimeScheme {
  readonly name: string;
  /** Configuration label for reports (ablations), e.g. 'default', 'no-chain'. */
  readonly config: string;
  readonly chaining: boolean;
  readonly syscall: SyscallStrategy;
  /** Helpers the scheme's own translation calls, registered on every engine it runs. */
  readonly schemeHelpers?: (dbt: Dbt) => Partial<HelperAddrs>;
  /**
   * Runs the guest thread in env until the OS requests an exit (dbt.exitRequest, then
   * cleared) or ends the guest (it throws the guest's exit).
   */
  cpuLoop(dbt: Dbt): void;
}

/** A Dbt that runs `scheme` over the guest OS `os` (one per guest address space). */
export function createDbt(scheme: RuntimeScheme, os: GuestOs, opts: Pick<DbtConfig, 'guest' | 'trace' | 'traceSink' | 'maxInsns' | 'cpu' | 'mode'> = {}): Dbt {
  return new Dbt({ ...opts, runtime: scheme.name, chaining: scheme.chaining, syscall: scheme.syscall, schemeHelpers: scheme.schemeHelpers, os });
}

/** The TB for pc: from the TB cache, else translated (QEMU's tb_find). */
export function tbFind(dbt: Dbt, pc: number): TranslationBlock {
  if (dbt.cflagsNextTb === 0) {
    const tb = tbLookup(dbt, pc);
    if (tb) return tb;
  }
  dbt.trace({ kind: 'lookup-miss', pc, hostInsns: dbt.machine.counters.insns });
  return tbGenCode(dbt, pc);
}

/** Guest faults raised while translating or running code become signals. */
export function cpuHandleFault(dbt: Dbt, e: unknown): void {
  const os = dbt.os;
  if (e instanceof GuestFault) os.deliverSignal(e.signal, { code: e.code, addr: e.addr });
  // a mapped page without PROT_EXEC is an access error, as the page fault's protection bit says
  else if (e instanceof GuestCodeFault) os.deliverSignal(SIGSEGV, { code: dbt.guest.isMapped(e.addr) ? SEGV_ACCERR : SEGV_MAPERR, addr: e.addr });
  else throw e;
}

/** The system call in env, as both schemes perform it (counted here, performed by the OS). */
export function cpuDoSyscall(dbt: Dbt): void {
  dbt.stats.syscalls++;
  dbt.trace({ kind: 'syscall', pc: dbt.cpu.eip, hostInsns: dbt.machine.counters.insns });
  dbt.os.doSyscall();
  // the call may have armed a timer or taken a signal's block away
  rearmInterrupts(dbt);
}

/** The trap switch: one case per exception number. */
export function cpuHandleTrap(dbt: Dbt, excp: number): void {
  const cpu = dbt.cpu;
  const os = dbt.os;
  switch (excp) {
    case EXCP.INTERRUPT:
      break;
    case EXCP.SYSCALL:
      cpu.eip = cpu.exceptionNext;
      cpuDoSyscall(dbt);
      break;
    case EXCP.DIVZ:
      os.deliverSignal(SIGFPE, { code: FPE_INTDIV, addr: cpu.eip });
      break;
    case EXCP.XM:
    case EXCP.MF:
      os.deliverSignal(SIGFPE, { code: dbt.fpeCode, addr: cpu.eip });
      break;
    case EXCP.ILLOP:
      os.deliverSignal(SIGILL, { code: ILL_ILLOPN, addr: cpu.eip });
      break;
    case EXCP.INT3:
      cpu.eip = cpu.exceptionNext;
      os.deliverSignal(SIGTRAP, { code: SI_KERNEL, addr: 0 });
      break;
    case EXCP.DEBUG:
      // int1: a trap (eip after it); Linux's exc_debug_user reports it as a breakpoint at eip
      cpu.eip = cpu.exceptionNext;
      os.deliverSignal(SIGTRAP, { code: TRAP_BRKPT, addr: cpu.eip });
      break;
    case EXCP.NOSEG:
      os.deliverSignal(SIGBUS, { code: SI_KERNEL, addr: 0 });
      break;
    case EXCP.INTO:
      // #OF is a trap: into and int $4 leave eip after themselves
      cpu.eip = cpu.exceptionNext;
      os.deliverSignal(SIGSEGV, { code: SI_KERNEL, addr: 0 });
      break;
    case EXCP.GPF:
    default:
      os.deliverSignal(SIGSEGV, { code: SI_KERNEL, addr: 0 });
      break;
  }
}
