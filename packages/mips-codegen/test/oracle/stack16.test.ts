// A 16-bit stack segment (B clear) in %ss: implicit stack accesses address SP, which wraps between 0
// and 0xffff, and update only SP (ESP's upper half stays): push/pop (registers, immediates, memory,
// 16 and 32 bits), call/ret and ret $n, enter (nesting levels, 16-bit form) and leave, pushf/popf,
// pusha/popa (slots wrapping mid-way), lcall/lret $n. The probe's output in both runtimes must be
// Linux i386's byte for byte.
import { testI386Probe } from './probe-program';

testI386Probe('stack16', 'a 16-bit stack segment: SP wraps', 46);
