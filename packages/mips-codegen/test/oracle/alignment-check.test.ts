// Alignment checking (EFLAGS.AC set by popf or iret, CR0.AM on as Linux keeps it): unaligned integer,
// MMX/SSE, x87 (the fnstenv/fnsave areas at their operand size), fxsave (#AC, then its #GP), string,
// stack (push/pop/call/ret, memory operands too), maskmovq/maskmovdqu (at 8 bytes, both), far pointer
// (lfs) and read-modify-write accesses at offsets 0..15 are #AC (SIGBUS BUS_ADRALN, no address,
// trapno 17) where the CPU gives it, the handler running with AC still set; the aligned SSE forms
// give #GP, never #AC; the x86-64 build adds the 64-bit forms (cmpxchg16b: #GP, never #AC).
// The probe's output in both runtimes must be Linux i386's (the i386 build) and the CPU's (the x86-64
// build) byte for byte.
import { testI386Probe, testX8664Probe } from './probe-program';

// MMX, SSE2 and x87 operands too: a CPU model with SSE2
testI386Probe('alignment-check', 'alignment checking with EFLAGS.AC', 45, 'max');
testX8664Probe('alignment-check', 'alignment checking with EFLAGS.AC', 53, 'max');
