/**
 * translatorLoop (QEMU's translator.c): decode guest instructions one at a time and emit
 * each through genTable until the TB ends, by QEMU's i386 rules: after a control transfer
 * or system call, at the instruction limit, and before the next instruction could touch
 * another page than the TB's first (so SMC invalidation stays per page, as in Blink).
 *
 *   const tb = translateBlock(pc, readCode, hostOrigin, options);
 *   machine.writeCode(hostOrigin, tb.words, tb.regions);
 */
import { PAGE_SIZE, REGION, TAG_INSN_SHIFT, TAG_TB_START } from '@dbtlab/mips-host';
import { DecodeError, decodeInsn, type DecodedInsn } from '@dbtlab/x86-frontend';
import { EXCP } from './excp';
import { GenContext, UnsupportedInsnError, type ExitSlot, type SearchEntry, type TranslateOptions } from './gen-context';
import { genTable, MODE64_OPS } from './gen-table';
import { insnExtension } from './isa-extension';
import { exitTb, gotoTb } from './tb-exits';

/** A load of %es, %ss or %ds: mov or pop to it, les, lss, lds. */
function loadsDataSegment(insn: DecodedInsn): boolean {
  if (insn.op === 'LES' || insn.op === 'LSS' || insn.op === 'LDS') return true;
  const [dst] = insn.operands;
  return (insn.op === 'MOV' || insn.op === 'POP') && dst?.kind === 'reg' && dst.file === 'seg' && dst.reg !== 4 && dst.reg !== 5 && dst.reg !== 1;
}

/** mov/pop to %ss: the CPU holds interrupts and the single-step trap off for one more instruction. */
const loadsStackSegment = (insn: DecodedInsn): boolean => (insn.op === 'MOV' || insn.op === 'POP') && insn.operands[0]?.kind === 'reg' && insn.operands[0].file === 'seg' && insn.operands[0].reg === 2;

const MAX_INSN_LEN = 15;

/** Reads up to `len` executable guest bytes at pc `addr` of the TB's code segment (fewer where the executable range ends). */
export type GuestCodeReader = (addr: number, len: number) => Uint8Array;

/**
 * The first instruction of a TB cannot be fetched: the guest gets SIGSEGV at `addr`, the first
 * byte that is unmapped or not executable (the pc stays the instruction's).
 */
export class GuestCodeFault extends Error {
  constructor(readonly addr: number) {
    super(`guest code fetch fault at 0x${addr.toString(16)}`);
    this.name = 'GuestCodeFault';
  }
}

export interface TranslatedBlock {
  pc: number;
  /** Guest bytes covered (the last instruction may end on the next page). */
  guestSize: number;
  /** Guest pc of each instruction translated, in order. */
  guestPcs: number[];
  words: number[];
  regions: number[];
  search: SearchEntry[];
  exits: ExitSlot[];
  /** The last instruction loads %ss (the SS shadow: a single step traps only after the next one). */
  ssShadow: boolean;
  /** i386: the segment registers the block accesses data through, 1 << seg each (Dbt.segmentsUsed). */
  segments: number;
}

/** The instructions a lock prefix may precede (SDM, LOCK), with a memory destination. */
const LOCKABLE = new Set<string>(['ADD', 'ADC', 'AND', 'BTC', 'BTR', 'BTS', 'CMPXCHG', 'CMPXCHG8B', 'CMPXCHG16B', 'DEC', 'INC', 'NEG', 'NOT', 'OR', 'SBB', 'SUB', 'XOR', 'XADD', 'XCHG']);

function lockable(insn: DecodedInsn): boolean {
  return LOCKABLE.has(insn.op) && (insn.operands[0]?.kind === 'mem' || (insn.op === 'XCHG' && insn.operands[1]?.kind === 'mem'));
}

export function translateBlock(pc: number, readCode: GuestCodeReader, origin: number, opts: TranslateOptions): TranslatedBlock {
  const ctx = new GenContext(origin, opts);
  const guestPcs: number[] = [];
  let end = pc;
  let ssShadow = false;
  // pages are the linear addresses' (a code segment's base need not be page-aligned)
  const csBase = opts.code?.base ?? 0;
  const code16 = opts.code?.bits16 ?? false;
  const firstPage = Math.floor(ctx.guestPc(csBase + pc) / PAGE_SIZE);
  let cur = ctx.guestPc(pc);
  for (;;) {
    const bytes = readCode(cur, MAX_INSN_LEN);
    if (bytes.length === 0) {
      if (guestPcs.length === 0) throw new GuestCodeFault(ctx.guestPc(csBase + cur));
      gotoTb(ctx, 0, cur);
      break;
    }
    let insn: DecodedInsn;
    try {
      insn = decodeInsn(bytes, 0, cur, opts.mode, code16);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      if (e.kind === 'truncated' && bytes.length < MAX_INSN_LEN) {
        // the instruction runs into an unreadable page: fault when (and if) it executes
        if (guestPcs.length === 0) throw new GuestCodeFault(ctx.guestPc(csBase + cur + bytes.length));
        gotoTb(ctx, 0, cur);
        break;
      }
      // an undefined opcode raises #UD when executed (gen_illegal_opcode)
      ctx.insnStartAt(cur, 1);
      ctx.withRegion(REGION.exit_stub, () => ctx.raise(opts.helpers.raiseException, EXCP.ILLOP, cur, cur));
      guestPcs.push(cur);
      end = cur + 1;
      break;
    }
    ctx.insnStart(insn);
    guestPcs.push(cur);
    end = cur + insn.length;
    const ext = insnExtension(insn);
    if (ext && !opts.cpu.has(ext)) {
      // an instruction of an extension the CPU lacks is #UD there
      ctx.withRegion(REGION.exit_stub, () => ctx.raise(opts.helpers.raiseException, EXCP.ILLOP, cur, cur));
      break;
    }
    if (insn.lock && !lockable(insn)) {
      // lock on an instruction that is not a read-modify-write of memory is #UD
      ctx.withRegion(REGION.exit_stub, () => ctx.raise(opts.helpers.raiseException, EXCP.ILLOP, cur, cur));
      break;
    }
    const gen = genTable[insn.op];
    if (!gen) throw new UnsupportedInsnError(insn, `no translation for ${insn.op}`);
    if (opts.mode === 64 && !MODE64_OPS.has(insn.op)) throw new UnsupportedInsnError(insn, `no 64-bit-mode translation for ${insn.op}`);
    const ends = gen(ctx, insn);
    ssShadow = loadsStackSegment(insn);
    // (an instruction using every scratch register is followed by a goto_tb at a page end: x86-64)
    ctx.freeScratch();
    cur = ctx.nextPc;
    if (ends) break;
    if (opts.mode === 32 && loadsDataSegment(insn)) {
      // as QEMU does (gen_movl_seg_T0): the next code may need other segment bases (Dbt.segmented)
      exitTb(ctx, cur);
      break;
    }
    const offsetInPage = ctx.guestPc(csBase + cur) - firstPage * PAGE_SIZE;
    if (guestPcs.length >= opts.maxInsns || offsetInPage < 0 || offsetInPage > PAGE_SIZE - MAX_INSN_LEN) {
      gotoTb(ctx, 0, cur);
      break;
    }
  }
  ctx.flushStubs();
  ctx.asm.finish();
  const regions = markWords(ctx.asm.regions, ctx.search, guestPcs);
  return {
    pc,
    guestSize: ctx.guestPc(end - pc) || 1,
    guestPcs,
    words: ctx.asm.words,
    regions,
    search: ctx.search,
    exits: ctx.exits,
    ssShadow,
    segments: ctx.segmentsUsed,
  };
}

/** Tags the TB's first word and each guest instruction's first word (see TAG_* in mips-host). */
function markWords(regions: number[], search: SearchEntry[], guestPcs: number[]): number[] {
  const tags = regions.slice();
  tags[0] |= TAG_TB_START;
  let i = 0;
  for (const e of search) {
    // an instruction may have several entries (cc_op changes inside it): its first one counts
    if (i < guestPcs.length && e.guestPc === guestPcs[i]) {
      tags[e.hostOffset] += 1 << TAG_INSN_SHIFT;
      i++;
    }
  }
  return tags;
}
