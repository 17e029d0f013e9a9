/**
 * QEMU's translation of `int $0x80` (disas_insn case 0xcd -> gen_interrupt): save the guest
 * state, call a helper that raises the exception; the helper unwinds to cpu_exec. The TB
 * ends here: the system call runs in cpu_loop, outside any TB.
 */
import { syscallVector, type SyscallStrategy } from '@dbtlab/mips-codegen';

export const syscallByException: SyscallStrategy = {
  name: 'exception-exit',
  emit(ctx, insn) {
    ctx.raise(ctx.opts.helpers.raiseInterrupt, syscallVector(insn), ctx.nextPc, insn.addr);
    return true;
  },
};
