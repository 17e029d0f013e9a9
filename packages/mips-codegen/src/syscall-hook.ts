/**
 * The one thing the two runtimes translate differently: a system-call instruction.
 * The runtime supplies a strategy; the translator calls it at `int $0x80`.
 */
import type { DecodedInsn } from '@dbtlab/x86-frontend';
import type { GenContext } from './gen-context';

export interface SyscallStrategy {
  readonly name: string;
  /** Emits the code for `insn`; returns true when the TB ends after it. */
  emit(ctx: GenContext, insn: DecodedInsn): boolean;
}
