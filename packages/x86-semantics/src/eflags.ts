/**
 * The architectural EFLAGS of a CpuState whose arithmetic flags are lazy (cc_op/cc_src/...):
 * what pushf would push, and how popf-like writers (sigreturn) set them. For the OS layer's
 * signal frames (linux-user's EflagsAccess).
 */
import { CC_FLAGS, DF, ENV, type CpuState } from '@dbtlab/x86-frontend';
import { CC, ccBits, computeEflags } from './cc-op';
import { computeEflags64 } from './cc-op64';

/** A whole 64-bit env slot (a 64-bit operation's cc operands). */
const slot64 = (cpu: CpuState, off: number): bigint => (BigInt(cpu.mem.read32(cpu.base + off + 4) >>> 0) << 32n) | BigInt(cpu.mem.read32(cpu.base + off) >>> 0);

export function cpuEflags(cpu: CpuState): number {
  const op = cpu.ccOp;
  const arith = op > 0 && ccBits(op) === 64 ? computeEflags64(op, slot64(cpu, ENV.ccSrc), slot64(cpu, ENV.ccDst), slot64(cpu, ENV.ccSrc2)) : computeEflags(op, cpu.ccSrc, cpu.ccDst, cpu.ccSrc2);
  return (arith | (cpu.eflagsRest & ~CC_FLAGS & ~DF) | (cpu.df === -1 ? DF : 0) | 2) >>> 0;
}

export function setCpuEflags(cpu: CpuState, eflags: number): void {
  cpu.ccOp = CC.EFLAGS;
  cpu.ccSrc = eflags & CC_FLAGS;
  cpu.eflagsRest = eflags & ~CC_FLAGS & ~DF;
  cpu.df = eflags & DF ? -1 : 1;
}
