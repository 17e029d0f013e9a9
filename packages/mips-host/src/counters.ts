/**
 * Exact host-instruction counters. Kinds and region tags are small integers so that they
 * index Float64Arrays; the names are the stats vocabulary (host_insns_by_kind / _by_region).
 */
import { TAG_INSN_SHIFT, TAG_REGION_MASK, TAG_TB_START } from './layout';

export const KIND = { alu: 0, load: 1, store: 2, branch: 3, muldiv: 4, helper: 5 } as const;
export type KindName = keyof typeof KIND;
export const KIND_NAMES = Object.keys(KIND) as KindName[];

export const REGION = {
  tb_body: 0, prologue: 1, epilogue: 2, context_save: 3, context_restore: 4, exit_stub: 5, chain: 6,
} as const;
export type RegionName = keyof typeof REGION;
export const REGION_NAMES = Object.keys(REGION) as RegionName[];

export class Counters {
  /** Every executed host instruction, delay slots included. */
  insns = 0;
  /** Indexed by KIND; a jalr/jal into the helper range counts as `helper`, not `branch`. */
  readonly byKind = new Float64Array(KIND_NAMES.length);
  /** Indexed by REGION: the tag writeCode gave the executed word. */
  readonly byRegion = new Float64Array(REGION_NAMES.length);
  /** Calls of registered helpers. */
  helperCalls = 0;
  /** Executed words tagged TAG_TB_START (TB executions). */
  tbStarts = 0;
  /** Sum over executed words of their tag's guest-instruction count (guest instructions). */
  guestInsns = 0;

  /** Zeroes in place: compiled code holds references to the arrays. */
  reset(): void {
    this.insns = 0;
    this.byKind.fill(0);
    this.byRegion.fill(0);
    this.helperCalls = 0;
    this.tbStarts = 0;
    this.guestInsns = 0;
  }
}

/**
 * Adds one execution of a word with code tag `tag` (REGION | TAG_TB_START | n << TAG_INSN_SHIFT)
 * and kind `kind` to the counters.
 */
export function countWord(C: Counters, kind: number, tag: number): void {
  C.insns++;
  C.byKind[kind]++;
  C.byRegion[tag & TAG_REGION_MASK]++;
  if ((tag & TAG_TB_START) !== 0) C.tbStarts++;
  C.guestInsns += tag >>> TAG_INSN_SHIFT;
}
