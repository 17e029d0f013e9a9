/**
 * GenContext: the state of translating one TB (QEMU's DisasContext) and the operand-level
 * building blocks every instruction emitter uses: guest register and memory access, lazy
 * flags, conditions, helper calls and out-of-line stubs.
 *
 * Value conventions in host registers: a 32-bit guest value is kept sign-extended (the MIPS64
 * canonical form of a 32-bit result), an 8- or 16-bit value zero-extended.
 *
 * Precise faults: an emitter performs every guest-memory store of an instruction before it
 * writes any guest register or the flags, so a store that faults (SMC, SIGSEGV) can restart
 * the instruction from the state recorded for its first host word.
 */
import { Assembler, Label, REG, REGION } from '@dbtlab/mips-host';
import { ENV, envRegOffset, formatAtt, type DecodedInsn, type Operand } from '@dbtlab/x86-frontend';
import { CC, ccBits, ccKind, ccOpOf, SSE_UNALIGNED_OPS, type CcKind, type CpuModel } from '@dbtlab/x86-semantics';
import type { HelperAddrs, SharedCode } from './helpers';
import {
  CC_DST_REG,
  CC_REGS,
  CC_SRC2_REG,
  CC_SRC_REG,
  ENV_REG,
  GUEST_BASE_REG,
  GUEST_REG_HOST,
  GUEST_REG_HOST_64,
  SCRATCH_REGS,
  SCRATCH_REGS_64,
} from './reg-map';
import type { SyscallStrategy } from './syscall-hook';
import { sequenceMoves } from './parallel-move';
import { EXCP } from './excp';

/** cc_op not known at translation time: it is in env (QEMU's CC_OP_DYNAMIC). */
export const CC_OP_DYNAMIC = -1;

export interface TranslateOptions {
  /** goto_tb slots and lookup_and_goto_ptr (QEMU); off: every TB exit returns to the loop. */
  chaining: boolean;
  /** TB instruction limit (QEMU: TCG_MAX_INSNS, or 1 when restarting after SMC). */
  maxInsns: number;
  syscall: SyscallStrategy;
  helpers: HelperAddrs;
  shared: SharedCode;
  /** Index of the TB being translated: exit values carry it back to the exec loop. */
  tbIndex: number;
  /** Guest pc of the TB's first instruction. */
  tbPc: number;
  /** The CPU model: an instruction of an extension it lacks raises #UD. */
  cpu: CpuModel;
  /** Guest width: 32 (i386) or 64 (x86-64 long mode, 16 registers of 64 bits). */
  mode: 32 | 64;
  /**
   * i386: every segment's base is added to every address (QEMU's HF_ADDSEG), set once the guest
   * loaded %es, %ss or %ds with a based descriptor; otherwise only %fs and %gs carry one (Linux's
   * flat user segments).
   */
  segmented?: boolean;
  /**
   * i386: the code segment the TB runs in (QEMU's cs_base and HF_CS32): pcs are offsets in it,
   * its code is read at base + pc, and a 16-bit one (its D bit clear) defaults to 16-bit operand
   * and address size; `limit` its highest offset (a near branch past it is #GP at the branch);
   * `ss16`: %ss is a 16-bit stack segment (implicit stack accesses address and update SP only).
   */
  code?: { base: number; bits16: boolean; limit?: number; ss16?: boolean };
  /**
   * i386: every data access is checked against its segment's bounds (ENV.segBounds: the limit,
   * expand-down, read-only), #GP or #SS where the CPU gives them; set once the process has loaded
   * a segment that is not flat (Dbt.segmentLimits), so flat programs carry no check.
   */
  segmentLimits?: boolean;
  /**
   * EFLAGS.AC was set when the TB was made (a TB flag: AC changes only through popf, iret and
   * sigreturn, which end the TB): every data access is checked for alignment (#AC, SIGBUS
   * BUS_ADRALN), as the CPU does at CPL 3 with Linux's CR0.AM set.
   */
  alignCheck?: boolean;
  /** i386: where a 32-bit `syscall` returns when nothing moves it (GuestOs.fastSyscallReturn). */
  fastSyscallReturn?: number;
}

/**
 * The alignment #AC requires of an access of `bytes` (measured natively on Zen 4): its own size
 * up to 8, 8 for an x87 m80, 16 for a 16-byte SSE operand; 4 for the larger x87/FXSAVE areas
 * and 6-byte far pointers; none for a byte.
 */
export function alignmentOf(bytes: number): number {
  if (bytes <= 1) return 1;
  if (bytes === 2 || bytes === 4 || bytes === 8 || bytes === 16) return bytes;
  return bytes === 10 ? 8 : 4;
}

/**
 * A 16-byte operand the form requires aligned, #GP otherwise (the legacy SSE forms but the unaligned
 * ones, cmpxchg16b): that #GP comes before #AC (measured natively: movaps, addps, movntdq and
 * cmpxchg16b give #GP, never #AC, at every misaligned offset with AC set), which then has nothing to check.
 */
function misalignedIsGp(insn: DecodedInsn, m: Operand & { kind: 'mem' }): boolean {
  return m.size === 128 && !insn.row.vex && !SSE_UNALIGNED_OPS.has(insn.op);
}

/** Host word offset -> guest state, for restoring a precise state mid-TB (encode_search). */
export interface SearchEntry {
  hostOffset: number;
  guestPc: number;
  ccOp: number;
}

/** A goto_tb exit: the slot's `j` is patched to chain, the stub writes eip and leaves. */
export interface ExitSlot {
  index: number;
  slotWord: number;
  stubWord: number;
  /** Where the stub loads its exit value (tbIndex << 2 | index): the only TB-index-dependent words. */
  valueWord: number;
  targetPc: number;
}

export const TB_EXIT_NOCHAIN = 2;

export class GenContext {
  readonly asm: Assembler;
  ccOp = CC_OP_DYNAMIC;
  insn!: DecodedInsn;
  /** Next guest pc after the current instruction. */
  nextPc = 0;
  readonly exits: ExitSlot[] = [];
  readonly search: SearchEntry[] = [];
  private readonly stubs: (() => void)[] = [];
  private tmpNext = 0;
  private memAddrReg = -1;
  /** i386: the segment registers this TB's data accesses go through, 1 << seg each. */
  segmentsUsed = 0;
  /** The segment of the memory operand at memAddrReg, while its stores still need the write check. */
  private memWriteSeg = -1;
  /** x86-64: registers hold 64-bit values; 32-bit writes zero-extend (see the value conventions). */
  readonly mode64: boolean;
  private readonly regHost: readonly number[];
  private readonly scratch: readonly number[];

  constructor(
    origin: number,
    readonly opts: TranslateOptions,
  ) {
    this.asm = new Assembler(origin);
    this.mode64 = opts.mode === 64;
    this.regHost = this.mode64 ? GUEST_REG_HOST_64 : GUEST_REG_HOST;
    this.scratch = this.mode64 ? SCRATCH_REGS_64 : SCRATCH_REGS;
  }

  /** Called before each guest instruction (insn_start): records the search-table entry. */
  insnStart(insn: DecodedInsn): void {
    this.insn = insn;
    this.insnStartAt(insn.addr, insn.length);
  }

  /** insn_start for an instruction that has no IR1 (an undefined opcode). */
  insnStartAt(addr: number, length: number): void {
    this.nextPc = this.guestPc(addr + length);
    this.tmpNext = 0;
    this.memAddrReg = -1;
    this.memWriteSeg = -1;
    this.search.push({ hostOffset: this.asm.offset, guestPc: addr, ccOp: this.ccOp });
  }

  /** A scratch register, free until the next instruction starts. */
  tmp(): number {
    if (this.tmpNext >= this.scratch.length) throw this.unsupported('out of scratch registers');
    return this.scratch[this.tmpNext++];
  }

  /** The instruction is complete: its scratch registers are free for what follows it (a TB-end jump, the stubs). */
  freeScratch(): void {
    this.tmpNext = 0;
    this.memAddrReg = -1;
  }

  /** Runs `emit`; the scratch registers it takes are free again after it (code in a loop). */
  scratchScope(emit: () => void): void {
    const mark = this.tmpNext;
    emit();
    this.tmpNext = mark;
  }

  /** Code emitted after the TB body (cold paths: exception raising, exit stubs). */
  stub(emit: () => void): Label {
    const l = this.asm.newLabel();
    this.stubs.push(() => {
      this.asm.bind(l);
      emit();
    });
    return l;
  }

  /**
   * A rare case of the current instruction out of line (after the TB body), returning to
   * `resume`: `emit` runs at stub time as if here (instruction, cc_op, scratch registers taken
   * so far), under a search entry of its own so a helper faulting there restores this
   * instruction's state.
   */
  slowPath(resume: Label, emit: () => void): Label {
    const insn = this.insn;
    const ccOp = this.ccOp;
    const nextPc = this.nextPc;
    const tmpMark = this.tmpNext;
    return this.stub(() =>
      this.withRegion(REGION.tb_body, () => {
        const saved = [this.insn, this.ccOp, this.nextPc, this.tmpNext, this.memAddrReg] as const;
        [this.insn, this.ccOp, this.nextPc, this.tmpNext, this.memAddrReg] = [insn, ccOp, nextPc, tmpMark, -1];
        this.search.push({ hostOffset: this.asm.offset, guestPc: insn.addr, ccOp });
        emit();
        this.asm.beq(REG.zero, REG.zero, resume);
        this.asm.nop(); // delay slot
        [this.insn, this.ccOp, this.nextPc, this.tmpNext, this.memAddrReg] = saved;
      }),
    );
  }

  flushStubs(): void {
    const prev = this.asm.region;
    for (let i = 0; i < this.stubs.length; i++) this.stubs[i]();
    this.stubs.length = 0;
    this.asm.region = prev;
  }

  withRegion(region: number, emit: () => void): void {
    const prev = this.asm.region;
    this.asm.region = region;
    emit();
    this.asm.region = prev;
  }

  // ---- constants and moves ------------------------------------------------------------

  /** A register holding the 32-bit constant v (sign-extended); $zero for 0. */
  constReg(v: number): number {
    if ((v | 0) === 0) return REG.zero;
    const t = this.tmp();
    this.asm.li(t, v | 0);
    return t;
  }

  /** A register holding guest address `pc` as the guest sees it: whole in 64-bit mode (a return address, %rcx after syscall, rip). */
  addressReg(pc: number): number {
    return this.mode64 ? this.constReg64(pc >>> 0, Math.floor(pc / 0x1_0000_0000) >>> 0) : this.constReg(pc);
  }

  /** A guest pc after arithmetic: eip wraps at 4 GiB; rip is taken whole (a TB never has one outside the 47-bit space). */
  guestPc(v: number): number {
    return this.mode64 ? v : v >>> 0;
  }

  /** Stores register `r` holding a guest pc into env's pc slot `off`: eip's low word (sw), or rip's 8 bytes (sd). */
  storePcReg(r: number, off: number = ENV.eip): void {
    if (this.mode64) this.asm.sd(r, off, ENV_REG);
    else this.asm.sw(r, off, ENV_REG);
  }

  /** A register holding the 64-bit constant lo + hi * 2^32 (hi, lo unsigned 32-bit halves). */
  constReg64(lo: number, hi: number): number {
    const t = this.tmp();
    if (hi === 0 || (hi === 0xffffffff && lo >= 0x80000000)) this.asm.li(t, hi === 0 ? lo >>> 0 : lo | 0);
    else if (hi < 0x200000) this.asm.li(t, hi * 0x1_0000_0000 + lo);
    else {
      this.asm.li(t, hi | 0);
      this.asm.dsll32(t, t, 0);
      if (lo !== 0) {
        const u = this.tmp();
        this.asm.li(u, lo | 0);
        this.asm.dext(u, u, 0, 32);
        this.asm.or(t, t, u);
      }
    }
    return t;
  }

  move(dst: number, src: number): void {
    if (dst !== src) this.asm.move(dst, src);
  }

  // ---- guest registers ----------------------------------------------------------------

  /**
   * Host register holding guest register r, valid to read and to write in place: as a
   * 32-bit value in i386 mode, as the full 64-bit register in x86-64 mode.
   */
  gpr(r: number): number {
    return this.regHost[r];
  }

  readReg(op: Operand & { kind: 'reg' }, into?: number): number {
    if (op.file !== 'gpr') throw this.unsupported(`register file ${op.file}`);
    const h = this.regHost[op.reg];
    if (op.size === 64 || (op.size === 32 && !this.mode64)) {
      if (into === undefined) return h;
      this.move(into, h);
      return into;
    }
    const t = into ?? this.tmp();
    // x86-64: the low half of a 64-bit register, in the 32-bit (sign-extended) convention
    if (op.size === 32) this.asm.sll(t, h, 0);
    else this.asm.ext(t, h, op.high8 ? 8 : 0, op.size === 8 ? 8 : 16);
    return t;
  }

  writeReg(op: Operand & { kind: 'reg' }, v: number): void {
    if (op.file !== 'gpr') throw this.unsupported(`register file ${op.file}`);
    const h = this.regHost[op.reg];
    if (op.size === 64 || (op.size === 32 && !this.mode64)) this.move(h, v);
    // x86-64: a 32-bit write zero-extends into the whole register; 8/16-bit writes keep bits 63..16
    else if (op.size === 32) this.asm.dext(h, v, 0, 32);
    else if (this.mode64) this.asm.dins(h, v, op.high8 ? 8 : 0, op.size === 8 ? 8 : 16);
    else this.asm.ins(h, v, op.high8 ? 8 : 0, op.size === 8 ? 8 : 16);
  }

  /** Writes guest register r (x86 order) with `bits` of v. */
  writeGpr(r: number, v: number, bits: number): void {
    this.writeReg({ kind: 'reg', file: 'gpr', reg: r, size: bits }, v);
  }

  // ---- guest memory -------------------------------------------------------------------

  /**
   * The 32-bit effective address (segment base included unless `segment` is false: lea) of a memory operand; 64-bit in x86-64
   * mode. It costs one scratch register whatever its form: a large displacement and a segment
   * base pass through $at (x86-64 has only six scratch registers). i386 with segment limits: the
   * operand's `bytes` are checked against its segment (an area without a size: its caller gives
   * them), and with `write` the segment's writability too (for stores that bypass `store`).
   */
  effectiveAddress(m: Operand & { kind: 'mem' }, segment = true, bytes = m.size / 8, write = false): number {
    if (this.mode64) return this.effectiveAddress64(m, segment);
    const a = this.asm;
    let r: number = REG.zero;
    const t = this.tmp();
    if (m.index >= 0) {
      const shift = [0, 0, 1, 0, 2, 0, 0, 0, 3][m.scale];
      if (shift) a.sll(t, GUEST_REG_HOST[m.index], shift);
      else a.move(t, GUEST_REG_HOST[m.index]);
      if (m.base >= 0) a.addu(t, t, GUEST_REG_HOST[m.base]);
      r = t;
    } else if (m.base >= 0) {
      r = GUEST_REG_HOST[m.base];
    }
    const disp = m.disp | 0;
    if (disp !== 0) {
      if (disp >= -32768 && disp < 32768) a.addiu(t, r, disp);
      else {
        a.li(REG.at, disp);
        a.addu(t, r, REG.at);
      }
      r = t;
    }
    if (this.insn.addrSize === 16) {
      a.andi(t, r, 0xffff);
      r = t;
    }
    if (segment) return this.segmentAddress(m.seg, r, t, bytes, m.size && !misalignedIsGp(this.insn, m) ? m.size / 8 : 0, write);
    if (r === REG.zero) a.move(t, REG.zero);
    else if (r !== t) return r;
    return t;
  }

  /**
   * i386: the linear address of offset `r` in segment `seg` (in r itself while flat, else in t):
   * with segment limits, offsets r..r+bytes-1 checked against seg's bounds (with `write`, its
   * writability too); with alignment checks, the address checked for an access of `align` bytes.
   */
  segmentAddress(seg: number, r: number, t: number, bytes: number, align = bytes, write = false): number {
    const a = this.asm;
    this.segmentsUsed |= 1 << seg;
    if (bytes) this.checkSegment(seg, r, bytes, write);
    if (this.addsSegBase(seg)) {
      a.lw(REG.at, ENV.segBase + 8 * seg, ENV_REG);
      a.addu(t, r, REG.at);
      r = t;
    }
    if (align) this.checkAlign(r, align);
    if (r === REG.zero) a.move(t, REG.zero);
    else if (r !== t) return r;
    return t;
  }

  /**
   * x86-64: base + index * scale + disp (rip-relative: the next instruction's address + disp),
   * 64-bit arithmetic, truncated to 32 bits under an address-size prefix; %fs/%gs add their base.
   */
  private effectiveAddress64(m: Operand & { kind: 'mem' }, segment: boolean): number {
    const a = this.asm;
    let tReg = -1;
    // the result register only when one is needed: base-only operands use the guest register
    const tmpOnce = () => (tReg >= 0 ? tReg : (tReg = this.tmp()));
    let r: number = REG.zero;
    const disp = m.disp | 0;
    if (m.ripRelative) {
      const t = tmpOnce();
      a.li(t, this.nextPc + disp);
      r = t;
    } else {
      if (m.index >= 0) {
        const t = tmpOnce();
        const shift = [0, 0, 1, 0, 2, 0, 0, 0, 3][m.scale];
        if (shift) a.dsll(t, this.regHost[m.index], shift);
        else a.move(t, this.regHost[m.index]);
        if (m.base >= 0) a.daddu(t, t, this.regHost[m.base]);
        r = t;
      } else if (m.base >= 0) r = this.regHost[m.base];
      if (disp !== 0) {
        const t = tmpOnce();
        if (disp >= -32768 && disp < 32768) a.daddiu(t, r, disp);
        else {
          a.li(REG.at, disp);
          a.daddu(t, r, REG.at);
        }
        r = t;
      }
    }
    if (this.insn.addrSize === 32) {
      const t = tmpOnce();
      a.dext(t, r, 0, 32);
      r = t;
    }
    if (segment && (m.seg === 4 || m.seg === 5)) {
      const t = tmpOnce();
      a.ld(REG.at, ENV.segBase + 8 * m.seg, ENV_REG);
      a.daddu(t, r, REG.at);
      r = t;
    }
    if (segment && m.size && !misalignedIsGp(this.insn, m)) this.checkAlign(r, m.size / 8);
    if (r === REG.zero) {
      const t = tmpOnce();
      a.move(t, REG.zero);
      return t;
    }
    return r;
  }

  /**
   * i386 with segment limits (TranslateOptions.segmentLimits): #GP (#SS for %ss) at this
   * instruction unless offsets off..off+bytes-1 of register `r` (+ `delta`, 32-bit wrap) lie in seg's
   * bounds; with `write`, also unless seg is writable. The check reads the bounds from env, so
   * segments loaded later need no new translation. Uses $at and $k1 (free in i386 code) only.
   */
  checkSegment(seg: number, r: number, bytes: number, write = false, delta = 0): void {
    this.segmentsUsed |= 1 << seg;
    if (!this.opts.segmentLimits || this.mode64) return;
    const a = this.asm;
    const fault = this.segmentFaultStub(seg);
    const off = ENV.segBounds + 12 * seg;
    // a 16-bit %ss's offsets are SP's (TranslateOptions.code.ss16)
    const offsetOf = (from: number): void => (seg === 2 && this.opts.code?.ss16 ? a.andi(REG.k1, from, 0xffff) : a.dext(REG.k1, from, 0, 32));
    if (delta) {
      a.addiu(REG.k1, r, delta);
      offsetOf(REG.k1);
    } else offsetOf(r);
    a.lwu(REG.at, off, ENV_REG);
    a.sltu(REG.at, REG.k1, REG.at);
    a.bne(REG.at, REG.zero, fault);
    a.daddiu(REG.k1, REG.k1, bytes - 1); // delay slot: the last byte's offset, without wrapping
    a.lw(REG.at, off + 4, ENV_REG); // the highest offset, inverted
    a.nor(REG.at, REG.at, REG.zero);
    a.dext(REG.at, REG.at, 0, 32);
    a.sltu(REG.at, REG.at, REG.k1);
    a.bne(REG.at, REG.zero, fault);
    a.nop(); // delay slot
    if (write) this.checkWritable(seg, fault);
  }

  /**
   * With alignment checks (TranslateOptions.alignCheck): #AC at this instruction unless register
   * `r` (a guest address, or its host address: the window's base is page-aligned) + off is
   * aligned for an access of `bytes` (alignmentOf).
   */
  checkAlign(r: number, bytes: number, off = 0): void {
    const align = alignmentOf(bytes);
    if (!this.opts.alignCheck || align === 1) return;
    if (off % align) {
      this.asm.addiu(REG.at, r, off);
      this.asm.andi(REG.at, REG.at, align - 1);
    } else this.asm.andi(REG.at, r, align - 1);
    this.asm.bne(REG.at, REG.zero, this.exceptionStub(EXCP.AC));
    this.asm.nop(); // delay slot
  }

  /**
   * i386 in a code segment with a limit (TranslateOptions.code; a TB is looked up for its %cs's
   * limit, so it is a constant here): the highest offset a near branch may reach, else undefined.
   */
  get codeLimit(): number | undefined {
    const limit = this.opts.code?.limit;
    return this.mode64 || limit === undefined || limit === 0xffffffff ? undefined : limit;
  }

  /**
   * #GP(0) at this instruction (before anything it does) unless register `t`, a near branch's
   * 32-bit target, is within %cs's limit (codeLimit). Uses $at and $k1 only.
   */
  checkCodeTarget(t: number): void {
    const limit = this.codeLimit;
    if (limit === undefined) return;
    const a = this.asm;
    a.dext(REG.k1, t, 0, 32);
    a.li(REG.at, limit | 0);
    if (limit > 0x7fffffff) a.dext(REG.at, REG.at, 0, 32);
    a.sltu(REG.at, REG.at, REG.k1);
    a.bne(REG.at, REG.zero, this.exceptionStub(EXCP.GPF));
    a.nop(); // delay slot
  }

  /** Raises #GP(0) at this instruction: a near branch whose target (known here) is past %cs's limit. */
  raiseBranchPastLimit(): void {
    const pc = this.insn.addr;
    this.withRegion(REGION.exit_stub, () => this.raise(this.opts.helpers.raiseException, EXCP.GPF, pc, pc));
  }

  /** A direct near branch's target `to` is past %cs's limit (codeLimit). */
  pastCodeLimit(to: number): boolean {
    const limit = this.codeLimit;
    return limit !== undefined && to > limit;
  }

  /** #GP unless seg is writable (a code segment never is). */
  private checkWritable(seg: number, fault = this.segmentFaultStub(seg)): void {
    if (seg === 1) {
      this.asm.beq(REG.zero, REG.zero, fault);
      this.asm.nop(); // delay slot
      return;
    }
    this.asm.lw(REG.at, ENV.segBounds + 12 * seg + 8, ENV_REG);
    this.asm.bne(REG.at, REG.zero, fault);
    this.asm.nop(); // delay slot
  }

  /** A stub raising the limit fault of `seg` at this instruction: #SS for %ss, #GP(0) otherwise. */
  private segmentFaultStub(seg: number): Label {
    return this.exceptionStub(seg === 2 ? EXCP.STACK : EXCP.GPF);
  }

  /** A stub raising exception `excp` at this instruction, state precise (registers and flags as before it). */
  private exceptionStub(excp: number): Label {
    const pc = this.insn.addr;
    // its register for eip is scratch of the instruction the stubs follow: handed back
    return this.raisingStub(() => this.scratchScope(() => this.raise(this.opts.helpers.raiseException, excp, pc, pc)));
  }

  /**
   * An exit stub emitted after the TB's body that raises from this instruction: `body` runs with the
   * lazy-flags state of this point (the stub's code saves the guest state as it was here), and the
   * state the body leaves is put back for the instructions that follow in emission order.
   */
  private raisingStub(body: () => void): Label {
    const ccOp = this.ccOp;
    return this.stub(() =>
      this.withRegion(REGION.exit_stub, () => {
        const after = this.ccOp;
        this.ccOp = ccOp;
        body();
        this.ccOp = after;
      }),
    );
  }

  /** i386: whether addresses through `seg` add its base (%fs/%gs always, the rest in a segmented TB). */
  addsSegBase(seg: number): boolean {
    return seg === 4 || seg === 5 || (this.opts.segmented === true && !this.mode64);
  }

  /** True when r is one of this instruction's scratch registers (free to overwrite). */
  isScratch(r: number): boolean {
    return this.scratch.includes(r);
  }

  /** Makes register `ea` (a guest address) the instruction's memory operand address. */
  presetHostAddress(ea: number): void {
    this.memAddrReg = this.guestToHost(ea);
  }

  /** Host address of a memory operand (guestToHost). Computed once per instruction. */
  hostAddress(m: Operand & { kind: 'mem' }): number {
    if (this.memAddrReg >= 0) return this.memAddrReg;
    if (this.opts.segmentLimits && !this.mode64) this.memWriteSeg = m.seg;
    this.memAddrReg = this.guestToHost(this.effectiveAddress(m));
    return this.memAddrReg;
  }

  /**
   * Host address of guest address register `ea`, in a scratch register: GUEST_BASE_REG +
   * zext32(ea) for i386 (addresses wrap modulo 2^32); for x86-64, GUEST_BASE_REG + ea with ea
   * inside the 47-bit user space (Linux's TASK_SIZE): any other address (the upper half, a
   * non-canonical one) raises SIGSEGV through a stub.
   */
  guestToHost(ea: number): number {
    const a = this.asm;
    if (this.mode64) {
      // the address is this instruction's own scratch value: reuse its register
      const t = this.isScratch(ea) ? ea : this.tmp();
      a.dsrl32(REG.at, ea, 15);
      a.bne(REG.at, REG.zero, this.segvStub(ea, t === ea));
      a.daddu(t, ea, GUEST_BASE_REG); // delay slot (the stub takes GUEST_BASE_REG back off ea)
      return t;
    }
    const t = this.tmp();
    a.dext(t, ea, 0, 32);
    a.daddu(t, t, GUEST_BASE_REG);
    return t;
  }

  /** x86-64: SIGSEGV unless guest address register `ea` is in the 47-bit user space (for helpers that take guest addresses); ea unchanged. */
  checkGuestAddress(ea: number): void {
    if (!this.mode64) return;
    this.asm.dsrl32(REG.at, ea, 15);
    this.asm.bne(REG.at, REG.zero, this.segvStub(ea));
    this.asm.nop(); // delay slot
  }

  /**
   * Moves values into helper argument registers as one parallel move: a register still to be
   * read is never overwritten first (x86-64 hands out a0..a3 as scratch registers).
   */
  moveArgs(moves: [to: number, from: number][]): void {
    for (let i = 0; i < moves.length; i++) {
      const [to] = moves[i];
      if (moves.slice(i + 1).some(([, from]) => from === to)) {
        this.asm.move(REG.at, to);
        for (const m of moves.slice(i + 1)) if (m[1] === to) m[1] = REG.at;
      }
      this.move(to, moves[i][1]);
    }
  }

  /**
   * A stub raising SIGSEGV (SEGV_MAPERR) for guest address register `ea` at this instruction,
   * state precise; `biased`: ea holds the address plus GUEST_BASE_REG.
   */
  segvStub(ea: number, biased = false): Label {
    return this.faultStub(this.opts.helpers.raiseSegv, ea, biased);
  }

  /**
   * A stub for an indirect branch target (register t) outside the 47-bit user space, after the
   * branch moved rsp by spDelta: raise_branch_fault (helpers.ts) decides fetch fault or #GP.
   */
  branchFaultStub(t: number, spDelta: number): Label {
    return this.faultStub(this.opts.helpers.raiseBranchFault, t, false, spDelta);
  }

  /** A stub calling a raising helper with a0 = register `v` (less GUEST_BASE_REG if biased) and a1 = a1. */
  private faultStub(helper: number, v: number, biased: boolean, a1?: number): Label {
    const pc = this.insn.addr;
    return this.raisingStub(() => {
      if (biased) this.asm.dsubu(REG.v1, v, GUEST_BASE_REG);
      else this.move(REG.v1, v);
      this.contextSave();
      this.asm.li(REG.at, this.mode64 ? pc : pc | 0);
      this.storePcReg(REG.at);
      this.move(REG.a0, REG.v1);
      if (a1 !== undefined) this.asm.li(REG.a1, a1);
      this.asm.li(REG.v0, helper);
      this.asm.jalr(REG.ra, REG.v0);
      this.asm.nop(); // delay slot; the helper does not return
    });
  }

  /** Loads `bits` from host address reg `a` + off: 8/16 zero-extended, 32 sign-extended. Unaligned-safe. */
  load(bits: number, a: number, off = 0, into?: number): number {
    const t = into ?? this.tmp();
    const asm = this.asm;
    if (bits === 8) asm.lbu(t, off, a);
    else if (bits === 16) {
      asm.lbu(t, off, a);
      asm.lbu(REG.at, off + 1, a);
      asm.ins(t, REG.at, 8, 8);
    } else if (bits === 32) {
      asm.lwr(t, off, a);
      asm.lwl(t, off + 3, a);
    } else if (bits === 64) {
      asm.ldr(t, off, a);
      asm.ldl(t, off + 7, a);
    } else throw this.unsupported(`${bits}-bit load`);
    return t;
  }

  store(bits: number, v: number, a: number, off = 0): void {
    const asm = this.asm;
    if (this.memWriteSeg >= 0 && a === this.memAddrReg) {
      // the operand's first store: a read-only segment faults before anything is written
      this.checkWritable(this.memWriteSeg);
      this.memWriteSeg = -1;
    }
    if (bits === 8) asm.sb(v, off, a);
    else if (bits === 16) {
      asm.sb(v, off, a);
      asm.srl(REG.at, v, 8);
      asm.sb(REG.at, off + 1, a);
    } else if (bits === 32) {
      asm.swr(v, off, a);
      asm.swl(v, off + 3, a);
    } else if (bits === 64) {
      asm.sdr(v, off, a);
      asm.sdl(v, off + 7, a);
    } else throw this.unsupported(`${bits}-bit store`);
  }

  // ---- operands -----------------------------------------------------------------------

  /** Value of an operand in a register (see the value conventions above). */
  read(op: Operand, bits = this.insn.opSize): number {
    switch (op.kind) {
      case 'reg':
        return this.readReg(op);
      case 'mem':
        return this.load(op.size || bits, this.hostAddress(op));
      case 'imm': {
        if (bits === 64) return op.size === 64 ? this.constReg64(op.value, op.hi ?? 0) : this.constReg(op.value | 0);
        const v = bits === 32 ? op.value | 0 : op.value & ((1 << bits) - 1);
        return this.constReg(v);
      }
      default:
        throw this.unsupported(`operand ${op.kind}`);
    }
  }

  /**
   * The operand's value in a register this instruction may overwrite: the register read() gave
   * when it is already this instruction's own (a load, an extension, a constant), else a copy.
   */
  readOwned(op: Operand, bits = this.insn.opSize): number {
    const v = this.read(op, bits);
    if (this.isScratch(v)) return v;
    const t = this.tmp();
    this.move(t, v);
    return t;
  }

  write(op: Operand, v: number, bits = this.insn.opSize): void {
    if (op.kind === 'reg') this.writeReg(op, v);
    else if (op.kind === 'mem') this.store(op.size || bits, v, this.hostAddress(op));
    else throw this.unsupported(`write to ${op.kind}`);
  }

  /** Truncates v to `bits` (zero-extending) or canonicalises a 32-bit value, into t. */
  narrow(t: number, v: number, bits: number): number {
    if (bits === 64) this.move(t, v);
    else if (bits === 32) this.asm.sll(t, v, 0);
    else if (bits === 8) this.asm.andi(t, v, 0xff);
    else this.asm.andi(t, v, 0xffff);
    return t;
  }

  // ---- lazy flags ---------------------------------------------------------------------

  /** Records a flag-setting operation (set_cc_op + cc_src/cc_dst moves). */
  setCc(kind: CcKind, bits: number, dst: number, src?: number, src2?: number): void {
    this.move(CC_DST_REG, dst);
    if (src !== undefined) this.move(CC_SRC_REG, src);
    if (src2 !== undefined) this.move(CC_SRC2_REG, src2);
    this.ccOp = ccOpOf(kind, bits);
  }

  /** Stores the statically known cc_op to env (gen_update_cc_op). */
  syncCcOp(): void {
    if (this.ccOp === CC_OP_DYNAMIC) return;
    if (this.ccOp === 0) this.asm.sw(REG.zero, ENV.ccOp, ENV_REG);
    else {
      this.asm.addiu(REG.at, REG.zero, this.ccOp);
      this.asm.sw(REG.at, ENV.ccOp, ENV_REG);
    }
  }

  spillCc(): void {
    this.syncCcOp();
    this.asm.sd(CC_SRC_REG, ENV.ccSrc, ENV_REG);
    this.asm.sd(CC_DST_REG, ENV.ccDst, ENV_REG);
    this.asm.sd(CC_SRC2_REG, ENV.ccSrc2, ENV_REG);
  }

  reloadCc(): void {
    for (const [r, off] of [
      [CC_SRC_REG, ENV.ccSrc],
      [CC_DST_REG, ENV.ccDst],
      [CC_SRC2_REG, ENV.ccSrc2],
    ] as const)
      this.asm.ld(r, off, ENV_REG);
  }

  /**
   * Calls a helper (jalr; the delay slot is a nop) with `args` in a0..a3, moved as one parallel
   * assignment (an argument already in a later argument register is read before it is overwritten;
   * v0 holds the address only after). Lazy-flag registers are spilled and reloaded.
   */
  callHelper(addr: number, args: number[] = [], keepFlags = true): void {
    const a = this.asm;
    if (keepFlags) this.spillCc();
    const argRegs = [REG.a0, REG.a1, REG.a2, REG.a3];
    for (const [d, s] of sequenceMoves(args.map((r, i) => [argRegs[i], r] as const), REG.v0)) this.move(d, s);
    a.li(REG.v0, addr);
    a.jalr(REG.ra, REG.v0);
    a.nop(); // delay slot
    if (keepFlags) this.reloadCc();
  }

  /** Materialises EFLAGS' arithmetic bits into cc_src (cc_op becomes EFLAGS). */
  materializeFlags(): void {
    if (this.ccOp === CC.EFLAGS) return;
    this.callHelper(this.opts.helpers.computeEflags, [], true);
    this.move(CC_SRC_REG, REG.v0);
    this.ccOp = CC.EFLAGS;
    // a fault later in this instruction must restore with the new cc_op
    this.search.push({ hostOffset: this.asm.offset, guestPc: this.insn.addr, ccOp: this.ccOp });
  }

  /** A register holding 1 if x86 condition `cc` (0..15) holds, else 0; the scratch registers it needed on the way are free again. */
  condition(cc: number): number {
    const a = this.asm;
    const t = this.tmp();
    const free = this.tmpNext;
    const neg = cc & 1;
    const test = cc >> 1; // 0 O, 1 B, 2 E, 3 BE, 4 S, 5 P, 6 L, 7 LE
    const kind = this.ccOp === CC_OP_DYNAMIC ? -1 : ccKind(this.ccOp);
    const bits = this.ccOp > 0 ? ccBits(this.ccOp) : 32;
    const r = CC_DST_REG;
    const s = CC_SRC_REG;
    let done = false;
    // 32-bit values are sign-extended and 64-bit ones whole: slt/sltu see them as they are
    const wide = bits === 32 || bits === 64;
    if (kind > CC.EFLAGS && (test === 2 || test === 4)) {
      if (test === 2) a.sltiu(t, r, 1);
      else if (wide) a.slt(t, r, REG.zero);
      else a.ext(t, r, bits - 1, 1);
      done = true;
    } else if (kind === CC.LOGIC && wide) {
      done = true;
      if (test === 0 || test === 1) a.move(t, REG.zero);
      else if (test === 3) a.sltiu(t, r, 1); // BE: ZF
      else if (test === 6) a.slt(t, r, REG.zero); // L: SF
      else if (test === 7) {
        const u = this.tmp();
        a.slt(t, r, REG.zero);
        a.sltiu(u, r, 1);
        a.or(t, t, u);
      } else done = false;
    } else if ((kind === CC.SUB || kind === CC.ADD) && wide) {
      // SUB: a = r + s was the first operand; ADD: a = r - s
      const first = this.tmp();
      if (bits === 64) {
        if (kind === CC.SUB) a.daddu(first, r, s);
        else a.dsubu(first, r, s);
      } else if (kind === CC.SUB) a.addu(first, r, s);
      else a.subu(first, r, s);
      done = true;
      if (test === 1) {
        if (kind === CC.SUB) a.sltu(t, first, s);
        else a.sltu(t, r, s);
      } else if (test === 3 && kind === CC.SUB) {
        a.sltu(t, s, first);
        a.xori(t, t, 1);
      } else if (test === 6 && kind === CC.SUB) a.slt(t, first, s);
      else if (test === 7 && kind === CC.SUB) {
        a.slt(t, s, first);
        a.xori(t, t, 1);
      } else if (test === 0) {
        const u = this.tmp();
        if (kind === CC.SUB) {
          a.xor(u, first, s);
          a.xor(t, first, r);
        } else {
          a.xor(u, first, r);
          a.xor(t, s, r);
        }
        a.and(t, t, u);
        a.slt(t, t, REG.zero);
      } else done = false;
    }
    if (!done) {
      this.materializeFlags();
      const f = CC_SRC_REG;
      const bit = (pos: number, into: number) => a.ext(into, f, pos, 1);
      switch (test) {
        case 0: bit(11, t); break;
        case 1: bit(0, t); break;
        case 2: bit(6, t); break;
        case 3: { a.andi(t, f, 0x41); a.sltu(t, REG.zero, t); break; }
        case 4: bit(7, t); break;
        case 5: bit(2, t); break;
        case 6: case 7: {
          const u = this.tmp();
          bit(7, t);
          bit(11, u);
          a.xor(t, t, u);
          if (test === 7) {
            bit(6, u);
            a.or(t, t, u);
          }
          break;
        }
      }
    }
    if (neg) a.xori(t, t, 1);
    this.tmpNext = free;
    return t;
  }

  /**
   * Shifts and rotates by a count. An immediate count is masked to 5 bits at translation time
   * (0: nothing to emit, `body` is not called); a count in %cl is masked at run time and, when
   * it is 0, `body` is skipped, leaving value and flags alone. The two paths leave different
   * flags, so cc_op is written to env on both and is dynamic afterwards.
   * `body(n, imm)`: n = register holding the masked count; imm = its value when known.
   */
  withShiftCount(countOp: Operand | undefined, body: (n: number, imm: number | undefined) => void): void {
    const a = this.asm;
    const dst = this.insn.operands[0];
    // x86-64: a 32-bit register destination is written (zero-extended) even when the masked count is 0
    if (this.mode64 && this.insn.opSize === 32 && dst?.kind === 'reg' && dst.file === 'gpr') a.dext(this.gpr(dst.reg), this.gpr(dst.reg), 0, 32);
    const n = this.tmp();
    if (!countOp || countOp.kind === 'imm') {
      const imm = (countOp ? countOp.value : 1) & (this.insn.opSize === 64 ? 63 : 31);
      if (imm === 0) return;
      a.addiu(n, REG.zero, imm);
      body(n, imm);
      return;
    }
    a.andi(n, this.gpr(1), this.insn.opSize === 64 ? 63 : 31);
    this.syncCcOp();
    const skip = a.newLabel();
    a.beq(n, REG.zero, skip);
    a.nop(); // delay slot
    body(n, undefined);
    this.syncCcOp();
    a.bind(skip);
    this.ccOp = CC_OP_DYNAMIC;
  }

  // ---- direction flag -----------------------------------------------------------------

  /** Register holding env.df (+1 or -1). */
  direction(into?: number): number {
    const t = into ?? this.tmp();
    this.asm.lw(t, ENV.df, ENV_REG);
    return t;
  }

  setDirection(down: boolean): void {
    const t = this.constReg(down ? -1 : 1);
    this.asm.sw(t, ENV.df, ENV_REG);
  }

  // ---- guest state to env -------------------------------------------------------------

  /** Stores every guest register and the lazy flags to env (the talk's "save context"). */
  contextSave(): void {
    this.withRegion(REGION.context_save, () => {
      if (this.mode64) for (let r = 0; r < 16; r++) this.asm.sd(this.regHost[r], envRegOffset(r), ENV_REG);
      else for (let r = 0; r < 8; r++) this.asm.sw(GUEST_REG_HOST[r], envRegOffset(r), ENV_REG);
      this.spillCc();
    });
  }

  /** Reloads every guest register and the lazy flags from env ("restore context"). */
  contextRestore(): void {
    this.withRegion(REGION.context_restore, () => {
      if (this.mode64) for (let r = 0; r < 16; r++) this.asm.ld(this.regHost[r], envRegOffset(r), ENV_REG);
      else for (let r = 0; r < 8; r++) this.asm.lw(GUEST_REG_HOST[r], envRegOffset(r), ENV_REG);
      this.reloadCc();
    });
    this.ccOp = CC_OP_DYNAMIC;
  }

  storeEip(pc: number): void {
    this.storePcReg(this.addressReg(pc));
  }

  /** Saves the context and calls a helper that unwinds (raise_exception / raise_interrupt). */
  raise(helper: number, a0: number, a1: number, eip: number): void {
    this.contextSave();
    this.storeEip(eip);
    this.asm.li(REG.a0, a0);
    // a pc: the helper reads rip's 64 bits, eip's low 32
    this.asm.li(REG.a1, this.mode64 ? a1 : a1 | 0);
    this.asm.li(REG.v0, helper);
    this.asm.jalr(REG.ra, REG.v0);
    this.asm.nop(); // delay slot; the helper does not return
  }

  unsupported(what: string): Error {
    return new UnsupportedInsnError(this.insn, what);
  }
}

/** An instruction the translator does not handle: carries guest pc and bytes. */
export class UnsupportedInsnError extends Error {
  constructor(
    readonly insn: DecodedInsn,
    readonly detail: string,
  ) {
    const bytes = Array.from(insn.bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
    super(`unsupported instruction at 0x${insn.addr.toString(16)}: ${bytes} (${formatAtt(insn).replace(/\s+/g, ' ')}; ${detail})`);
    this.name = 'UnsupportedInsnError';
  }
}

export { CC_SRC_REG, CC_DST_REG, CC_SRC2_REG, CC_REGS };
