/**
 * What a runtime is (the part the talk compares) and the one trap switch both share
 * (linux-user/i386/cpu_loop.c): after the exec loop returns an exception number, perform the
 * system call or turn the exception into the signal Linux would send.
 */
import { GuestCodeFault, type HelperAddrs, type SyscallStrategy } from '@dbtlab/mips-codegen';
import type { TranslationBlock } from './tb';
import { tbLookup } from './tb-lookup';
import { tbGenCode } from './translate-all';
import { tbFlush } from './tb-maint';
import * as x86 from '@dbtlab/x86-frontend';
import { Dbt, type DbtConfig } from './dbt';
import type { GuestOs } from './guest-os';
import { rearmInterrupts } from './interrupt';
import { PROT_NONE } from '@dbtlab/mips-host';
import { EXCP, GuestFault, pageFaultError, SEGV_ACCERR, SEGV_MAPERR } from './exceptions';
import { BUS_ADRALN, FPE_INTDIV, ILL_ILLOPN, SI_KERNEL, SIGBUS, SIGFPE, SIGILL, SIGSEGV, SIGTRAP, TRAP_BRKPT, TRAP_TRACE } from './exceptions';

// module-level copies: each read through a CommonJS re-export is a getter call, and tbFind runs
// once per code-cache entry (every TB, in the x86tomips-style scheme)
const { AC, R_CS, SEG_CODE, SEG_DATA, TF } = x86;

export interface RuntimeScheme {
  readonly name: string;
  /** Configuration label for reports (ablations), e.g. 'default', 'no-chain'. */
  readonly config: string;
  readonly chaining: boolean;
  readonly syscall: SyscallStrategy;
  /** Helpers the scheme's own translation calls, registered on every engine it runs. */
  readonly schemeHelpers?: (dbt: Dbt) => Partial<HelperAddrs>;
  /** What the scheme does to the engine when its process starts a second thread (once per process). */
  readonly onFirstThread?: (dbt: Dbt) => void;
  /**
   * Runs the guest thread in env until the OS requests an exit (dbt.exitRequest, then
   * cleared) or ends the guest (it throws the guest's exit).
   */
  cpuLoop(dbt: Dbt): void;
}

/** A Dbt that runs `scheme` over the guest OS `os` (one per guest address space). */
export function createDbt(scheme: RuntimeScheme, os: GuestOs, opts: Pick<DbtConfig, 'guest' | 'trace' | 'traceSink' | 'maxInsns' | 'cpu' | 'mode' | 'translations'> = {}): Dbt {
  return new Dbt({ ...opts, runtime: scheme.name, chaining: scheme.chaining, syscall: scheme.syscall, schemeHelpers: scheme.schemeHelpers, os });
}

/**
 * Flat TBs add no base for %es, %ss and %ds. Once one of them has a base (a segment load, which
 * ends its TB with an exit to the loop, or a sigreturn), every TB is flushed and the rest are
 * translated adding every base: QEMU's HF_ADDSEG, as a mode the process keeps rather than a TB
 * flag (a program that loads a based data segment seldom goes back). A %cs other than the flat
 * 32-bit one (a far transfer's load_seg, a sigreturn) makes lookups compare code segments.
 * A segment that is not flat (a limit, expand-down, read-only), or a null one a TB accesses through,
 * flushes every TB once too: the rest check their data accesses (Dbt.segmentLimits).
 */
function segmentedCheck(dbt: Dbt): void {
  const s = dbt.cpu.segmentState();
  if (s === 0) return;
  if (s & SEG_CODE) dbt.codeSegments = true;
  if (dbt.segmentChecksPending) dbt.segmentChecksPending = false;
  // a limited, expand-down or read-only segment, or a used null one: every TB checks its data accesses from then on
  // (i386 starts with null %fs/%gs: every entry comes here)
  if (dbt.segmentChecksNeededIn(s)) {
    dbt.segmentLimits = true;
    tbFlush(dbt);
  }
  if (s & SEG_DATA && !dbt.segmented) {
    dbt.segmented = true;
    tbFlush(dbt);
  }
}

/** The TB for pc: from the TB cache, else translated (QEMU's tb_find). */
export function tbFind(dbt: Dbt, pc: number): TranslationBlock {
  if (dbt.mode === 32 && !(dbt.segmented && dbt.codeSegments && dbt.segmentLimits)) segmentedCheck(dbt);
  // TF: one instruction per TB, out of the caches, trapping after it (cpuTbExec)
  const rest = dbt.cpu.eflagsRest;
  dbt.singleStep = (rest & TF) !== 0;
  // AC: lookups match it from now on (TBs made with it check alignment)
  if (rest & AC) dbt.alignChecks = true;
  if (dbt.singleStep) dbt.cflagsNextTb = 1;
  if (dbt.cflagsNextTb === 0) {
    const tb = tbLookup(dbt, pc);
    if (tb) return tb;
  }
  dbt.trace({ kind: 'lookup-miss', pc, hostInsns: dbt.machine.counters.insns });
  const tb = tbGenCode(dbt, pc);
  if (!dbt.segmentChecksNeeded()) return tb;
  // its accesses go through a segment register holding a null selector: the checks go on first
  dbt.segmentLimits = true;
  tbFlush(dbt);
  return tbGenCode(dbt, pc);
}

/** Guest faults raised while translating or running code become signals. */
export function cpuHandleFault(dbt: Dbt, e: unknown): void {
  const os = dbt.os;
  if (e instanceof GuestFault) os.deliverSignal(e.signal, { code: e.code, addr: e.addr, err: e.err });
  else if (e instanceof GuestCodeFault && dbt.mode === 32 && ((e.addr - dbt.cpu.segBase(R_CS)) >>> 0) > dbt.cpu.segBounds(R_CS).hi) {
    // an instruction past a limited %cs's limit (i386): #GP at it, before any page fault
    os.deliverSignal(SIGSEGV, { code: SI_KERNEL, addr: 0, trapno: EXCP.GPF, err: 0 });
  } else if (e instanceof GuestCodeFault) {
    // a mapped page without PROT_EXEC is an access error, as the page fault's protection bit says;
    // an instruction fetch finds every mapped page but a PROT_NONE one present (measured natively)
    const prot = dbt.guest.prot(e.addr);
    const err = pageFaultError(prot !== undefined && prot !== PROT_NONE, false, true);
    os.deliverSignal(SIGSEGV, { code: prot !== undefined ? SEGV_ACCERR : SEGV_MAPERR, addr: e.addr, err });
  } else throw e;
}

/** The system call in env, as both schemes perform it (counted here, performed by the OS). */
export function cpuDoSyscall(dbt: Dbt, int80: boolean): void {
  dbt.stats.syscalls++;
  dbt.singleStep = false;
  dbt.trace({ kind: 'syscall', pc: dbt.cpu.eip, hostInsns: dbt.machine.counters.insns });
  dbt.os.doSyscall(int80);
  // the call may have armed a timer or taken a signal's block away
  rearmInterrupts(dbt);
}

/**
 * The trap switch: one case per exception number. The exception's vector and error code reach
 * sigcontext's trapno and err, as Linux records them (thread.trap_nr, thread.error_code).
 */
export function cpuHandleTrap(dbt: Dbt, excp: number): void {
  const cpu = dbt.cpu;
  const os = dbt.os;
  const err = dbt.errorCode;
  dbt.errorCode = 0;
  const deliver = (sig: number, code: number, addr: number, trapno = excp): void => os.deliverSignal(sig, { code, addr, trapno, err });
  switch (excp) {
    case EXCP.INTERRUPT:
      break;
    case EXCP.SYSCALL:
      cpu.eip = cpu.exceptionNext;
      cpuDoSyscall(dbt, dbt.syscallInt80);
      break;
    case EXCP.DIVZ:
      deliver(SIGFPE, FPE_INTDIV, cpu.eip);
      break;
    case EXCP.XM:
    case EXCP.MF:
      deliver(SIGFPE, dbt.fpeCode, cpu.eip);
      break;
    case EXCP.ILLOP:
      deliver(SIGILL, ILL_ILLOPN, cpu.eip);
      break;
    case EXCP.INT3:
      cpu.eip = cpu.exceptionNext;
      deliver(SIGTRAP, SI_KERNEL, 0);
      break;
    case EXCP.SINGLE_STEP:
      // a trap: eip is the next instruction's, as si_addr (measured natively)
      deliver(SIGTRAP, TRAP_TRACE, cpu.eip, EXCP.DEBUG);
      break;
    case EXCP.DEBUG:
      // int1: a trap (eip after it); Linux's exc_debug_user reports it as a breakpoint at eip
      cpu.eip = cpu.exceptionNext;
      deliver(SIGTRAP, TRAP_BRKPT, cpu.eip);
      break;
    case EXCP.NOSEG:
      deliver(SIGBUS, SI_KERNEL, 0);
      break;
    case EXCP.INTO:
      // #OF is a trap: into and int $4 leave eip after themselves
      cpu.eip = cpu.exceptionNext;
      deliver(SIGSEGV, SI_KERNEL, 0);
      break;
    case EXCP.STACK:
      // #SS: Linux's do_stack_segment gives SIGBUS without an address (measured natively)
      deliver(SIGBUS, SI_KERNEL, 0);
      break;
    case EXCP.AC:
      // Linux's exc_alignment_check: SIGBUS BUS_ADRALN without an address (measured natively)
      deliver(SIGBUS, BUS_ADRALN, 0);
      break;
    case EXCP.BOUND:
      deliver(SIGSEGV, SI_KERNEL, 0);
      break;
    case EXCP.GPF:
    default:
      deliver(SIGSEGV, SI_KERNEL, 0, EXCP.GPF);
      break;
  }
}
