/**
 * The one channel from the engine to the guest OS (linux-user implements it): everything
 * translated code and the exec loops need from the OS, given to a Dbt when it is built.
 * The OS answers on the engine's env (registers in, eax out) and may set the Dbt's
 * exitRequest to make the exec loop return (a guest that blocks, exits or yields).
 */
import type { Descriptor, SystemRegisterOp } from '@dbtlab/x86-semantics';

export interface GuestOs {
  /**
   * The system call in env: `int80` (int $0x80: the i386 ABI, eax = number, ebx.. = arguments,
   * result in eax; from 64-bit code as an IA32_EMULATION kernel runs it) or x86-64's `syscall`.
   */
  doSyscall(int80: boolean): void;
  /**
   * i386: where a 32-bit `syscall` returns unless a restart, a signal or sigreturn moves it (the
   * vDSO's landing pad); undefined without one. Translation reads it to chain that return.
   */
  fastSyscallReturn?(): number | undefined;
  /** Delivers a synchronous signal: to the guest handler, or ends the guest (throws). */
  deliverSignal(sig: number, info: { code: number; addr?: number; trapno?: number; err?: number }): void;
  /** Base of the segment a selector names (the OS's descriptor tables). */
  segmentBase(selector: number): number;
  /**
   * The descriptor a selector names in the OS's GDT or LDT, as segment loads, far transfers
   * and lar/lsl/verr/verw read it (undefined beyond the tables). Without it every selector
   * loads as flat (test OSes).
   */
  descriptor?(selector: number): Descriptor | undefined;
  /** sgdt, sidt, smsw, sldt, str: [value or table limit, table base] as the OS lets user code see them. */
  systemRegister?(op: SystemRegisterOp): readonly [number, number];
  /**
   * Asynchronous events (interrupt.ts): the count of executed host instructions at which the
   * machine should next call interruptPending where a TB starts (Infinity: never).
   */
  interruptCheckAt?(insns: number): number;
  /** Fires due timers, takes signals sent from outside: true when a signal is to be delivered now. */
  interruptPending?(): boolean;
  /** Delivers the pending signals from the precise cpu state in env (a fatal one throws). */
  deliverPendingSignals?(): void;
}
