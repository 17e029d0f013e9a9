/**
 * What a runtime is (the part the talk compares) and the one trap switch both share
 * (linux-user/i386/cpu_loop.c): after the exec loop returns an exception number, perform the
 * system call or turn the exception into the signal Linux would send.
 */
import { GuestCodeFault, type SyscallStrategy } from '@dbtlab/mips-codegen';
import type { TranslationBlock } from './tb';
import { tbLookup } from './tb-lookup';
import { tbGenCode } from './translate-all';
import type { Dbt } from './dbt';
import { EXCP, GuestFault, SEGV_MAPERR } from './exceptions';
import { FPE_INTDIV, ILL_ILLOPN, SI_KERNEL, SIGFPE, SIGILL, SIGSEGV, SIGTRAP } from './exceptions';

/** The OS layer as the exec loops see it (linux-user implements it). */
export interface GuestOs {
  /** i386 system call from env (eax = number; ebx.. = arguments); result in eax. */
  doSyscall(): void;
  /** Delivers a synchronous signal: to the guest handler, or ends the run (throws). */
  deliverSignal(sig: number, info: { code: number; addr?: number }): void;
}

export interface RuntimeScheme {
  readonly name: string;
  /** Configuration label for reports (ablations), e.g. 'default', 'no-chain'. */
  readonly config: string;
  readonly chaining: boolean;
  readonly syscall: SyscallStrategy;
  /** Runs the guest until the OS layer ends it (it throws the guest's exit). */
  cpuLoop(dbt: Dbt, os: GuestOs): void;
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
export function cpuHandleFault(os: GuestOs, e: unknown): void {
  if (e instanceof GuestFault) os.deliverSignal(e.signal, { code: e.code, addr: e.addr });
  else if (e instanceof GuestCodeFault) os.deliverSignal(SIGSEGV, { code: SEGV_MAPERR, addr: e.addr });
  else throw e;
}

/** The trap switch: one case per exception number. */
export function cpuHandleTrap(dbt: Dbt, os: GuestOs, excp: number): void {
  const cpu = dbt.cpu;
  switch (excp) {
    case EXCP.INTERRUPT:
      break;
    case EXCP.SYSCALL:
      cpu.eip = cpu.exceptionNext;
      dbt.trace({ kind: 'syscall', pc: cpu.eip, hostInsns: dbt.machine.counters.insns });
      os.doSyscall();
      break;
    case EXCP.DIVZ:
      os.deliverSignal(SIGFPE, { code: FPE_INTDIV, addr: cpu.eip });
      break;
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
    case EXCP.GPF:
    default:
      os.deliverSignal(SIGSEGV, { code: SI_KERNEL, addr: 0 });
      break;
  }
}
