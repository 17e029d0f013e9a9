/**
 * `syscall` (SDM SYSCALL, as Linux uses it from user mode). x86-64: %rcx gets the next
 * instruction's address and %r11 RFLAGS. In 32-bit code it is the compatibility-mode fast system
 * call this AMD CPU has (Linux's vDSO enters by it): what it does to the registers and where it
 * returns are the kernel's (LinuxProcess.fastSyscallEntry). Then the runtime's scheme performs
 * the call exactly as it does `int $0x80` (qemu-style: exception exit to the exec loop;
 * x86tomips-style: inline helper), so every ABI is counted the same way.
 */
import { eflagsValue } from './gen-alu';
import type { GenFn } from './gen-table';

const RCX = 1;
const R11 = 11;

export const genSyscall: GenFn = (ctx, insn) => {
  if (!ctx.mode64) return ctx.opts.syscall.emit(ctx, insn);
  ctx.writeGpr(R11, eflagsValue(ctx), 64);
  ctx.writeGpr(RCX, ctx.addressReg(ctx.nextPc), 64);
  return ctx.opts.syscall.emit(ctx, insn);
};
