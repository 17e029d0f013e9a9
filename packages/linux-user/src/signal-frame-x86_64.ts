/**
 * The x86-64 signal frame as the kernel builds it (arch/x86/kernel/signal.c, 64-bit): always
 * an rt frame, with SA_SIGINFO or without, and always returned through the sa_restorer the
 * program gave (glibc's __restore_rt: `mov $15, %eax; syscall`); without SA_RESTORER the
 * kernel cannot build it and the process gets SIGSEGV.
 *
 *   rt_sigframe                          offset
 *     pretcode (sa_restorer)               0
 *     ucontext: flags, link               8, 16
 *       uc_stack {sp, flags, size}        24
 *       uc_mcontext (sigcontext, 256)     48
 *       uc_sigmask (8 bytes)             304
 *     siginfo (128 bytes)                312
 *   (the fpstate, 64-byte aligned, above the frame: frame + 456)
 *
 * sigcontext: r8-r15 rdi rsi rbp rbx rdx rax rcx rsp rip eflags, cs gs fs ss (16 bits each),
 * err trapno oldmask cr2 fpstate (glibc's gregs[REG_R8 .. REG_CR2], then fpregs). Below the
 * interrupted rsp the kernel skips the 128-byte red zone, puts the fpstate (the fxsave image,
 * sigframe-fpu.ts) and then the frame, with rsp % 16 == 8 in the handler as after a call.
 * uc_flags is UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS: the CPU models dbtlab offers have no
 * XSAVE, so there is no UC_FP_XSTATE and no extended state after the fxsave area.
 */
import { GuestMemory } from '@dbtlab/mips-host';
import { cpuEflags, type SegmentFault, setCpuEflags } from '@dbtlab/x86-semantics';
import { CpuState, DF, R_CS, R_EAX, R_EBP, R_EBX, R_ECX, R_EDI, R_EDX, R_ESI, R_ESP, R_R8, R_SS, TF } from '@dbtlab/x86-frontend';
import { USER_CS, USER32_DS } from './linuxload';
import { allocMathFrame, FrameRefused, initFpstate, restoreFpstate, saveFpstate } from './sigframe-fpu';
import { SA_ONSTACK, SA_RESTORER, SA_SIGINFO, SigAction, SignalState, UNBLOCKABLE } from './signal';
import { encodeSiginfo, restoredEflags, type SigInfo } from './signal-frame';

export const NR_RT_SIGRETURN_X86_64 = 15;
export const RT_FRAME_64 = { uc: 8, ucStack: 24, mcontext: 48, sigmask: 304, info: 312, size: 440 } as const;
const RED_ZONE = 128;
const UC_SIGCONTEXT_SS = 2;
const UC_STRICT_RESTORE_SS = 4;

/** sigcontext offsets (bytes). */
const SC = { rip: 128, eflags: 136, cs: 144, gs: 146, fs: 148, ss: 150, err: 152, trapno: 160, oldmask: 168, cr2: 176, fpstate: 184 } as const;
/** The general registers in sigcontext order: r8-r15, then rdi rsi rbp rbx rdx rax rcx rsp. */
const SC_REGS: readonly number[] = [R_R8, R_R8 + 1, R_R8 + 2, R_R8 + 3, R_R8 + 4, R_R8 + 5, R_R8 + 6, R_R8 + 7, R_EDI, R_ESI, R_EBP, R_EBX, R_EDX, R_EAX, R_ECX, R_ESP];

/** The 64-bit stack_t (uc_stack, sigaltstack): {ss_sp, ss_flags, ss_size} in 24 bytes. */
export const STACK_T_64 = 24;
export function encodeStack64(ss: { sp: number; flags: number; size: number }): Uint8Array {
  const out = new Uint8Array(STACK_T_64);
  const v = new DataView(out.buffer);
  v.setBigUint64(0, BigInt(ss.sp), true);
  v.setInt32(8, ss.flags, true);
  v.setBigUint64(16, BigInt(ss.size), true);
  return out;
}
export function decodeStack64(bytes: Uint8Array): { sp: number; flags: number; size: number } {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { sp: Number(v.getBigUint64(0, true)), flags: v.getInt32(8, true), size: Number(v.getBigUint64(16, true)) };
}

/**
 * Builds the frame for `sig` and enters the handler: rdi = sig, rsi = &info, rdx = &uc,
 * rax = 0, rsp = frame, DF, TF and RF cleared, cs = __USER_CS. Throws MemoryFault when the
 * stack cannot take it, FrameRefused without SA_RESTORER.
 */
export function setupSignalFrame64(mem: GuestMemory, cpu: CpuState, sig: number, action: SigAction, info: SigInfo, signals: SignalState, oldMask: bigint, faultFlags = 0): number {
  const rsp = Number(cpu.reg64(R_ESP));
  let sp = rsp - RED_ZONE;
  if (action.flags & SA_ONSTACK && signals.altStackFlags(sp) === 0) sp = signals.altStack.sp + signals.altStack.size;
  const math = allocMathFrame(sp, false);
  const frame = Math.floor((math.sp - RT_FRAME_64.size) / 16) * 16 - 8;
  if (!(action.flags & SA_RESTORER)) throw new FrameRefused();
  const bytes = new Uint8Array(RT_FRAME_64.size);
  const v = new DataView(bytes.buffer);
  const eflags = cpuEflags(cpu);
  v.setBigUint64(0, BigInt(action.restorer), true);
  v.setBigUint64(RT_FRAME_64.uc, BigInt(UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS), true);
  bytes.set(encodeStack64(signals.altStack), RT_FRAME_64.ucStack);
  const sc = RT_FRAME_64.mcontext;
  SC_REGS.forEach((r, i) => v.setBigUint64(sc + 8 * i, cpu.reg64(r), true));
  v.setBigUint64(sc + SC.rip, cpu.rip, true);
  v.setBigUint64(sc + SC.eflags, BigInt(eflags | faultFlags), true);
  v.setUint16(sc + SC.cs, cpu.segSelector(R_CS), true);
  v.setUint16(sc + SC.ss, cpu.segSelector(R_SS), true);
  v.setBigUint64(sc + SC.err, BigInt(signals.lastTrap.err), true);
  v.setBigUint64(sc + SC.trapno, BigInt(signals.lastTrap.trapno), true);
  v.setBigUint64(sc + SC.oldmask, oldMask, true);
  v.setBigUint64(sc + SC.cr2, BigInt(signals.lastTrap.cr2), true);
  v.setBigUint64(sc + SC.fpstate, BigInt(math.fpstate), true);
  v.setBigUint64(RT_FRAME_64.sigmask, oldMask, true);
  // the kernel copies siginfo only for SA_SIGINFO handlers
  const rt = (action.flags & SA_SIGINFO) !== 0;
  saveFpstate(mem, math, false);
  mem.writeBytes(frame, rt ? bytes : bytes.subarray(0, RT_FRAME_64.info));
  if (rt) mem.writeBytes(frame + RT_FRAME_64.info, encodeSiginfo(sig, info, true));
  initFpstate(mem, cpu); // the handler starts with the initial FPU state (fpu__clear_user_states)
  cpu.setReg64(R_ESP, frame);
  cpu.setReg64(R_EDI, sig);
  cpu.setReg64(R_ESI, frame + RT_FRAME_64.info);
  cpu.setReg64(R_EDX, frame + RT_FRAME_64.uc);
  cpu.setReg64(R_EAX, 0);
  cpu.eip = action.handler;
  setCpuEflags(cpu, eflags & ~(DF | TF | 0x10000));
  cpu.setSegSelector(R_CS, USER_CS);
  cpu.setSegSelector(R_SS, USER32_DS);
  return frame;
}

/**
 * rt_sigreturn: the frame is at rsp - 8 (the handler's ret popped pretcode). Registers, the
 * FIX_EFLAGS bits, cs/ss (RPL 3), the FPU/SSE state (none: the initial state), the blocked
 * mask and the alternate stack come back. An unreadable frame throws MemoryFault, an fxsave
 * image fxrstor refuses FrameRefused (the kernel forces SIGSEGV for both). Returns the #GP of the
 * iret back to user mode when the restored rip is not canonical.
 */
export function restoreSignalFrame64(mem: GuestMemory, cpu: CpuState, signals: SignalState): SegmentFault | undefined {
  const frame = Number(cpu.reg64(R_ESP)) - 8;
  const bytes = mem.readBytes(frame, RT_FRAME_64.info);
  const v = new DataView(bytes.buffer);
  const sc = RT_FRAME_64.mcontext;
  restoreFpstate(mem, cpu, Number(v.getBigUint64(sc + SC.fpstate, true)), false);
  SC_REGS.forEach((r, i) => cpu.setReg64(r, v.getBigUint64(sc + 8 * i, true)));
  // any rip: a canonical one outside the user space faults when it is fetched; a non-canonical
  // one makes the iret back to user mode fault (#GP, which the caller delivers)
  cpu.rip = v.getBigUint64(sc + SC.rip, true);
  setCpuEflags(cpu, restoredEflags(cpuEflags(cpu), Number(v.getBigUint64(sc + SC.eflags, true) & 0xffffffffn)));
  cpu.setSegSelector(R_CS, v.getUint16(sc + SC.cs, true) | 3);
  cpu.setSegSelector(R_SS, v.getUint16(sc + SC.ss, true) | 3);
  signals.blocked = v.getBigUint64(RT_FRAME_64.sigmask, true) & ~UNBLOCKABLE;
  signals.setAltStack(decodeStack64(bytes.subarray(RT_FRAME_64.ucStack, RT_FRAME_64.ucStack + STACK_T_64)), Number(cpu.reg64(R_ESP)));
  const high = cpu.rip >> 47n;
  return high === 0n || high === 0x1ffffn ? undefined : { vector: 13, err: 0 };
}
