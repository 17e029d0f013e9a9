/** si_code values (include/uapi/asm-generic/siginfo.h) and the names strace prints for them. */
import { SIGBUS, SIGFPE, SIGILL, SIGSEGV, SIGTRAP } from './signal';

export const SI_KERNEL = 0x80;
export const SI_TIMER = -2;
export const SI_QUEUE = -1;
export const SI_MESGQ = -3;
export const SEGV_MAPERR = 1;
export const SEGV_ACCERR = 2;
export const BUS_ADRALN = 1;
export const FPE_INTDIV = 1;
export const FPE_INTOVF = 2;
export const ILL_ILLOPN = 2;
export const TRAP_BRKPT = 1;

/** si_code values shared by every signal. */
const GENERIC_CODES: Readonly<Record<number, string>> = { 0: 'SI_USER', 0x80: 'SI_KERNEL', [-1]: 'SI_QUEUE', [-2]: 'SI_TIMER', [-3]: 'SI_MESGQ', [-6]: 'SI_TKILL' };
/** Per-signal codes (positive values mean different things for each fault signal). */
const FAULT_CODES: Readonly<Record<number, readonly string[]>> = {
  [SIGSEGV]: ['', 'SEGV_MAPERR', 'SEGV_ACCERR', 'SEGV_BNDERR', 'SEGV_PKUERR'],
  [SIGBUS]: ['', 'BUS_ADRALN', 'BUS_ADRERR', 'BUS_OBJERR'],
  [SIGFPE]: ['', 'FPE_INTDIV', 'FPE_INTOVF', 'FPE_FLTDIV', 'FPE_FLTOVF', 'FPE_FLTUND', 'FPE_FLTRES', 'FPE_FLTINV', 'FPE_FLTSUB'],
  [SIGILL]: ['', 'ILL_ILLOPC', 'ILL_ILLOPN', 'ILL_ILLADR', 'ILL_ILLTRP', 'ILL_PRVOPC', 'ILL_PRVREG', 'ILL_COPROC', 'ILL_BADSTK'],
  [SIGTRAP]: ['', 'TRAP_BRKPT', 'TRAP_TRACE', 'TRAP_BRANCH', 'TRAP_HWBKPT'],
};

export function siCodeName(sig: number, code: number): string {
  return GENERIC_CODES[code] ?? (FAULT_CODES[sig]?.[code] || `${code}`);
}
/** SIGCHLD si_code: the child exited, a signal killed it (and it dumped core), stopped it, continued it. */
export const CLD_EXITED = 1;
export const CLD_KILLED = 2;
export const CLD_DUMPED = 3;
export const CLD_STOPPED = 5;
export const CLD_CONTINUED = 6;
