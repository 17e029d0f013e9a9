// Data segment limits and types (modify_ldt's expand-up, expand-down, read-only and page-granular
// segments, a limited %ss): accesses within, at and across the limit (multi-byte operands, MMX/SSE/x87,
// read-modify-write, push/pop of memory), string instructions stopping mid-way, pushes, pops, enter
// and pusha against a limited stack segment: #GP is SIGSEGV and #SS SIGBUS (si_code SI_KERNEL, no
// address), precise. The x87/SSE helpers' stores and areas (fstpt, fbstp, fist*, fnstcw/sw,
// fnstenv/fnsave and their 16-bit forms, fxsave, stmxcsr), movups/movss/movq stores and maskmovq/maskmovdqu
// (the implicit %edi, any mask, even zero): their whole
// operand against the limit, a read-only segment refusing them; bt/bts/btr with a register bit
// offset: the dword or word the offset reaches. Null selectors (0..3) in %ds/%es/%fs/%gs: every access form through them is
// #GP, loading one is not; cases in fresh processes (the probe re-executed) for the first block that
// meets one: exec's null %fs, a null or limited segment loaded and used in one block. The probe's
// output in both runtimes must be Linux i386's byte for byte.
import { testI386Probe } from './probe-program';

// MMX, SSE2 and x87 operands too: a CPU model with SSE2
testI386Probe('segment-limits', 'data segment limits, expand-down and read-only segments', 451, 'max');
