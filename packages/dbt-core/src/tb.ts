/**
 * TranslationBlock: one translated guest block and everything the TB cache, chaining and
 * SMC invalidation need to know about it (QEMU's TranslationBlock).
 */
import type { ExitSlot, SearchEntry } from '@dbtlab/mips-codegen';

export interface TbJump {
  slot: ExitSlot;
  /** The slot word's tag (region and marks), kept when the word is patched. */
  tag: number;
  /** The TB this exit is chained to, if patched. */
  dest: TranslationBlock | undefined;
}

export interface TranslationBlock {
  /** Position in Dbt.tbs: exit values carry it (exit = index << 2 | slot). */
  readonly index: number;
  /** The eip (rip) of its first instruction: an offset in its code segment. */
  readonly pc: number;
  /** Its code segment (QEMU's cs_base and HF_CS32): a lookup matches these too (Dbt.codeSegments). */
  readonly csBase: number;
  readonly code16: boolean;
  readonly guestSize: number;
  readonly icount: number;
  readonly hostAddr: number;
  readonly hostWords: number;
  readonly search: SearchEntry[];
  /** By exit slot number (0, 1); a slot may be absent. */
  readonly jumps: (TbJump | undefined)[];
  /** Guest page numbers the TB's code lies on (one or two), of its linear addresses (csBase + pc). */
  readonly pages: number[];
  /** Exits of other TBs chained into this one (jmp_list_head): unpatched on invalidation. */
  readonly incoming: { from: TranslationBlock; n: number }[];
  invalid: boolean;
  /** Times the exec loop entered translated code at this TB. */
  entries: number;
}
