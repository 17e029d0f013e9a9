/**
 * X86toMips's translate_int: inline in the TB, save the guest context, call the helper that
 * performs the system call (interpret_int), restore the context, and go on with the TB.
 * The system call does not end the TB, unless the ablation `syscallEndsTb` asks for it, or it
 * is 32-bit code's `syscall`, which returns where the OS says: the TB then leaves for the eip in
 * env, chained (with chaining) when that is the vDSO's landing pad it returns to unless a restart,
 * a signal or an mremap of [vdso] moved it.
 */
import { exitTb, gotoTbIfPc, syscallVector, type SyscallStrategy } from '@dbtlab/mips-codegen';

export function syscallInline(syscallEndsTb: boolean): SyscallStrategy {
  return {
    name: syscallEndsTb ? 'inline-helper-ends-tb' : 'inline-helper',
    emit(ctx, insn) {
      const interpretInt = ctx.opts.helpers.interpretInt;
      if (interpretInt === undefined) throw new Error('x86tomips-style: interpret_int is not registered on this engine');
      ctx.contextSave();
      ctx.storeEip(ctx.nextPc);
      ctx.callHelper(interpretInt, [ctx.constReg(syscallVector(insn))], false);
      ctx.contextRestore();
      if (insn.op === 'SYSCALL' && !ctx.mode64) {
        gotoTbIfPc(ctx, ctx.opts.fastSyscallReturn);
        return true;
      }
      if (!syscallEndsTb) return false;
      exitTb(ctx, ctx.nextPc);
      return true;
    },
  };
}
