// maskmovq/maskmovdqu against page protection: the whole 8 or 16 bytes are checked for writing even
// under a zero mask, and a store reaching a read-only page writes nothing. The probe's output in both
// runtimes must be the CPU's (x86-64) and Linux i386's (i386) byte for byte.
import { testI386Probe, testX8664Probe } from './probe-program';

testI386Probe('maskmov-pages', 'maskmov against page protection (i386)', 37, 'max');
testX8664Probe('maskmov-pages', 'maskmov against page protection (x86-64)', 37);
