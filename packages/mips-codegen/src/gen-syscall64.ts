/**
 * x86-64's `syscall` (SDM SYSCALL, as Linux uses it from user mode): %rcx gets the next
 * instruction's address and %r11 RFLAGS, then the runtime's scheme performs the call exactly
 * as it does `int $0x80` (qemu-style: exception exit to the exec loop; x86tomips-style: inline
 * helper), so both ABIs are counted the same way. In i386 mode `syscall` is #UD (gen-table).
 */
import { eflagsValue } from './gen-alu';
import type { GenFn } from './gen-table';
import { genInvalidOpcode } from './gen-misc';

const RCX = 1;
const R11 = 11;

export const genSyscall: GenFn = (ctx, insn) => {
  if (!ctx.mode64) return genInvalidOpcode(ctx, insn);
  ctx.writeGpr(R11, eflagsValue(ctx), 64);
  ctx.writeGpr(RCX, ctx.addressReg(ctx.nextPc), 64);
  return ctx.opts.syscall.emit(ctx, insn);
};
