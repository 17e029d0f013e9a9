/**
 * The SSE helper's body: decodes the descriptor, reads the operands (XMM registers and MXCSR
 * in env, MMX registers as the x87 significands, guest memory, a general register's value),
 * runs the op's semantics and writes the result back. Memory is read and written before any
 * register changes, so a faulting access leaves the guest state as it was. An MMX op leaves
 * the x87 as the hardware does: TOP = 0, every register valid, a written register's exponent
 * field all ones; emms empties the x87 stack.
 */
import { ENV_BASE, GUEST_BASE, PAGE_SIZE, type HostMemory } from '@dbtlab/mips-host';
import { ENV } from '@dbtlab/x86-frontend';
import { decodeSseDesc, SSE_OPND, SSE_OPS, SSE_UNALIGNED_OPS, sseRegOffset, type SseDesc, type SseOp } from './sse-desc';
import { fx80 } from '../fpu/softfloat';
import { loadedControl, X87State } from '../fpu/x87-state';
import { SseFp, MXCSR } from './sse-float';
import { byteViews, lane, setLane, SSE_SEMANTICS, type SseArgs, type SseFn } from './sse-ops';

/** An unmasked SIMD floating-point exception (#XM): `flags` the MXCSR exception bits raised. */
export class SimdFpException extends Error {
  constructor(readonly flags: number) {
    super('SIMD floating-point exception');
  }
}
/** A misaligned 16-byte operand of a legacy SSE instruction (#GP). */
export class SseAlignmentFault extends Error {}

const SEMANTICS: Record<SseOp, SseFn | undefined> = SSE_SEMANTICS as Record<SseOp, SseFn>;

/** A descriptor word decoded once: the op, its semantics and its operands. */
interface Decoded extends SseDesc {
  name: SseOp;
  fn: SseFn | undefined;
  memBytes: number;
  /** a 16-byte memory operand must be aligned (#GP otherwise) */
  aligned: boolean;
  mmx: boolean;
}
const decoded = new Map<number, Decoded>();
function decode(word: number): Decoded {
  let d = decoded.get(word);
  if (d) return d;
  const desc = decodeSseDesc(word);
  const name = SSE_OPS[desc.op];
  const memBytes = 1 << desc.memLog2;
  d = { ...desc, name, fn: SEMANTICS[name], memBytes, aligned: memBytes === 16 && !SSE_UNALIGNED_OPS.has(name), mmx: desc.dst >= SSE_OPND.MMX && desc.dst < SSE_OPND.GPR };
  decoded.set(word, d);
  return d;
}

const isXmm = (code: number): boolean => code < SSE_OPND.MMX || code >= SSE_OPND.XMM_HI;
/** Host addresses of the register codes' slots, and of env's fields the helper uses (read once: module re-exports are getters). */
const REG_ADDR = Array.from({ length: SSE_OPND.XMM_HI + 8 }, (_, code) => ENV_BASE + sseRegOffset(code));
const regAddr = (code: number): number => REG_ADDR[code];
const MXCSR_ADDR = ENV_BASE + ENV.mxcsr;
const FP_TAGS_ADDR = ENV_BASE + ENV.fpTags;
const FP_TOP_ADDR = ENV_BASE + ENV.fpTop;
const PAGE_BYTES = PAGE_SIZE;
const isMmx = (code: number): boolean => code >= SSE_OPND.MMX && code < SSE_OPND.GPR;

/** `len` bytes at addr into views[len]; faults at the first unreadable byte, as readBytes. */
function readInto(mem: HostMemory, addr: number, len: number, views: Uint8Array[]): Uint8Array {
  const b = views[len];
  const off = addr & (PAGE_BYTES - 1);
  if (off + len <= PAGE_BYTES) {
    // one page (env's registers always)
    const data = mem.pageFor(addr, 'read').data;
    for (let i = 0; i < len; i++) b[i] = data[off + i];
  } else for (let i = 0; i < len; i++) b[i] = mem.read8(addr + i);
  return b;
}
/** An XMM/MMX register's first `len` bytes (no more than the result has) into env (one page: never faults). */
function writeReg(mem: HostMemory, addr: number, r: Uint8Array, len: number): void {
  const n = Math.min(len, r.length);
  const off = addr & (PAGE_BYTES - 1);
  const data = mem.pageFor(addr, 'write').data;
  for (let i = 0; i < n; i++) data[off + i] = r[i];
}
/** An operand's bytes into `views` (MEM: #GP for a misaligned 16-byte operand the op requires aligned). */
function readOperand(mem: HostMemory, d: Decoded, code: number, views: Uint8Array[], ea: number, addr: number, gpr: number, gpr2: number): Uint8Array {
  if (code === SSE_OPND.MEM) {
    if (d.aligned && (ea & 15) !== 0) throw new SseAlignmentFault();
    return readInto(mem, addr, d.memBytes, views);
  }
  if (code === SSE_OPND.GPR) {
    setLane(views[16], 4, 0, gpr);
    setLane(views[16], 4, 1, gpr2);
    return views[d.gpr64 ? 8 : Math.min(d.memBytes, 4)];
  }
  if (code === SSE_OPND.NONE) return views[0];
  return readInto(mem, regAddr(code), isXmm(code) ? 16 : 8, views);
}

/** The operands' and xmm0's buffers, reused from call to call. */
const D = byteViews();
const S = byteViews();
const X0 = byteViews();
class Args implements SseArgs {
  mem!: HostMemory;
  eax = 0;
  edx = 0;
  d = D[0];
  s = S[0];
  imm = 0;
  n = 16;
  srcMem = false;
  fp = new SseFp(0);
  xmm0 = (): Uint8Array => readInto(this.mem, regAddr(0), 16, X0);
}
const args = new Args();
/** sseExec's [v0, v1], one array reused: the caller takes the values at once. */
const out: [number, number] = [0, 0];
const result = (v0: number, v1: number): [number, number] => {
  out[0] = v0;
  out[1] = v1;
  return out;
};

/**
 * Runs one SSE instruction. `gpr`: a general-register source (EAX for pcmpestri/m); `gpr2`:
 * EDX for pcmpestri/m, the destination's old value for crc32. Returns [v0, v1]: a
 * general-register result (ECX for pcmpistri/pcmpestri), and EFLAGS for the ops that set them.
 * `mode64`: the guest runs in x86-64 mode (fxsave/fxrstor cover XMM8-15).
 */
export function sseExec(mem: HostMemory, descWord: number, ea: number, gpr: number, gpr2: number, guestBase = GUEST_BASE, mode64 = false): [number, number] {
  const d = decode(descWord);
  const op = d.name;
  const mxcsrAddr = MXCSR_ADDR;
  const mxcsr = mem.read32(mxcsrAddr) >>> 0;
  const memBytes = d.memBytes;
  // ea: an i386 address (32-bit) or an x86-64 one (47-bit); guestBase: the host address of guest 0
  const addr = guestBase + ea;
  if (op === 'LDMXCSR') {
    const v = mem.read32(addr) >>> 0;
    // reserved bits set: #GP
    if (v & ~MXCSR_MASK) throw new SseAlignmentFault();
    mem.write32(mxcsrAddr, v);
    return result(0, 0);
  }
  if (op === 'STMXCSR') {
    mem.write32(addr, mxcsr);
    return result(0, 0);
  }
  if (op === 'FXSAVE' || op === 'FXRSTOR') {
    if (ea & 15) throw new SseAlignmentFault();
    fxsaveImage(mem, addr, op === 'FXSAVE', d.gpr64 ? FXSAVE64 : mode64 ? FXSAVE32_IN_64 : FXSAVE32);
    return result(0, 0);
  }
  const x87Valid = FP_TAGS_ADDR;
  if (op === 'EMMS') {
    mem.write32(x87Valid, 0);
    return result(0, 0);
  }
  if (op === 'MASKMOVQ' || op === 'MASKMOVDQU') {
    // the bytes of the first register whose mask byte has its top bit set, to (E)DI
    const data = readOperand(mem, d, d.dst, D, ea, addr, gpr, gpr2);
    const mask = readOperand(mem, d, d.src, S, ea, addr, gpr, gpr2);
    // the oracle CPU checks all 8/16 bytes whatever the mask (a zero mask faults too) and stores
    // nothing when it faults (measured next to a read-only page; special-forms.c)
    mem.checkWrite(addr, data.length);
    for (let i = 0; i < data.length; i++) if (mask[i] & 0x80) mem.write8(addr + i, data[i]);
    if (op === 'MASKMOVQ') {
      mem.write32(FP_TOP_ADDR, 0);
      mem.write32(x87Valid, 0xff);
    }
    return result(0, 0);
  }
  const dst = d.dst === SSE_OPND.GPR ? D[d.gpr64 ? 8 : 4].fill(0) : d.dst === SSE_OPND.MEM ? D[memBytes].fill(0) : readOperand(mem, d, d.dst, D, ea, addr, gpr, gpr2);
  // a shift by an immediate reads and writes its one register
  const src = readOperand(mem, d, d.src, S, ea, addr, gpr, gpr2);
  const mmx = d.mmx;
  const fp = args.fp.reset(mxcsr);
  const fn = d.fn;
  if (!fn) throw new Error(`sse helper: no semantics for ${op}`);
  const a = args;
  a.mem = mem;
  a.d = dst;
  a.s = src;
  a.imm = d.imm;
  a.n = mmx ? 8 : 16;
  a.srcMem = d.src === SSE_OPND.MEM;
  a.fp = fp;
  a.eax = gpr;
  a.edx = gpr2;
  const res = fn(a);
  const unmasked = fp.flags & ~(mxcsr >> MXCSR.MASK_SHIFT) & MXCSR.FLAGS;
  if (unmasked) {
    mem.write32(mxcsrAddr, mxcsr | fp.flags);
    throw new SimdFpException(unmasked);
  }
  if (fp.flags) mem.write32(mxcsrAddr, mxcsr | fp.flags);
  if (typeof res === 'object' && !(res instanceof Uint8Array)) {
    if (res.xmm0) writeReg(mem, regAddr(0), res.xmm0, 16);
    return result(res.gpr ?? 0, res.flags);
  }
  const r = res;
  if (typeof r === 'number' && d.dst !== SSE_OPND.MEM) return result(r, 0);
  // a 64-bit general-register result: low and high halves
  if (d.dst === SSE_OPND.GPR && typeof r !== 'number') return result(lane(r, 4, 0, false), lane(r, 4, 1, false));
  if (typeof r === 'number') {
    // a general-register-sized result stored to memory (movd, pextrw)
    const bytes = D[Math.min(memBytes, 4)];
    setLane(D[4], 4, 0, r);
    mem.writeBytes(addr, bytes);
  } else if (d.dst === SSE_OPND.MEM) {
    if (d.aligned && (ea & 15) !== 0) throw new SseAlignmentFault();
    mem.writeBytes(addr, r.length === memBytes ? r : r.subarray(0, memBytes));
  } else if (isXmm(d.dst)) writeReg(mem, regAddr(d.dst), r, 16);
  else if (mmx) writeReg(mem, regAddr(d.dst), r, 8);
  if (mmx || isMmx(d.src)) {
    // the x87 stack as an MMX instruction leaves it
    if (mmx) mem.write16(regAddr(d.dst) + 8, 0xffff);
    mem.write32(FP_TOP_ADDR, 0);
    mem.write32(x87Valid, 0xff);
  }
  return result(0, 0);
}

/**
 * The MXCSR bits the CPU implements (fxsave's MXCSR_MASK; a 1 elsewhere in ldmxcsr's operand or
 * fxrstor's image is #GP): the oracle CPU's, AMD's, with bit 17 (MM, misaligned SSE mode; kept,
 * but the alignment check does not follow it).
 */
const MXCSR_MASK = 0x2ffff;

/**
 * The fxsave image's layouts: 32-bit mode's (FIP/FDP with the FCS and FDS selectors, XMM0-7),
 * the same format in x86-64 mode (fxsave without REX.W: XMM0-15), and
 * fxsave64's (64-bit FIP/FDP, XMM0-15), which the x86-64 kernel writes into every signal frame
 * (fxsaveq), an i386 one's included. FDS is the last memory operand's segment selector (%ss
 * 0x2b for a stack operand in x86-64 mode, measured).
 */
export interface FxsaveLayout {
  wide: boolean;
  xmmRegs: 8 | 16;
}
export const FXSAVE32: FxsaveLayout = { wide: false, xmmRegs: 8 };
const FXSAVE32_IN_64: FxsaveLayout = { wide: false, xmmRegs: 16 };
export const FXSAVE64: FxsaveLayout = { wide: true, xmmRegs: 16 };
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
  if (layout.wide) {
    v.setBigUint64(8, BigInt(x.ip), true);
    v.setBigUint64(16, BigInt(x.dp), true);
  } else {
    v.setUint32(8, x.ip % 0x1_0000_0000, true);
    v.setUint16(12, x.cs, true);
    v.setUint32(16, x.dp % 0x1_0000_0000, true);
    v.setUint16(20, x.ds, true);
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
  if (layout.wide) x.setLast(Number(v.getBigUint64(8, true)), Number(v.getBigUint64(16, true)), v.getUint16(6, true) & 0x7ff);
  else x.setLast(v.getUint32(8, true), v.getUint32(16, true), v.getUint16(6, true) & 0x7ff);
  // the 64-bit format has no selectors: fxrstor64 leaves FCS and FDS zero (measured)
  x.cs = layout.wide ? 0 : v.getUint16(12, true);
  x.ds = layout.wide ? 0 : v.getUint16(20, true);
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
