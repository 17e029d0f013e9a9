/**
 * The one thing the two runtimes translate differently: a system-call instruction.
 * The runtime supplies a strategy; the translator calls it at `int $0x80`.
 */
import type { DecodedInsn } from '@dbtlab/x86-frontend';
import { EXCP } from './excp';
import type { GenContext } from './gen-context';

/**
 * The vector a strategy hands its helper (raise_interrupt, interpret_int): 0x80 for int $0x80,
 * EXCP.SYSCALL for `syscall` (the OS runs x86-64's table, or in 32-bit code the fast system call).
 */
export const syscallVector = (insn: DecodedInsn): number => (insn.op === 'SYSCALL' ? EXCP.SYSCALL : 0x80);

export interface SyscallStrategy {
  readonly name: string;
  /** Emits the code for `insn`; returns true when the TB ends after it. */
  emit(ctx: GenContext, insn: DecodedInsn): boolean;
}
