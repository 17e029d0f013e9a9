/**
 * TranslationBlock: one translated guest block and everything the TB cache, chaining and
 * SMC invalidation need to know about it (QEMU's TranslationBlock). It never changes once
 * made: a forked engine shares it; whether it is valid and what it is chained to are the
 * engine's own (Dbt.tbState).
 */
import type { ExitSlot, SearchEntry } from '@dbtlab/mips-codegen';

export interface TbJump {
  readonly slot: ExitSlot;
  /** The slot word's tag (region and marks), kept when the word is patched. */
  readonly tag: number;
}

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
  readonly search: SearchEntry[];
  /** By exit slot number (0, 1); a slot may be absent. Exit n's number in Dbt.tbState is index * 2 + n. */
  readonly jumps: (TbJump | undefined)[];
  /** Guest page numbers the TB's code lies on (one or two), of its linear addresses (csBase + pc). */
  readonly pages: number[];
}
