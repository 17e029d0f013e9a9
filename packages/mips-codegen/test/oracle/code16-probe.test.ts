// Code segments other than the flat 32-bit one (modify_ldt's 16-bit code segment, a based 32-bit one,
// a 16-bit data segment): far call/jmp/ret between them and flat code, 16-bit operand and address
// size by default (66/67 for 32-bit), near branches that keep IP to 16 bits (also 66-prefixed ones in
// flat code), faults and traps inside the 16-bit segment and sigreturn back into it; a 32-bit code
// segment whose limit cuts its code (#GP at the first instruction not wholly within). The probe's
// output in both runtimes must be Linux i386's (natively or in the kernel VM) byte for byte.
import { testI386Probe } from './probe-program';

testI386Probe('code16-probe', '16-bit and based code segments and a code segment limit', 28);
