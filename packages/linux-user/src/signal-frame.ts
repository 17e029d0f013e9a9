/**
 * i386 signal frames as the kernel builds them (arch/x86/kernel/signal_32.c, ia32 layout):
 *
 *   rt frame (SA_SIGINFO)            offset   plain frame               offset
 *     pretcode (sa_restorer)           0        pretcode                  0
 *     sig                              4        sig                       4
 *     pinfo -> info                    8        sigcontext              8..96
 *     puc   -> uc                     12        _fpstate_32 (unused)   96..720
 *     siginfo (128 bytes)             16        extramask (blocked 33-64) 720
 *     ucontext: flags, link, stack   144        retcode                 724
 *       sigcontext (88 bytes)        164
 *       sigmask (8 bytes)            252
 *     retcode                        260
 *
 * sigcontext holds gs fs es ds edi esi ebp esp ebx edx ecx eax trapno err eip cs eflags
 * esp_at_signal ss fpstate oldmask cr2 (glibc's gregs[REG_*] in this order, then fpregs...).
 * The frame sits below the interrupted esp (or at the top of the alternate stack), aligned
 * so that the handler starts with (esp + 4) % 16 == 0. Above the frame (below the interrupted
 * esp) lies the FPU/SSE state: the legacy fsave header sigcontext.fpstate points at, then the
 * fxsave image 64-byte aligned (sigframe-fpu.ts); sigreturn restores it.
 * Without SA_RESTORER the handler returns into the vDSO's sigreturn trampoline, as on Linux;
 * retcode ("movl $nr, %eax; int $0x80") is written as Linux writes it, and is the return
 * address only when there is no vDSO (a process that was never loaded).
 */
import { GuestMemory } from '@dbtlab/mips-host';
import { cpuEflags, dataSegmentLoad, type Descriptor, iretToUser, type SegmentFault, segmentIs16, selectorBounds, setCpuEflags } from '@dbtlab/x86-semantics';
import { CpuState, DF, FLAT_BOUNDS, R_CS, R_DS, R_EAX, R_EBP, R_EBX, R_ECX, R_EDI, R_EDX, R_ES, R_ESI, R_ESP, R_FS, R_GS, R_SS, TF } from '@dbtlab/x86-frontend';
import { USER32_CS, USER32_DS } from './linuxload';
import { allocMathFrame, initFpstate, type MathFrame, restoreFpstate, saveFpstate } from './sigframe-fpu';
import { SEGV_ACCERR, SI_KERNEL } from './siginfo-codes';
import { SA_ONSTACK, SA_RESTORER, SA_SIGINFO, SIGBUS, SIGFPE, SIGILL, SIGSEGV, SIGTRAP, SigAction, SignalState, UNBLOCKABLE } from './signal';

export const NR_SIGRETURN = 119;
export const NR_RT_SIGRETURN = 173;

export const SIGINFO_SIZE = 128;
export const SIGCONTEXT_SIZE = 88;
const FPSTATE32_SIZE = 624;
export const RT_FRAME = { info: 16, uc: 144, ucStack: 152, mcontext: 164, sigmask: 252, retcode: 260, size: 268 } as const;
export const PLAIN_FRAME = { sc: 8, extramask: 8 + SIGCONTEXT_SIZE + FPSTATE32_SIZE, retcode: 8 + SIGCONTEXT_SIZE + FPSTATE32_SIZE + 4, size: 8 + SIGCONTEXT_SIZE + FPSTATE32_SIZE + 12 } as const;

/** sigcontext word offsets (the order of glibc's REG_GS .. REG_SS). */
const SC = { gs: 0, fs: 4, es: 8, ds: 12, edi: 16, esi: 20, ebp: 24, esp: 28, ebx: 32, edx: 36, ecx: 40, eax: 44, trapno: 48, err: 52, eip: 56, cs: 60, eflags: 64, espAtSignal: 68, ss: 72, fpstate: 76, oldmask: 80, cr2: 84 } as const;
const SC_REGS: ReadonlyArray<[number, number]> = [
  [SC.edi, R_EDI],
  [SC.esi, R_ESI],
  [SC.ebp, R_EBP],
  [SC.esp, R_ESP],
  [SC.ebx, R_EBX],
  [SC.edx, R_EDX],
  [SC.ecx, R_ECX],
  [SC.eax, R_EAX],
];
const SC_SEGS: ReadonlyArray<[number, number]> = [
  [SC.gs, R_GS],
  [SC.fs, R_FS],
  [SC.es, R_ES],
  [SC.ds, R_DS],
  [SC.cs, R_CS],
  [SC.ss, R_SS],
];

/** The x86 exception behind each synchronous signal (sigcontext.trapno): #PF, #AC, #DE, #UD, #BP. */
const TRAPNO_OF_SIGNAL: Readonly<Record<number, number>> = { [SIGSEGV]: 14, [SIGBUS]: 17, [SIGFPE]: 0, [SIGILL]: 6, [SIGTRAP]: 3 };

/** A SIGSEGV with SI_KERNEL comes from #GP (13), not from a page fault (14). */
export function trapnoOf(sig: number, code: number): number {
  if (sig === SIGSEGV && code === SI_KERNEL) return 13;
  return TRAPNO_OF_SIGNAL[sig] ?? 0;
}

/** The #PF error code of a user-mode fault: 4 (user), | 1 when the page was present (SEGV_ACCERR). */
export const pageFaultError = (code: number): number => 4 | (code === SEGV_ACCERR ? 1 : 0);

export interface SigInfo {
  code: number;
  addr?: number;
  pid?: number;
  uid?: number;
  /** si_value (SI_TIMER, SI_QUEUE) */
  value?: number;
  /** x86 exception number and error code for sigcontext; defaults from the signal. */
  trapno?: number;
  err?: number;
}

/** Exceptions that are traps (#DB, #BP, #OF): the saved eflags of a fault has RF set, of a trap not. */
const TRAPS = new Set([1, 3, 4]);
const RF = 0x10000;

/**
 * A synchronous exception's signal: records it as the thread's last trap (trapno, error code,
 * cr2 for a page fault) and returns the EFLAGS bits the CPU adds to the saved image (RF).
 */
export function recordTrap(signals: SignalState, sig: number, info: SigInfo): number {
  const trapno = info.trapno ?? trapnoOf(sig, info.code);
  const pageFault = trapno === 14;
  signals.lastTrap = {
    trapno,
    err: info.err ?? (pageFault ? pageFaultError(info.code) : 0),
    cr2: pageFault ? (info.addr ?? 0) : signals.lastTrap.cr2,
  };
  return TRAPS.has(trapno) ? 0 : RF;
}

/** EFLAGS FIX_EFLAGS: the bits sigreturn takes from the frame (AC OF DF TF SF ZF AF PF CF RF). */
const FIX_EFLAGS = 0x40000 | 0x800 | 0x400 | 0x100 | 0x80 | 0x40 | 0x10 | 0x4 | 0x1 | 0x10000;

/**
 * siginfo_t: signo, errno, code, then the union: si_addr (a pointer: 4 or 8 bytes), or si_pid,
 * si_uid and si_value/si_status (x86-64 aligns the union to 8 bytes, and si_value with it).
 */
/**
 * sigreturn's EFLAGS: the FIX_EFLAGS bits from the frame. RF is not kept: the CPU clears it once
 * the first instruction after the return completes, before anything can observe it.
 */
export const restoredEflags = (old: number, frame: number): number => ((old & ~FIX_EFLAGS) | (frame & FIX_EFLAGS & ~RF)) >>> 0;

export function encodeSiginfo(sig: number, info: SigInfo, wide = false): Uint8Array {
  const out = new Uint8Array(SIGINFO_SIZE);
  const v = new DataView(out.buffer);
  const u = wide ? 16 : 12;
  v.setInt32(0, sig, true);
  v.setInt32(8, info.code, true);
  if (info.addr !== undefined) {
    if (wide) v.setBigUint64(u, BigInt(info.addr), true);
    else v.setUint32(u, info.addr >>> 0, true);
  } else {
    v.setInt32(u, info.pid ?? 0, true);
    v.setUint32(u + 4, info.uid ?? 0, true);
    if (info.value !== undefined && wide) v.setBigUint64(24, BigInt(info.value), true);
    else if (info.value !== undefined) v.setUint32(20, info.value >>> 0, true);
  }
  return out;
}

function encodeSigcontext(v: DataView, base: number, cpu: CpuState, eflags: number, trap: SignalState['lastTrap'], oldmask: number, fpstate: number): void {
  for (const [off, r] of SC_REGS) v.setUint32(base + off, cpu.reg(r), true);
  for (const [off, seg] of SC_SEGS) v.setUint32(base + off, cpu.segSelector(seg), true);
  v.setUint32(base + SC.trapno, trap.trapno, true);
  v.setUint32(base + SC.err, trap.err, true);
  v.setUint32(base + SC.eip, cpu.eip, true);
  v.setUint32(base + SC.eflags, eflags, true);
  v.setUint32(base + SC.espAtSignal, cpu.reg(R_ESP), true);
  v.setUint32(base + SC.fpstate, fpstate, true);
  v.setUint32(base + SC.oldmask, oldmask >>> 0, true);
  v.setUint32(base + SC.cr2, trap.cr2 >>> 0, true);
}

/**
 * Where the FPU state and the frame go (get_sigframe): on the alternate stack if asked and not
 * already on it; the math frame under that, the frame under the math frame.
 */
function frameAddress(cpu: CpuState, action: SigAction, signals: SignalState, size: number): { frame: number; math: MathFrame } {
  let sp = cpu.reg(R_ESP);
  if (action.flags & SA_ONSTACK && signals.altStackFlags(sp) === 0) sp = signals.altStack.sp + signals.altStack.size;
  const math = allocMathFrame(sp, true);
  sp = (math.sp - size) >>> 0;
  return { frame: ((((sp + 4) & ~15) >>> 0) - 4) >>> 0, math };
}

const retcode = (nr: number): Uint8Array => Uint8Array.of(0xb8, nr & 0xff, (nr >>> 8) & 0xff, 0, 0, 0xcd, 0x80, 0);

/**
 * Builds the frame for `sig` (rt frame when SA_SIGINFO) and points the cpu at the handler:
 * eax = sig (and edx = &info, ecx = &uc for rt frames), esp = frame, DF and TF cleared.
 * Throws MemoryFault when the stack cannot take the frame (the kernel then forces SIGSEGV).
 */
export function setupSignalFrame(
  mem: GuestMemory,
  cpu: CpuState,
  sig: number,
  action: SigAction,
  info: SigInfo,
  signals: SignalState,
  oldMask: bigint,
  vdso: { sigreturn: number; rtSigreturn: number } | undefined,
  faultFlags = 0,
): number {
  const rt = (action.flags & SA_SIGINFO) !== 0;
  const layout = rt ? RT_FRAME : PLAIN_FRAME;
  const { frame, math } = frameAddress(cpu, action, signals, layout.size);
  const bytes = new Uint8Array(layout.size);
  const v = new DataView(bytes.buffer);
  const vdsoReturn = vdso && (rt ? vdso.rtSigreturn : vdso.sigreturn);
  const restorer = action.flags & SA_RESTORER ? action.restorer : (vdsoReturn ?? frame + layout.retcode);
  const eflags = cpuEflags(cpu);
  const saved = eflags | faultFlags;
  const lowMask = Number(oldMask & 0xffffffffn);
  const highMask = Number(oldMask >> 32n);
  v.setUint32(0, restorer >>> 0, true);
  v.setInt32(4, sig, true);
  if (rt) {
    v.setUint32(8, frame + RT_FRAME.info, true);
    v.setUint32(12, frame + RT_FRAME.uc, true);
    bytes.set(encodeSiginfo(sig, info), RT_FRAME.info);
    // uc_flags 0 (no extended FPU state), uc_link 0, then uc_stack as sigaltstack reports it
    v.setUint32(RT_FRAME.ucStack, signals.altStack.sp, true);
    v.setUint32(RT_FRAME.ucStack + 4, signals.altStack.flags, true);
    v.setUint32(RT_FRAME.ucStack + 8, signals.altStack.size, true);
    encodeSigcontext(v, RT_FRAME.mcontext, cpu, saved, signals.lastTrap, lowMask, math.fpstate);
    v.setUint32(RT_FRAME.sigmask, lowMask, true);
    v.setUint32(RT_FRAME.sigmask + 4, highMask, true);
    bytes.set(retcode(NR_RT_SIGRETURN), RT_FRAME.retcode);
  } else {
    encodeSigcontext(v, PLAIN_FRAME.sc, cpu, saved, signals.lastTrap, lowMask, math.fpstate);
    v.setUint32(PLAIN_FRAME.extramask, highMask, true);
    // the plain frame's retcode is "popl %eax; movl $119, %eax; int $0x80"
    bytes.set([0x58, ...retcode(NR_SIGRETURN).subarray(0, 7)], PLAIN_FRAME.retcode);
  }
  saveFpstate(mem, math, true);
  mem.writeBytes(frame, bytes);
  initFpstate(mem, cpu); // the handler starts with the initial FPU state (fpu__clear_user_states)
  cpu.setReg(R_ESP, frame);
  cpu.setReg(R_EAX, sig);
  cpu.setReg(R_EDX, rt ? frame + RT_FRAME.info : 0);
  cpu.setReg(R_ECX, rt ? frame + RT_FRAME.uc : 0);
  cpu.eip = action.handler;
  setCpuEflags(cpu, eflags & ~(DF | TF | 0x10000));
  cpu.setSegSelector(R_CS, USER32_CS);
  cpu.setSegBase(R_CS, 0);
  cpu.setSegBounds(R_CS, FLAT_BOUNDS);
  cpu.code16 = false;
  cpu.ss16 = false;
  for (const seg of [R_DS, R_ES, R_SS]) {
    cpu.setSegSelector(seg, USER32_DS);
    cpu.setSegBase(seg, 0);
    cpu.setSegBounds(seg, FLAT_BOUNDS);
  }
  return frame;
}

/**
 * sigreturn / rt_sigreturn: restores registers, EFLAGS (the FIX_EFLAGS bits), selectors
 * (segment bases through `segmentBase`; %cs's size and every segment's bounds from its `descriptor`),
 * the blocked mask and, for rt frames, the alternate stack. esp is the value at the system call: the restorer has popped
 * pretcode (and, for a plain frame, sig). An unreadable frame throws MemoryFault (the kernel then
 * forces SIGSEGV). Returns the fault of the return to user mode that follows, if the %cs or %ss the
 * frame holds is one the CPU refuses.
 */
export function restoreSignalFrame(
  mem: GuestMemory,
  cpu: CpuState,
  rt: boolean,
  signals: SignalState,
  segmentBase: (sel: number) => number,
  descriptor: (sel: number) => Descriptor | undefined,
): SegmentFault | undefined {
  const esp = cpu.reg(R_ESP);
  const frame = (esp - (rt ? 4 : 8)) >>> 0;
  const layout = rt ? RT_FRAME : PLAIN_FRAME;
  const bytes = mem.readBytes(frame, layout.size);
  const v = new DataView(bytes.buffer);
  const sc = rt ? RT_FRAME.mcontext : PLAIN_FRAME.sc;
  for (const [off, r] of SC_REGS) cpu.setReg(r, v.getUint32(sc + off, true));
  for (const [off, seg] of SC_SEGS) {
    const sel = restoredSelector(seg, v.getUint32(sc + off, true) & 0xffff, descriptor);
    cpu.setSegSelector(seg, sel);
    cpu.setSegBase(seg, segmentBase(sel));
    const desc = descriptor(sel);
    cpu.setSegBounds(seg, selectorBounds(sel, desc));
    if (seg === R_CS) cpu.code16 = desc !== undefined && segmentIs16(desc);
    if (seg === R_SS) cpu.ss16 = desc !== undefined && segmentIs16(desc);
  }
  cpu.eip = v.getUint32(sc + SC.eip, true);
  const old = cpuEflags(cpu);
  setCpuEflags(cpu, restoredEflags(old, v.getUint32(sc + SC.eflags, true)));
  const low = rt ? v.getUint32(RT_FRAME.sigmask, true) : v.getUint32(sc + SC.oldmask, true);
  const high = rt ? v.getUint32(RT_FRAME.sigmask + 4, true) : v.getUint32(PLAIN_FRAME.extramask, true);
  signals.blocked = (BigInt(low) | (BigInt(high) << 32n)) & ~UNBLOCKABLE;
  restoreFpstate(mem, cpu, v.getUint32(sc + SC.fpstate, true), true);
  if (rt) {
    // restore_altstack: applied as sigaltstack would, its errors ignored
    const ss = { sp: v.getUint32(RT_FRAME.ucStack, true), flags: v.getInt32(RT_FRAME.ucStack + 4, true), size: v.getUint32(RT_FRAME.ucStack + 8, true) };
    signals.setAltStack(ss, cpu.reg(R_ESP));
  }
  const cs = cpu.segSelector(R_CS);
  const ss = cpu.segSelector(R_SS);
  // espfix64: the iret to an LDT %ss runs on the espfix stack, where the kernel can only report
  // a failing iret as #GP(0)
  const fault = iretToUser(cs, descriptor(cs), ss, descriptor(ss));
  return fault && ss & 4 ? { vector: 13, err: 0 } : fault;
}

/**
 * A selector as the kernel's sigreturn loads it: %cs and %ss with RPL 3; a data segment register
 * with RPL 3 unless a null selector (fixup_rpl), and the null selector where the CPU refuses to
 * load it (loadsegment's exception fixup).
 */
function restoredSelector(seg: number, sel: number, descriptor: (sel: number) => Descriptor | undefined): number {
  if (seg === R_CS || seg === R_SS) return sel | 3;
  const rpl3 = sel <= 3 ? sel : sel | 3;
  return dataSegmentLoad(seg, rpl3, descriptor(rpl3)) === 'ok' ? rpl3 : 0;
}
