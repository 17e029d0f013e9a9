// Alignment checking (EFLAGS.AC set by popf or iret, CR0.AM on as Linux keeps it): unaligned integer,
// MMX/SSE, x87 (the fnstenv/fnsave areas at their operand size), fxsave (#AC, then its #GP), string,
// stack and read-modify-write accesses at offsets 0..15 are #AC (SIGBUS BUS_ADRALN, no address,
// trapno 17) where the CPU gives it, the handler running with AC still set.
// The probe's output in both runtimes must be Linux i386's byte for byte.
import { testI386Probe } from './probe-program';

// MMX, SSE2 and x87 operands too: a CPU model with SSE2
testI386Probe('alignment-check', 'alignment checking with EFLAGS.AC', 35, 'max');
