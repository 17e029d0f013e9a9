/**
 * The guest CPU state block (`env`), as QEMU keeps CPUX86State: translated code loads guest
 * registers from it in the prologue and stores them back in the epilogue; helpers and the
 * system-call layer read and write it between TBs. Offsets are bytes from the block's base
 * (the host's ENV_BASE). Every general register slot is 8 bytes wide so that x86-64 fits the
 * same layout. The block lives in whatever memory the host gives (any EnvMemory), so the
 * frontend knows nothing of the host.
 *
 *   const cpu = new CpuState(hostMemory, ENV_BASE);   // a view: the host maps the block
 *   cpu.setReg(R_EAX, 4); cpu.eip = 0x8048000;
 */

export const R_EAX = 0;
export const R_ECX = 1;
export const R_EDX = 2;
export const R_EBX = 3;
export const R_ESP = 4;
export const R_EBP = 5;
export const R_ESI = 6;
export const R_EDI = 7;
export const GPR_NAMES_32 = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi'] as const;
/** x86-64's eight more general registers (REX.B/X/R), and the system-call ABI's. */
export const R_R8 = 8;
export const R_R9 = 9;
export const R_R10 = 10;
export const R_R11 = 11;

export const R_ES = 0;
export const R_CS = 1;
export const R_SS = 2;
export const R_DS = 3;
export const R_FS = 4;
export const R_GS = 5;

/** CpuState.segmentState's bits: %cs has a base, is 16-bit or has a limit, or %ss is 16-bit; a segment has bounds neither flat nor null; %es, %ss or %ds has a base. */
export const SEG_CODE = 1;
export const SEG_LIMITS = 2;
export const SEG_DATA = 4;
/** CpuState.segmentState's bit of segment register 0 (of 6) holding a null selector. */
export const SEG_NULL_SHIFT = 8;

/** EFLAGS bits. */
export const CF = 0x0001;
export const PF = 0x0004;
export const AF = 0x0010;
export const ZF = 0x0040;
export const SF = 0x0080;
export const TF = 0x0100;
export const IF = 0x0200;
export const DF = 0x0400;
export const OF = 0x0800;
export const NT = 0x4000;
export const ID = 0x200000;
export const AC = 0x40000;
/** The six arithmetic flags computed lazily through cc_op. */
export const CC_FLAGS = CF | PF | AF | ZF | SF | OF;

/** Byte offsets in env. */
export const ENV = {
  regs: 0, // 16 x 8 bytes
  eip: 128,
  /** EFLAGS bits other than the lazy arithmetic ones (DF lives here, as +1/-1 in df). */
  eflags: 136,
  ccOp: 144,
  ccSrc: 152,
  ccDst: 160,
  ccSrc2: 168,
  df: 176, // 1 or -1, as QEMU keeps it
  segBase: 184, // 6 x 8 bytes
  segSelector: 232, // 6 x 4 bytes
  exceptionIndex: 256,
  exceptionNext: 264, // guest pc after the trapping insn
  /** 1 while %cs is a 16-bit code segment (its descriptor's D bit clear: QEMU's HF_CS32 clear) */
  code16: 272,
  /**
   * The data-access bounds of the six segment registers (i386), 12 bytes each: the lowest valid
   * offset, the highest one inverted, and 1 for a segment that is not writable. Zeros are a flat
   * writable segment (what a process starts with); Dbt.segmentLimits turns checking on.
   */
  segBounds: 280,
  /**
   * CpuState.segmentState's SEG_* bits, summing segBase, code16, ss16 and segBounds: every CpuState
   * setter of those words recomputes it (translated code only reads them), and a copy of the
   * whole env (a guest thread switch, fork) carries it along. One word for the exec loop to read.
   */
  segState: 352,
  /** 1 while %ss is a 16-bit stack segment (its B bit clear: QEMU's HF_SS32 clear): stack accesses use SP */
  ss16: 360,
  /** x87: eight 16-byte slots holding 80-bit values, top-of-stack, status, control, tags. */
  fpRegs: 512,
  fpTop: 640,
  fpStatus: 644,
  fpControl: 648,
  fpTags: 652,
  fpIp: 656,
  fpDp: 660,
  fpOpcode: 664,
  mxcsr: 668,
  /** x87 FDS: the selector of the last memory operand's segment */
  fpDs: 672,
  /** the upper halves of x86-64's 64-bit FIP and FDP (fxsave64's) */
  fpIpHi: 676,
  fpDpHi: 680,
  /** x87 FCS: %cs of the last x87 instruction, or as fxrstor loaded it */
  fpCs: 684,
  xmm: 1024, // 16 x 16 bytes
  /** Scratch for helpers and spills. */
  scratch: 2048,
  size: 4096,
} as const;

/** Which offsets of a segment a data access may touch (lo..hi inclusive), and whether it may write. */
export interface SegmentBounds {
  lo: number;
  hi: number;
  readOnly: boolean;
}

/** A flat writable segment's bounds (Linux's user data segments, a null selector's as dbtlab keeps them). */
export const FLAT_BOUNDS: SegmentBounds = { lo: 0, hi: 0xffffffff, readOnly: false };

/**
 * A null selector's bounds in %ds/%es/%fs/%gs: no offset at all (every access is #GP(0)), told apart
 * from an unreadable code segment's empty bounds by the read-only flag: a process may hold a null
 * %fs it never uses without the checks (Dbt.segmentLimits) that a limited segment turns on.
 */
export const NULL_BOUNDS: SegmentBounds = { lo: 1, hi: 0, readOnly: true };

export const envRegOffset = (r: number): number => ENV.regs + 8 * r;

/** The memory the env block lives in (the host's), as 32-bit little-endian words. */
export interface EnvMemory {
  read32(addr: number): number;
  write32(addr: number, v: number): void;
  /**
   * Optional, for reads without a page lookup: the page holding addr as little-endian words,
   * valid until a hook given to onUnmap runs (HostMemory's page and onUnmap).
   */
  page?(addr: number): { readonly i32: Int32Array } | undefined;
  onUnmap?(hook: () => void): void;
}

/** The block fits one 4 KiB page when its base is page-aligned (the host's ENV_BASE is). */
const ENV_PAGE = 4096;

export class CpuState {
  constructor(
    readonly mem: EnvMemory,
    readonly base: number,
    /** The width of the guest's pcs: 32 (i386, eip; translated code writes the slot's low half) or 64 (x86-64, rip, all 8 bytes). */
    readonly pcBits: 32 | 64 = 32,
  ) {
    mem.onUnmap?.(() => {
      this.words = undefined;
    });
  }

  /**
   * env's page as words once fetched (null: the memory offers none). The exec loop reads eip,
   * EFLAGS and segment bases once per code-cache entry, and through read32 each read was a
   * page lookup with its protection checks (env is always mapped read+write).
   */
  private words: Int32Array | null | undefined = undefined;

  private rd32(off: number): number {
    const w = this.words === undefined ? this.envWords() : this.words;
    return w === null ? this.mem.read32(this.base + off) : w[off >> 2] >>> 0;
  }
  private envWords(): Int32Array | null {
    const page = this.base % ENV_PAGE === 0 && this.mem.page !== undefined && this.mem.onUnmap !== undefined ? this.mem.page(this.base) : undefined;
    return (this.words = page === undefined ? null : page.i32);
  }
  private wr32(off: number, v: number): void {
    // env slots are 8 bytes, kept sign-extended as a MIPS lw/sw pair sees them
    this.mem.write32(this.base + off, v >>> 0);
    this.mem.write32(this.base + off + 4, (v | 0) < 0 ? 0xffffffff : 0);
  }

  /** 32-bit register value, unsigned. */
  reg(r: number): number {
    return this.rd32(envRegOffset(r)) >>> 0;
  }
  setReg(r: number, v: number): void {
    this.wr32(envRegOffset(r), v);
  }
  /** Full 64-bit register value (x86-64 guests) as a bigint. */
  reg64(r: number): bigint {
    const off = this.base + envRegOffset(r);
    return (BigInt(this.mem.read32(off + 4) >>> 0) << 32n) | BigInt(this.mem.read32(off) >>> 0);
  }
  /** Sets a 64-bit register (x86-64 guests): v is taken modulo 2^64 (a negative number is two's complement). */
  setReg64(r: number, v: bigint | number): void {
    const b = BigInt.asUintN(64, BigInt(v));
    const off = this.base + envRegOffset(r);
    this.mem.write32(off, Number(b & 0xffffffffn));
    this.mem.write32(off + 4, Number(b >> 32n));
  }
  /** A pc slot: eip's 32 bits, or rip's 64 (a number; exact below 2^53, which holds every user address). */
  private rdPc(off: number): number {
    const lo = this.rd32(off) >>> 0;
    return this.pcBits === 32 ? lo : (this.rd32(off + 4) >>> 0) * 0x1_0000_0000 + lo;
  }
  private wrPc(off: number, v: number): void {
    if (this.pcBits === 32) this.wr32(off, v);
    else {
      // two's complement halves of an integer (a pc that wrapped below 0 is one near 2^64)
      this.mem.write32(this.base + off, v >>> 0);
      this.mem.write32(this.base + off + 4, Math.floor(v / 0x1_0000_0000) >>> 0);
    }
  }
  get eip(): number {
    return this.rdPc(ENV.eip);
  }
  set eip(v: number) {
    this.wrPc(ENV.eip, v);
  }
  /** rip exactly, as a bigint: a kernel-half address (the vsyscall page's 0xffffffffff600400) is beyond a number's precision. */
  get rip(): bigint {
    return BigInt.asUintN(64, (BigInt(this.rd32(ENV.eip + 4)) << 32n) | BigInt(this.rd32(ENV.eip) >>> 0));
  }
  set rip(v: bigint) {
    const b = BigInt.asUintN(64, v);
    this.mem.write32(this.base + ENV.eip, Number(b & 0xffffffffn));
    this.mem.write32(this.base + ENV.eip + 4, Number(b >> 32n));
  }
  get ccOp(): number {
    return this.rd32(ENV.ccOp);
  }
  set ccOp(v: number) {
    this.wr32(ENV.ccOp, v);
  }
  get ccSrc(): number {
    return this.rd32(ENV.ccSrc) >>> 0;
  }
  set ccSrc(v: number) {
    this.wr32(ENV.ccSrc, v);
  }
  get ccDst(): number {
    return this.rd32(ENV.ccDst) >>> 0;
  }
  set ccDst(v: number) {
    this.wr32(ENV.ccDst, v);
  }
  get ccSrc2(): number {
    return this.rd32(ENV.ccSrc2) >>> 0;
  }
  set ccSrc2(v: number) {
    this.wr32(ENV.ccSrc2, v);
  }
  /** Non-arithmetic EFLAGS bits (IF, DF as a bit, ID, AC, ...). */
  get eflagsRest(): number {
    return this.rd32(ENV.eflags) >>> 0;
  }
  set eflagsRest(v: number) {
    this.wr32(ENV.eflags, v);
  }
  get df(): number {
    return this.rd32(ENV.df) | 0;
  }
  set df(v: number) {
    this.wr32(ENV.df, v);
  }
  /** %cs is a 16-bit code segment: 16-bit default operand and address size. */
  get code16(): boolean {
    return this.rd32(ENV.code16) !== 0;
  }
  set code16(v: boolean) {
    this.wr32(ENV.code16, v ? 1 : 0);
    this.sumSegments();
  }
  /** %ss is a 16-bit stack segment: push/pop/call/ret... address and update SP only. */
  get ss16(): boolean {
    return this.rd32(ENV.ss16) !== 0;
  }
  set ss16(v: boolean) {
    this.wr32(ENV.ss16, v ? 1 : 0);
    this.sumSegments();
  }
  /** seg's data-access bounds (ENV.segBounds): offsets lo..hi, writable or not. */
  segBounds(seg: number): SegmentBounds {
    const off = ENV.segBounds + 12 * seg;
    return { lo: this.rd32(off) >>> 0, hi: ~this.rd32(off + 4) >>> 0, readOnly: this.rd32(off + 8) !== 0 };
  }
  /**
   * What of the i386 segment state is not flat, as SEG_* bits, and the segment registers holding a
   * null selector (NULL_BOUNDS) as a mask from bit SEG_NULL_SHIFT (0: flat, no null one). The exec
   * loop asks at every code-cache entry: one word (ENV.segState).
   */
  segmentState(): number {
    return this.rd32(ENV.segState);
  }
  /** Recomputes ENV.segState after a write to a word it sums. */
  private sumSegments(): void {
    let limited = 0;
    let nulls = 0;
    for (let seg = 0; seg < 6; seg++) {
      const off = ENV.segBounds + 12 * seg;
      if (this.nullBoundsAt(off)) nulls |= 1 << seg;
      else limited |= this.rd32(off) | this.rd32(off + 4) | this.rd32(off + 8);
    }
    const state =
      // (%cs's highest offset, inverted: not 0 for a limited one; a 16-bit %ss too is matched by lookups)
      ((this.segBase(R_CS) | this.rd32(ENV.code16) | this.rd32(ENV.ss16) | this.rd32(ENV.segBounds + 12 * R_CS + 4)) !== 0 ? SEG_CODE : 0) |
      (limited !== 0 ? SEG_LIMITS : 0) |
      ((this.segBase(R_ES) | this.segBase(R_SS) | this.segBase(R_DS)) !== 0 ? SEG_DATA : 0) |
      (nulls << SEG_NULL_SHIFT);
    this.wr32(ENV.segState, state);
  }
  private nullBoundsAt(off: number): boolean {
    return this.rd32(off) === 1 && this.rd32(off + 4) >>> 0 === 0xffffffff && this.rd32(off + 8) === 1;
  }
  setSegBounds(seg: number, b: SegmentBounds): void {
    // 32-bit words packed three to a segment: wr32's sign-extending upper half would overwrite the next
    const at = this.base + ENV.segBounds + 12 * seg;
    this.mem.write32(at, b.lo >>> 0);
    this.mem.write32(at + 4, ~b.hi >>> 0);
    this.mem.write32(at + 8, b.readOnly ? 1 : 0);
    this.sumSegments();
  }
  segBase(seg: number): number {
    return this.rd32(ENV.segBase + 8 * seg) >>> 0;
  }
  /** A 64-bit segment base (x86-64's %fs/%gs, arch_prctl), zero-extended from a number below 2^53. */
  setSegBase64(seg: number, base: number): void {
    this.mem.write32(this.base + ENV.segBase + 8 * seg, base % 0x100000000);
    this.mem.write32(this.base + ENV.segBase + 8 * seg + 4, Math.floor(base / 0x100000000));
    this.sumSegments();
  }
  segBase64(seg: number): number {
    const off = this.base + ENV.segBase + 8 * seg;
    return (this.mem.read32(off + 4) >>> 0) * 0x100000000 + (this.mem.read32(off) >>> 0);
  }
  setSegBase(seg: number, base: number): void {
    this.wr32(ENV.segBase + 8 * seg, base);
    this.sumSegments();
  }
  segSelector(seg: number): number {
    return this.mem.read32(this.base + ENV.segSelector + 4 * seg) & 0xffff;
  }
  setSegSelector(seg: number, sel: number): void {
    this.mem.write32(this.base + ENV.segSelector + 4 * seg, sel & 0xffff);
  }
  get exceptionIndex(): number {
    return this.rd32(ENV.exceptionIndex);
  }
  set exceptionIndex(v: number) {
    this.wr32(ENV.exceptionIndex, v);
  }
  get exceptionNext(): number {
    return this.rdPc(ENV.exceptionNext);
  }
  set exceptionNext(v: number) {
    this.wrPc(ENV.exceptionNext, v);
  }
}
