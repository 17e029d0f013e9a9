/**
 * Faults raised by the simulated host. MachineFault is what run() throws; MachineTrap is the
 * internal signal an instruction's semantics throw, turned into a precise MachineFault (pc,
 * word, disassembly, delay-slot flag) by the engine that executed it.
 */
import type { MemoryFault } from './memory';

export type MachineFaultKind =
  | 'reserved-instruction' | 'bad-jump' | 'unaligned' | 'memory' | 'integer-overflow' | 'trap';

export class MachineFault extends Error {
  constructor(
    readonly kind: MachineFaultKind,
    /** The faulting instruction, or the branch whose delay slot faulted. */
    readonly hostPc: number,
    readonly word: number,
    message: string,
    readonly inDelaySlot = false,
    readonly memoryFault?: MemoryFault,
  ) {
    super(message);
    this.name = 'MachineFault';
  }
}

export class MachineTrap extends Error {
  constructor(
    readonly kind: MachineFaultKind,
    message: string,
  ) {
    super(message);
    this.name = 'MachineTrap';
  }
}
