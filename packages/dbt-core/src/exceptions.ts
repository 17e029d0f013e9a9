/**
 * The only unwind out of translated code (QEMU's cpu-exec-common.c, cpu_loop_exit):
 * a helper throws CpuLoopExit, the machine lets it through run(), and each runtime catches
 * it in exactly one place, its exec loop.
 */
export { EXCP } from '@dbtlab/mips-codegen';

export class CpuLoopExit extends Error {
  constructor(readonly excp: number) {
    super(`cpu_loop_exit(${excp})`);
    this.name = 'CpuLoopExit';
  }
}

/** A guest fault the runtime turns into a signal (SIGSEGV for memory, with the address). */
export class GuestFault extends Error {
  constructor(
    readonly signal: number,
    readonly addr: number,
    readonly code: number,
    message: string,
    /** A page fault's error code (sigcontext err): P, W/R, U, I. */
    readonly err?: number,
  ) {
    super(message);
    this.name = 'GuestFault';
  }
}

/**
 * A user-mode page fault's error code (sigcontext err): U (4), | P (1) when the page was present,
 * | W (2) for a write, | I (0x10) for an instruction fetch (the CPU runs with NX).
 */
export const pageFaultError = (present: boolean, write: boolean, fetch: boolean): number => 4 | (present ? 1 : 0) | (write ? 2 : 0) | (fetch ? 0x10 : 0);

export const SIGILL = 4;
export const SIGTRAP = 5;
export const SIGBUS = 7;
export const SIGFPE = 8;
export const SIGSEGV = 11;
/** si_code values for the synchronous faults. */
export const SEGV_MAPERR = 1;
export const SEGV_ACCERR = 2;
export const BUS_ADRALN = 1;
export const BUS_ADRERR = 2;
export const FPE_INTDIV = 1;
export const FPE_FLTDIV = 3;
export const FPE_FLTOVF = 4;
export const FPE_FLTUND = 5;
export const FPE_FLTRES = 6;
export const FPE_FLTINV = 7;
export const ILL_ILLOPN = 2;
export const SI_KERNEL = 0x80;
export const TRAP_BRKPT = 1;
export const TRAP_TRACE = 2;
