/**
 * The FPU/SSE state of a signal frame, as an x86-64 kernel on a CPU without XSAVE lays it out
 * (arch/x86/kernel/fpu/signal.c): below the (red-zone-adjusted) stack pointer, the 512-byte
 * fxsave image written by fxsaveq (64-bit FIP/FDP, XMM0-15), 64-byte aligned; an i386 frame
 * has in front of it the legacy fsave header (struct _fpstate_32: cw sw tag ipoff cssel
 * dataoff datasel, ST0-7 in 10 bytes each, then status and magic 0x0000 = "fxsave follows"),
 * and sigcontext.fpstate points at that header. sigreturn folds the header back over the
 * image (convert_to_fxsr: the handler's changes to _st or cw win), masks MXCSR for i386 and
 * refuses an image with reserved MXCSR bits for x86-64 (fxrstor's #GP); a null fpstate puts
 * the FPU back in its initial state.
 */
import { GuestMemory } from '@dbtlab/mips-host';
import { CpuState, ENV } from '@dbtlab/x86-frontend';
import { FXSAVE64, FXSAVE_SIZE, fxrstorDecode, fxsaveEncode, MXCSR, SseAlignmentFault, X87State } from '@dbtlab/x86-semantics';
import { USER32_CS, USER32_DS } from './linuxload';

/** struct fregs_state / _fpstate_32's legacy part: 7 words, 8 x 10-byte registers, status, magic. */
export const FSAVE_HEADER_SIZE = 112;
const X86_FXSR_MAGIC = 0x0000;
/** The MXCSR bits a restored i386 image keeps (mxcsr_feature_mask; fxsave's MXCSR_MASK). */
const MXCSR_FEATURE_MASK = 0x2ffff;

/**
 * A frame the kernel refuses to build (x86-64 without SA_RESTORER) or to return through (an
 * fxsave image with reserved MXCSR bits, a rip beyond the 4 GiB guest): SIGSEGV is forced, as
 * for a stack that cannot take the frame.
 */
export class FrameRefused extends Error {}

export interface MathFrame {
  /** The stack pointer below the FPU state (the frame goes under it). */
  sp: number;
  /** sigcontext.fpstate: the fsave header (i386) or the fxsave image (x86-64). */
  fpstate: number;
  /** The fxsave image. */
  bufFx: number;
}

/** fpu__alloc_mathframe: the fxsave image 64-byte aligned under `sp`, the i386 header under it. */
export function allocMathFrame(sp: number, ia32: boolean): MathFrame {
  const bufFx = Math.floor((sp - FXSAVE_SIZE) / 64) * 64;
  const fpstate = ia32 ? bufFx - FSAVE_HEADER_SIZE : bufFx;
  return { sp: fpstate, fpstate, bufFx };
}

/** Writes the cpu's x87/SSE state at the math frame (MemoryFault when the stack cannot take it). */
export function saveFpstate(mem: GuestMemory, math: MathFrame, ia32: boolean): void {
  const fx = fxsaveEncode(mem.host, FXSAVE64);
  if (ia32) {
    // convert_from_fxsr: the 64-bit kernel knows no FCS/FDS of the last x87 instruction and puts %cs and %ds
    const hdr = new Uint8Array(FSAVE_HEADER_SIZE);
    const h = new DataView(hdr.buffer);
    const f = new DataView(fx.buffer);
    const sw = f.getUint16(2, true);
    h.setUint32(0, (f.getUint16(0, true) | 0xffff0000) >>> 0, true);
    h.setUint32(4, (sw | 0xffff0000) >>> 0, true);
    h.setUint32(8, (new X87State(mem.host).tagWord() | 0xffff0000) >>> 0, true);
    h.setUint32(12, f.getUint32(8, true), true);
    h.setUint32(16, USER32_CS, true);
    h.setUint32(20, f.getUint32(16, true), true);
    h.setUint32(24, (USER32_DS | 0xffff0000) >>> 0, true);
    for (let i = 0; i < 8; i++) hdr.set(fx.subarray(32 + 16 * i, 42 + 16 * i), 28 + 10 * i);
    h.setUint16(108, sw, true);
    h.setUint16(110, X86_FXSR_MAGIC, true);
    mem.writeBytes(math.fpstate, hdr);
  }
  mem.writeBytes(math.bufFx, fx);
}

/**
 * The initial FPU state (x87 as after fninit, MXCSR 0x1f80, XMM registers zero): what a signal
 * handler starts with once its frame holds the interrupted state (fpu__clear_user_states), and
 * what a sigreturn with no fpstate restores.
 */
export function initFpstate(mem: GuestMemory, cpu: CpuState): void {
  new X87State(mem.host).reset();
  cpu.mem.write32(cpu.base + ENV.mxcsr, MXCSR.DEFAULT);
  mem.host.writeBytes(cpu.base + ENV.xmm, new Uint8Array(16 * 16));
}

/** fpu__restore_sig from sigcontext.fpstate (0: the initial FPU state). */
export function restoreFpstate(mem: GuestMemory, cpu: CpuState, fpstate: number, ia32: boolean): void {
  if (fpstate === 0) {
    initFpstate(mem, cpu);
    return;
  }
  const fx = mem.readBytes(ia32 ? fpstate + FSAVE_HEADER_SIZE : fpstate, FXSAVE_SIZE);
  const f = new DataView(fx.buffer);
  if (ia32) {
    // convert_to_fxsr: the header's x87 part replaces the image's; MXCSR masked, not refused
    const hdr = mem.readBytes(fpstate, FSAVE_HEADER_SIZE);
    const h = new DataView(hdr.buffer);
    const tag = h.getUint16(8, true);
    let abridged = 0;
    for (let p = 0; p < 8; p++) if (((tag >> (2 * p)) & 3) !== 3) abridged |= 1 << p;
    f.setUint16(0, h.getUint16(0, true), true);
    f.setUint16(2, h.getUint16(4, true), true);
    fx[4] = abridged;
    f.setUint16(6, h.getUint16(18, true), true);
    f.setBigUint64(8, BigInt(h.getUint32(12, true)), true);
    f.setBigUint64(16, BigInt(h.getUint32(20, true)), true);
    for (let i = 0; i < 8; i++) fx.set(hdr.subarray(28 + 10 * i, 38 + 10 * i), 32 + 16 * i);
    f.setUint32(24, f.getUint32(24, true) & MXCSR_FEATURE_MASK, true);
  }
  try {
    fxrstorDecode(mem.host, fx, FXSAVE64);
  } catch (e) {
    if (e instanceof SseAlignmentFault) throw new FrameRefused();
    throw e;
  }
}
