/**
 * The x87 register stack as it lives in env (ENV.fp*): eight 16-byte slots holding 80-bit
 * values in memory layout (64-bit significand, then sign+exponent), the top-of-stack
 * index, the status word without its TOP field, the control word, one "valid" bit per
 * physical register in fpTags (so a zeroed env is an empty stack), and the last
 * instruction/operand pointers fnstenv reports.
 */
import { ENV_BASE, type HostMemory } from '@dbtlab/mips-host';
import { ENV } from '@dbtlab/x86-frontend';
import { FPE, FX80_INDEFINITE, fx80, fx80Kind, Kind, type Fx80 } from './softfloat';

/** Status word bits besides the exception flags. */
export const SW = { SF: 0x40, ES: 0x80, C0: 0x100, C1: 0x200, C2: 0x400, C3: 0x4000, B: 0x8000, TOP_SHIFT: 11 } as const;
export const SW_CC = SW.C0 | SW.C1 | SW.C2 | SW.C3;

/** The control word after finit: all exceptions masked, 64-bit precision, round to nearest. */
export const FCW_DEFAULT = 0x037f;

/**
 * A control word as fldcw, fldenv, frstor and fxrstor load it: the CPU forces the reserved
 * bits (first recorded as measured on AMD Zen 5; checked on AMD Zen 4, family 25 model 17,
 * for all 2^16 words through each of the four, -m32 and -m64: bit 6 reads as one, bits 7
 * and 13-15 as zero; bit 12, the old infinity control, is kept).
 */
export const loadedControl = (v: number): number => (v & 0x1f3f) | 0x40;

export class X87State {
  constructor(private readonly mem: HostMemory) {}

  private rd32(off: number): number {
    return this.mem.read32(ENV_BASE + off);
  }
  private wr32(off: number, v: number): void {
    this.mem.write32(ENV_BASE + off, v >>> 0);
  }

  get top(): number {
    return this.rd32(ENV.fpTop) & 7;
  }
  set top(v: number) {
    this.wr32(ENV.fpTop, v & 7);
  }
  /** Status word without TOP. */
  get status(): number {
    return this.rd32(ENV.fpStatus) & 0xc7ff;
  }
  set status(v: number) {
    this.wr32(ENV.fpStatus, v & 0xc7ff);
  }
  /** The architectural status word (TOP included). */
  get statusWord(): number {
    return this.status | (this.top << SW.TOP_SHIFT);
  }
  set statusWord(v: number) {
    this.status = v;
    this.top = (v >> SW.TOP_SHIFT) & 7;
  }
  get control(): number {
    return this.rd32(ENV.fpControl) & 0xffff;
  }
  set control(v: number) {
    this.wr32(ENV.fpControl, v & 0xffff);
  }
  /** Bit i set: physical register i holds a value. */
  get valid(): number {
    return this.rd32(ENV.fpTags) & 0xff;
  }
  set valid(v: number) {
    this.wr32(ENV.fpTags, v & 0xff);
  }
  /** FIP and FDP: guest addresses, 64-bit in x86-64 mode (below 2^47) */
  get ip(): number {
    return (this.rd32(ENV.fpIp) >>> 0) + (this.rd32(ENV.fpIpHi) >>> 0) * 0x1_0000_0000;
  }
  get dp(): number {
    return (this.rd32(ENV.fpDp) >>> 0) + (this.rd32(ENV.fpDpHi) >>> 0) * 0x1_0000_0000;
  }
  get opcode(): number {
    return this.rd32(ENV.fpOpcode) & 0x7ff;
  }
  /** FDS: kept by an instruction without a memory operand (measured natively) */
  get ds(): number {
    return this.rd32(ENV.fpDs) & 0xffff;
  }
  set ds(v: number) {
    this.wr32(ENV.fpDs, v & 0xffff);
  }
  get cs(): number {
    return this.rd32(ENV.fpCs) & 0xffff;
  }
  set cs(v: number) {
    this.wr32(ENV.fpCs, v & 0xffff);
  }
  /** Records the last non-control instruction (FIP, FDP, FOP). */
  setLast(ip: number, dp: number, opcode: number): void {
    this.wr32(ENV.fpIp, ip);
    this.wr32(ENV.fpIpHi, Math.floor(ip / 0x1_0000_0000));
    this.wr32(ENV.fpDp, dp);
    this.wr32(ENV.fpDpHi, Math.floor(dp / 0x1_0000_0000));
    this.wr32(ENV.fpOpcode, opcode);
  }

  /** finit: default control word, empty stack, cleared status and pointers. */
  reset(): void {
    this.control = FCW_DEFAULT;
    this.status = 0;
    this.top = 0;
    this.valid = 0;
    this.setLast(0, 0, 0);
    this.cs = 0;
    this.ds = 0;
  }

  phys(i: number): number {
    return (this.top + i) & 7;
  }
  isEmpty(i: number): boolean {
    return ((this.valid >> this.phys(i)) & 1) === 0;
  }

  readPhys(p: number): Fx80 {
    const a = ENV_BASE + ENV.fpRegs + 16 * p;
    const lo = BigInt(this.mem.read32(a) >>> 0);
    const hi = BigInt(this.mem.read32(a + 4) >>> 0);
    const se = this.mem.read16(a + 8);
    return fx80(se >> 15, se & 0x7fff, lo | (hi << 32n));
  }
  writePhys(p: number, v: Fx80): void {
    const a = ENV_BASE + ENV.fpRegs + 16 * p;
    this.mem.write32(a, Number(v.mant & 0xffffffffn));
    this.mem.write32(a + 4, Number((v.mant >> 32n) & 0xffffffffn));
    this.mem.write16(a + 8, (v.sign << 15) | v.exp);
  }

  /**
   * st(i); an empty register is a stack underflow: IE and SF in `flags`, and the value is
   * the indefinite (what the masked response computes with).
   */
  st(i: number, flags: { flags: number }): Fx80 {
    if (this.isEmpty(i)) {
      flags.flags |= FPE.IE | SW.SF;
      return FX80_INDEFINITE;
    }
    return this.readPhys(this.phys(i));
  }
  setSt(i: number, v: Fx80): void {
    const p = this.phys(i);
    this.writePhys(p, v);
    this.valid = this.valid | (1 << p);
  }
  /** Pushes v; a full stack overflows (IE, SF, C1) and loads the indefinite. */
  push(v: Fx80, flags: { flags: number; roundedUp: boolean }): void {
    const t = (this.top - 1) & 7;
    this.top = t;
    if ((this.valid >> t) & 1) {
      flags.flags |= FPE.IE | SW.SF;
      flags.roundedUp = true; // C1 = 1 marks overflow
      v = FX80_INDEFINITE;
    }
    this.setSt(0, v);
  }
  pop(): void {
    this.valid = this.valid & ~(1 << this.top);
    this.top = this.top + 1;
  }
  free(i: number): void {
    this.valid = this.valid & ~(1 << this.phys(i));
  }

  /** The register stack, top and tags (to undo an operation an unmasked exception cancels). */
  snapshot(): { regs: Fx80[]; top: number; valid: number } {
    return { regs: Array.from({ length: 8 }, (_, p) => this.readPhys(p)), top: this.top, valid: this.valid };
  }
  restore(s: { regs: Fx80[]; top: number; valid: number }): void {
    s.regs.forEach((v, p) => this.writePhys(p, v));
    this.top = s.top;
    this.valid = s.valid;
  }

  /** The full 16-bit tag word fnstenv stores: 00 valid, 01 zero, 10 special, 11 empty. */
  tagWord(): number {
    let w = 0;
    const valid = this.valid;
    for (let p = 0; p < 8; p++) {
      let t = 3;
      if ((valid >> p) & 1) {
        const v = this.readPhys(p);
        const k = fx80Kind(v);
        t = k === Kind.Zero ? 1 : k === Kind.Finite && v.exp !== 0 ? 0 : 2;
      }
      w |= t << (2 * p);
    }
    return w;
  }
  setTagWord(w: number): void {
    let valid = 0;
    for (let p = 0; p < 8; p++) if (((w >> (2 * p)) & 3) !== 3) valid |= 1 << p;
    this.valid = valid;
  }
}
