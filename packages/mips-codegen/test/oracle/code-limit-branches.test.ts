// Near branches against the code segment's limit: jmp/call/jcc/loop/jecxz/ret, direct (rel8, rel32,
// 66 rel16), indirect through a register or memory, ret $n and retw, to a target past a 32-bit
// segment's limit (#GP at the branch: call has not pushed, ret has not popped, loop's counter as it
// was), at the limit (#GP at the target) and within; the limit lowered again after a higher one.
// Far lcall/ljmp/lret to an offset past the new segment's limit: #GP at the transfer. 16-bit code
// segments over 64 and 128 KiB: IP wrapping at 0xffff for rel8/rel16 jumps, loop and call's return
// address; sequential execution and 66-prefixed rel32 branches past 0xffff (not wrapped). The probe's
// output in both runtimes must be Linux i386's byte for byte.
import { testI386Probe } from './probe-program';

testI386Probe('code-limit-branches', 'branches against the code segment limit, 16-bit IP wraps', 119);
