/**
 * TranslationBlock: one translated guest block and everything the TB cache, chaining and
 * SMC invalidation need to know about it (QEMU's TranslationBlock). It never changes once
 * made: a forked engine shares it; whether it is valid and what it is chained to are the
 * engine's own (Dbt.tbState).
 */
import type { ExitSlot } from '@dbtlab/mips-codegen';

/**
 * A TB's search table (QEMU's tb->tc.search) as triples of small integers: the host word offset
 * where a guest instruction's code starts, that instruction's pc minus the TB's pc, and the
 * cc_op there (-1: dynamic). An object per entry, its pc a heap number above 2^31, was ~70 bytes
 * an instruction: 13 MB of python3 -c 'print(1)''s live heap.
 */
export type SearchTable = readonly number[];

export interface TranslationBlock {
  /** Position in Dbt.tbs: exit values carry it (exit = index << 2 | slot). */
  readonly index: number;
  /** The eip (rip) of its first instruction: an offset in its code segment. */
  readonly pc: number;
  /** Its code segment (QEMU's cs_base and HF_CS32): a lookup matches these too (Dbt.codeSegments). */
  readonly csBase: number;
  readonly code16: boolean;
  /** translated for a 16-bit %ss (stack accesses use SP) */
  readonly ss16: boolean;
  /** The highest offset its code segment lets it fetch (i386): its code stops there. */
  readonly csLimit: number;
  /** Made with EFLAGS.AC set: its data accesses check alignment (a lookup matches AC too, Dbt.alignChecks). */
  readonly alignCheck: boolean;
  readonly guestSize: number;
  readonly icount: number;
  readonly hostAddr: number;
  readonly hostWords: number;
  readonly search: SearchTable;
  /**
   * Its goto_tb exits (the translator's, shared with the TranslationCache): slot numbers 0 and 1,
   * either may be absent (tbExit). Exit n's number in Dbt.tbState is index * 2 + n.
   */
  readonly exits: readonly ExitSlot[];
  /**
   * The guest page numbers its code lies on, of its linear addresses (csBase + pc): equal for one
   * page (two fields, not an array of one or two: a JSArray per TB was 2 MB of python's heap).
   */
  readonly firstPage: number;
  readonly lastPage: number;
}
