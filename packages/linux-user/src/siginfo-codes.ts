/** si_code values for the synchronous faults a runtime reports (include/uapi/asm-generic/siginfo.h). */
export const SI_KERNEL = 0x80;
export const SEGV_MAPERR = 1;
export const SEGV_ACCERR = 2;
export const BUS_ADRALN = 1;
export const FPE_INTDIV = 1;
export const FPE_INTOVF = 2;
export const ILL_ILLOPN = 2;
export const TRAP_BRKPT = 1;
