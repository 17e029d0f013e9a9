/**
 * The SSE helper's body: decodes the descriptor, reads the operands (XMM registers and MXCSR
 * in env, MMX registers as the x87 significands, guest memory, a general register's value),
 * runs the op's semantics and writes the result back. Memory is read and written before any
 * register changes, so a faulting access leaves the guest state as it was. An MMX op leaves
 * the x87 as the hardware does: TOP = 0, every register valid, a written register's exponent
 * field all ones; emms empties the x87 stack.
 */
import { ENV_BASE, GUEST_BASE, type HostMemory } from '@dbtlab/mips-host';
import { ENV } from '@dbtlab/x86-frontend';
import { decodeSseDesc, SSE_OPND, SSE_OPS, sseRegOffset, type SseOp } from './sse-desc';
import { fx80 } from '../fpu/softfloat';
import { loadedControl, X87State } from '../fpu/x87-state';
import { SseFp, MXCSR } from './sse-float';
import { SSE_SEMANTICS, type SseFn } from './sse-ops';

/** An unmasked SIMD floating-point exception (#XM): `flags` the MXCSR exception bits raised. */
export class SimdFpException extends Error {
  constructor(readonly flags: number) {
    super('SIMD floating-point exception');
  }
}
/** A misaligned 16-byte operand of a legacy SSE instruction (#GP). */
export class SseAlignmentFault extends Error {}

/** Ops whose 16-byte memory operand may be misaligned. */
const UNALIGNED = new Set<SseOp>(['MOVUPS', 'MOVUPD', 'MOVDQU', 'LDDQU']);

const SEMANTICS: Record<SseOp, SseFn | undefined> = SSE_SEMANTICS as Record<SseOp, SseFn>;

/**
 * Runs one SSE instruction. `gpr`: a general-register source (EAX for pcmpestri/m); `gpr2`:
 * EDX for pcmpestri/m, the destination's old value for crc32. Returns [v0, v1]: a
 * general-register result (ECX for pcmpistri/pcmpestri), and EFLAGS for the ops that set them.
 * `mode64`: the guest runs in x86-64 mode (fxsave/fxrstor cover XMM8-15).
 */
export function sseExec(mem: HostMemory, descWord: number, ea: number, gpr: number, gpr2: number, guestBase = GUEST_BASE, mode64 = false): [number, number] {
  const d = decodeSseDesc(descWord);
  const op = SSE_OPS[d.op];
  const env = (off: number) => ENV_BASE + off;
  const mxcsr = mem.read32(env(ENV.mxcsr)) >>> 0;
  const memBytes = 1 << d.memLog2;
  // ea: an i386 address (32-bit) or an x86-64 one (47-bit); guestBase: the host address of guest 0
  const addr = guestBase + ea;
  if (op === 'LDMXCSR') {
    const v = mem.read32(addr) >>> 0;
    // reserved bits set: #GP
    if (v & ~MXCSR_MASK) throw new SseAlignmentFault();
    mem.write32(env(ENV.mxcsr), v);
    return [0, 0];
  }
  if (op === 'STMXCSR') {
    mem.write32(addr, mxcsr);
    return [0, 0];
  }
  if (op === 'FXSAVE' || op === 'FXRSTOR') {
    if (ea & 15) throw new SseAlignmentFault();
    fxsaveImage(mem, addr, op === 'FXSAVE', d.gpr64 ? FXSAVE64 : mode64 ? FXSAVE32_IN_64 : FXSAVE32);
    return [0, 0];
  }
  const x87Valid = env(ENV.fpTags);
  if (op === 'EMMS') {
    mem.write32(x87Valid, 0);
    return [0, 0];
  }
  const regAddr = (code: number): number => env(sseRegOffset(code));
  const isXmm = (code: number): boolean => code < SSE_OPND.MMX || code >= SSE_OPND.XMM_HI;
  const read = (code: number): Uint8Array => {
    if (code === SSE_OPND.MEM) {
      if (memBytes === 16 && !UNALIGNED.has(op) && (ea & 15) !== 0) throw new SseAlignmentFault();
      return mem.readBytes(addr, memBytes);
    }
    if (code === SSE_OPND.GPR && d.gpr64) return new Uint8Array(new Uint32Array([gpr >>> 0, gpr2 >>> 0]).buffer);
    if (code === SSE_OPND.GPR) return new Uint8Array(new Uint32Array([gpr >>> 0]).buffer).subarray(0, Math.min(memBytes, 4));
    if (code === SSE_OPND.NONE) return new Uint8Array(0);
    return mem.readBytes(regAddr(code), isXmm(code) ? 16 : 8);
  };
  if (op === 'MASKMOVQ' || op === 'MASKMOVDQU') {
    // the bytes of the first register whose mask byte has its top bit set, to (E)DI
    const data = read(d.dst);
    const mask = read(d.src);
    for (let i = 0; i < data.length; i++) if (mask[i] & 0x80) mem.write8(addr + i, data[i]);
    if (op === 'MASKMOVQ') {
      mem.write32(env(ENV.fpTop), 0);
      mem.write32(x87Valid, 0xff);
    }
    return [0, 0];
  }
  const dst = d.dst === SSE_OPND.GPR ? new Uint8Array(d.gpr64 ? 8 : 4) : d.dst === SSE_OPND.MEM ? new Uint8Array(memBytes) : read(d.dst);
  // a shift by an immediate reads and writes its one register
  const src = read(d.src);
  const mmx = d.dst >= SSE_OPND.MMX && d.dst < SSE_OPND.GPR;
  const fp = new SseFp(mxcsr);
  const fn = SEMANTICS[op];
  if (!fn) throw new Error(`sse helper: no semantics for ${op}`);
  const xmm0 = () => mem.readBytes(regAddr(0), 16);
  const res = fn({ d: dst, s: src, imm: d.imm, n: mmx ? 8 : 16, srcMem: d.src === SSE_OPND.MEM, fp, xmm0, eax: gpr, edx: gpr2 });
  const unmasked = fp.flags & ~(mxcsr >> MXCSR.MASK_SHIFT) & MXCSR.FLAGS;
  if (unmasked) {
    mem.write32(env(ENV.mxcsr), mxcsr | fp.flags);
    throw new SimdFpException(unmasked);
  }
  if (fp.flags) mem.write32(env(ENV.mxcsr), mxcsr | fp.flags);
  if (typeof res === 'object' && !(res instanceof Uint8Array)) {
    if (res.xmm0) mem.writeBytes(regAddr(0), res.xmm0);
    return [res.gpr ?? 0, res.flags];
  }
  const r = res;
  if (typeof r === 'number' && d.dst !== SSE_OPND.MEM) return [r, 0];
  if (d.dst === SSE_OPND.GPR && typeof r !== 'number') {
    // a 64-bit general-register result: low and high halves
    const v = new DataView(r.buffer, r.byteOffset, 8);
    return [v.getUint32(0, true), v.getUint32(4, true)];
  }
  if (typeof r === 'number') {
    // a general-register-sized result stored to memory (movd, pextrw)
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, r >>> 0, true);
    mem.writeBytes(addr, bytes.subarray(0, Math.min(memBytes, 4)));
  } else if (d.dst === SSE_OPND.MEM) {
    if (memBytes === 16 && !UNALIGNED.has(op) && (ea & 15) !== 0) throw new SseAlignmentFault();
    mem.writeBytes(addr, r.subarray(0, memBytes));
  } else if (isXmm(d.dst)) mem.writeBytes(regAddr(d.dst), r.subarray(0, 16));
  else if (mmx) mem.writeBytes(regAddr(d.dst), r.subarray(0, 8));
  if (mmx || (d.src >= SSE_OPND.MMX && d.src < SSE_OPND.GPR)) {
    // the x87 stack as an MMX instruction leaves it
    if (mmx) mem.write16(regAddr(d.dst) + 8, 0xffff);
    mem.write32(env(ENV.fpTop), 0);
    mem.write32(x87Valid, 0xff);
  }
  return [0, 0];
}

/**
 * The MXCSR bits the CPU implements (fxsave's MXCSR_MASK; a 1 elsewhere in ldmxcsr's operand or
 * fxrstor's image is #GP): the oracle CPU's, AMD's, with bit 17 (MM, misaligned SSE mode; kept,
 * but the alignment check does not follow it).
 */
const MXCSR_MASK = 0x2ffff;

/**
 * The fxsave image's layouts: 32-bit mode's (FIP/FDP with the %cs/%ds selectors, XMM0-7), the
 * same format in x86-64 mode (fxsave without REX.W: XMM0-15, the 64-bit process's %cs and %ds),
 * and fxsave64's (64-bit FIP/FDP, XMM0-15), which the x86-64 kernel writes into every signal
 * frame (fxsaveq), an i386 one's included.
 */
export interface FxsaveLayout {
  wide: boolean;
  xmmRegs: 8 | 16;
  /** the selectors stored beside FIP and FDP (not wide) */
  cs: number;
  ds: number;
}
export const FXSAVE32: FxsaveLayout = { wide: false, xmmRegs: 8, cs: 0x23, ds: 0x2b };
const FXSAVE32_IN_64: FxsaveLayout = { wide: false, xmmRegs: 16, cs: 0x33, ds: 0 };
export const FXSAVE64: FxsaveLayout = { wide: true, xmmRegs: 16, cs: 0, ds: 0 };
export const FXSAVE_SIZE = 512;

/**
 * fxsave: FCW, FSW, the abridged tag byte (bit i: physical register i valid), FOP, FIP, FCS,
 * FDP, FDS (or 64-bit FIP and FDP), MXCSR, MXCSR_MASK, the registers in stack order (10 of 16
 * bytes each), the XMM registers; the 512-byte image with the rest zero.
 */
export function fxsaveEncode(mem: HostMemory, layout: FxsaveLayout): Uint8Array {
  const x = new X87State(mem);
  const img = new Uint8Array(FXSAVE_SIZE);
  const v = new DataView(img.buffer);
  v.setUint16(0, x.control, true);
  v.setUint16(2, x.statusWord, true);
  img[4] = x.valid;
  v.setUint16(6, x.opcode, true);
  v.setUint32(8, x.ip, true);
  v.setUint32(16, x.dp, true);
  if (!layout.wide) {
    v.setUint16(12, layout.cs, true);
    v.setUint16(20, layout.ds, true);
  }
  v.setUint32(24, mem.read32(ENV_BASE + ENV.mxcsr) >>> 0, true);
  v.setUint32(28, MXCSR_MASK, true);
  for (let i = 0; i < 8; i++) {
    const r = x.readPhys(x.phys(i));
    v.setBigUint64(32 + 16 * i, r.mant, true);
    v.setUint16(40 + 16 * i, (r.sign << 15) | r.exp, true);
  }
  for (let i = 0; i < layout.xmmRegs; i++) img.set(mem.readBytes(ENV_BASE + ENV.xmm + 16 * i, 16), 160 + 16 * i);
  return img;
}

/** fxrstor of an image: throws SseAlignmentFault (#GP) for reserved MXCSR bits, before any change. */
export function fxrstorDecode(mem: HostMemory, img: Uint8Array, layout: FxsaveLayout): void {
  const x = new X87State(mem);
  const v = new DataView(img.buffer, img.byteOffset, img.byteLength);
  const mxcsr = v.getUint32(24, true);
  if (mxcsr & ~MXCSR_MASK) throw new SseAlignmentFault();
  x.control = loadedControl(v.getUint16(0, true));
  x.statusWord = v.getUint16(2, true);
  x.valid = img[4];
  x.setLast(v.getUint32(8, true), v.getUint32(16, true), v.getUint16(6, true) & 0x7ff);
  for (let i = 0; i < 8; i++) {
    const se = v.getUint16(40 + 16 * i, true);
    x.writePhys(x.phys(i), fx80(se >> 15, se & 0x7fff, v.getBigUint64(32 + 16 * i, true)));
  }
  for (let i = 0; i < layout.xmmRegs; i++) mem.writeBytes(ENV_BASE + ENV.xmm + 16 * i, img.subarray(160 + 16 * i, 176 + 16 * i));
  mem.write32(ENV_BASE + ENV.mxcsr, mxcsr);
}

/**
 * The fxsave/fxrstor instructions: the image up to the last XMM register the mode has (the
 * rest of the 512 bytes is neither written nor read). As this AMD CPU (measured; Linux's
 * X86_FEATURE_FXSAVE_LEAK), fxsave stores FOP, FIP, FDP and their selectors only while an
 * unmasked x87 exception is pending (FSW.ES), zeros otherwise; fxrstor loads them whatever
 * their value (cpuid 0x80000008 EBX bit 2 on this CPU).
 */
function fxsaveImage(mem: HostMemory, addr: number, save: boolean, layout: FxsaveLayout): void {
  const used = 160 + 16 * layout.xmmRegs;
  if (!save) {
    fxrstorDecode(mem, mem.readBytes(addr, used), layout);
    return;
  }
  const img = fxsaveEncode(mem, layout).subarray(0, used);
  if (!(img[2] & 0x80)) img.fill(0, 6, 24);
  mem.writeBytes(addr, img);
}
