// Under a 16-bit stack segment in %ss: pushes and pops whose operand wraps past SP 0xffff are #SS
// (SIGBUS) before any write, and a signal's frame goes at the full 32-bit ESP (a child whose full
// ESP is unmapped dies of SIGSEGV). The probe's output in both runtimes must be Linux i386's byte for byte.
import { testI386Probe } from './probe-program';

testI386Probe('stack16-faults', 'faults and signals under a 16-bit stack segment', 17);
