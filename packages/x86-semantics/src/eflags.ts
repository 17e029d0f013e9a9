/**
 * The architectural EFLAGS of a CpuState whose arithmetic flags are lazy (cc_op/cc_src/...):
 * what pushf would push, and how popf-like writers (sigreturn) set them. For the OS layer's
 * signal frames (linux-user's EflagsAccess).
 */
import { CC_FLAGS, DF, type CpuState } from '@dbtlab/x86-frontend';
import { CC, computeEflags } from './cc-op';

export function cpuEflags(cpu: CpuState): number {
  const arith = computeEflags(cpu.ccOp, cpu.ccSrc, cpu.ccDst, cpu.ccSrc2);
  return (arith | (cpu.eflagsRest & ~CC_FLAGS & ~DF) | (cpu.df === -1 ? DF : 0) | 2) >>> 0;
}

export function setCpuEflags(cpu: CpuState, eflags: number): void {
  cpu.ccOp = CC.EFLAGS;
  cpu.ccSrc = eflags & CC_FLAGS;
  cpu.eflagsRest = eflags & ~CC_FLAGS & ~DF;
  cpu.df = eflags & DF ? -1 : 1;
}
