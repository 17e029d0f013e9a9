/**
 * The reference engine: decodes and executes one instruction at a time, each through one
 * function holding every row's semantic body (a switch on the row, fields read from the word's decoded form).
 * The block compiler splices the same bodies; the two must count identically.
 */
import { ALU64 } from './alu64';
import { KIND, countWord } from './counters';
import {
  bitfieldOperands, bitfieldValid, branchTarget, decodeInsn, fieldRd, fieldRs, fieldRt, fieldSa,
  fieldSimm, fieldUimm, jumpTarget,
} from './decode';
import type { HostAccess } from './host-access';
import type { MipsMachine } from './machine';
import { MIPS_INSNS, type MipsInsn, type MipsInsnName } from './mips-insn-table';
import { SEMANTICS, SEMANTIC_PARAMS } from './semantics';
import { TAG_TB_START } from './layout';

/**
 * Every row's body in one function, a switch on the row's index with the fields read from the
 * decoded word (for branches: returns the condition). One call site calling one function: a
 * function per row, called through `d.fn` with the fields as 8 more arguments, was a
 * megamorphic call per instruction, about half of an interpreted instruction's time.
 */
type SemanticSwitch = (d: Predecoded, L: Int32Array, H: Int32Array, A: HostAccess, X: typeof ALU64) => unknown;
const FIELD = new RegExp(`\\b(${SEMANTIC_PARAMS.slice(4).join('|')})\\b`, 'g');
const ROW_INDEX = new Map<MipsInsn, number>(MIPS_INSNS.map((insn, i) => [insn, i]));
const SEMANTIC_SWITCH = new Function('d', ...SEMANTIC_PARAMS.slice(0, 4), `switch(d.op){${MIPS_INSNS.map((insn, i) => {
  const body = SEMANTICS[insn.name as MipsInsnName].replace(FIELD, 'd.$1');
  return `case ${i}:${insn.branch ? `return ${body};` : `{${body}}return;`}`;
}).join('')}}`) as SemanticSwitch;

/** ALU64 as a local constant: an imported binding is a module-object property load per use. */
const X = ALU64;

/** A word decoded once: its row (and the row's index) and fields. */
export interface Predecoded {
  readonly insn: MipsInsn;
  /** The row's index in MIPS_INSNS (SEMANTIC_SWITCH's case). */
  readonly op: number;
  readonly rs: number;
  readonly rt: number;
  readonly rd: number;
  readonly sa: number;
  readonly imm: number;
  readonly uimm: number;
  readonly pos: number;
  readonly size: number;
}

/**
 * By the word as a signed 32-bit value: a small integer to V8, where most MIPS words as
 * unsigned values (>= 2^31) were a heap number allocated and hashed per lookup.
 */
const PREDECODED = new Map<number, Predecoded | null>();

/** The decoded word, or undefined when it is reserved (no row, or an undefined bit-field encoding). Cached per word value (signed or unsigned). */
export function predecode(word: number): Predecoded | undefined {
  const key = word | 0;
  let d = PREDECODED.get(key);
  if (d === undefined) {
    const w = word >>> 0;
    const insn = decodeInsn(w);
    const bf = insn?.bitfield ? bitfieldOperands(insn, w) : { pos: 0, size: 0 };
    d = !insn || (insn.bitfield && !bitfieldValid(insn, bf.pos, bf.size)) ? null : {
      insn, op: ROW_INDEX.get(insn)!, rs: fieldRs(w), rt: fieldRt(w), rd: fieldRd(w), sa: fieldSa(w),
      imm: fieldSimm(w), uimm: fieldUimm(w), pos: bf.pos, size: bf.size,
    };
    PREDECODED.set(key, d);
  }
  return d ?? undefined;
}

/** Executes a non-branch instruction (a write to $zero is undone). */
export function execute(d: Predecoded, L: Int32Array, H: Int32Array, A: HostAccess): void {
  SEMANTIC_SWITCH(d, L, H, A, X);
  L[0] = 0;
  H[0] = 0;
}

/**
 * Evaluates a branch at pc before its delay slot: returns the target if taken, else -1, and
 * writes the link register (after reading the target, so jalr rd = rs jumps to the old rs).
 */
export function branch(d: Predecoded, pc: number, w: number, L: Int32Array, H: Int32Array, A: HostAccess): number {
  const insn = d.insn;
  const taken = SEMANTIC_SWITCH(d, L, H, A, X) as boolean;
  const target = !taken ? -1
    : insn.branch === 'rel' ? branchTarget(pc, w)
    : insn.branch === 'abs' ? jumpTarget(pc, w)
    : H[d.rs] * 4294967296 + (L[d.rs] >>> 0);
  const link = insn.link === 'ra' ? 31 : insn.link === 'rd' ? d.rd : 0;
  if (link !== 0) {
    L[link] = (pc + 8) % 4294967296;
    H[link] = Math.floor((pc + 8) / 4294967296);
  }
  return target;
}

/** Runs from pc until control reaches RUN_RETURN_ADDR; faults are thrown as MachineFault. */
export function interpret(m: MipsMachine, entry: number): void {
  const { gprLo: L, gprHi: H, access: A, counters: C } = m;
  let pc = entry;
  for (;;) {
    const tag = m.tagAt(pc);
    if (tag < 0) throw m.fault('bad-jump', pc, 0, false, `no code at 0x${pc.toString(16)}`);
    if (C.insns >= m.interruptAt && (tag & TAG_TB_START) !== 0) m.onInterrupt?.(pc);
    const w = m.wordAt(pc);
    const d = predecode(w);
    if (!d) throw m.fault('reserved-instruction', pc, w, false, 'reserved instruction');

    if (!d.insn.branch) {
      try {
        execute(d, L, H, A);
      } catch (e) {
        throw m.convertFault(e, pc, w, false);
      }
      countWord(C, KIND[d.insn.kind], tag);
      pc += 4;
      continue;
    }

    const target = branch(d, pc, w, L, H, A);
    countWord(C, KIND.branch, tag);

    const slotPc = pc + 4;
    const slotTag = m.tagAt(slotPc);
    if (slotTag < 0) throw m.fault('bad-jump', pc, 0, true, `no code at 0x${slotPc.toString(16)}`);
    const sw = m.wordAt(slotPc);
    const slot = predecode(sw);
    if (!slot || slot.insn.branch) throw m.fault('reserved-instruction', pc, sw, true, slot ? 'branch in a delay slot' : 'reserved instruction');
    try {
      execute(slot, L, H, A);
    } catch (e) {
      throw m.convertFault(e, pc, sw, true);
    }
    countWord(C, KIND[slot.insn.kind], slotTag);

    if (target === -1) pc += 8;
    else {
      const next = m.afterJump(target, pc, w, d.insn.link !== undefined);
      if (next === -1) return;
      pc = next;
    }
  }
}
