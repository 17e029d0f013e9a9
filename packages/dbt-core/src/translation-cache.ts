/**
 * TranslationCache: the translations of one guest process tree, shared by its engines. Every
 * execve starts an engine with an empty code cache, and each new process translates ld.so and
 * libc again: with the cache, tbGenCode takes the words an earlier translation of the same
 * guest bytes produced, instead of decoding and generating them again. Only the host's work
 * is skipped: the TB is still translated (tbs_translated, translate_guest_insns and every
 * other count are the engine's own, as without the cache).
 *
 * A cached translation is reused when the engine translates the same way (mode, runtime,
 * CPU model, helper and shared-code addresses, instruction limit, where a 32-bit `syscall`
 * returns), at the same guest pc, and the executable bytes the translator read then are the
 * same now (a library mapped elsewhere, or code written since, translates afresh). The words depend on where the TB lies in the code
 * cache and on its index only in its goto_tb exits (the chain slot's `j` to its stub and the
 * stub's exit value): those are written again for the new place. An exit value of another
 * length (an index past a li boundary) translates afresh.
 *
 *   const cache = new TranslationCache();   // one per tree: DbtConfig.translations
 *   const tb = cache.find(dbt, pc, maxInsns, hostAddr, tbIndex) ?? translate and cache.add(...)
 */
import { Assembler, encodeJ, REG } from '@dbtlab/mips-host';
import type { ExitSlot, SearchEntry } from '@dbtlab/mips-codegen';
import type { Dbt } from './dbt';

/** What tbGenCode installs: a translation for one place in the code cache. */
export interface PlacedBlock {
  pc: number;
  guestSize: number;
  icount: number;
  words: ArrayLike<number>;
  regions: ArrayLike<number>;
  search: SearchEntry[];
  exits: ExitSlot[];
  /** i386: the segment registers the block accesses data through (TranslatedBlock.segments). */
  segments: number;
}

interface CachedBlock extends PlacedBlock {
  /** The executable bytes from pc on that the translator read (up to 15 past the last instruction). */
  code: Uint8Array;
  /** As typed arrays: half the bytes of the translator's number arrays, and no object V8 scans. */
  words: Uint32Array;
  regions: Int32Array;
  hostAddr: number;
  tbIndex: number;
}

/** Words kept before the cache starts over (2 M words: 16 MiB with their tags). */
const MAX_WORDS = 2 * 1024 * 1024;

export class TranslationCache {
  /** Retranslate every reused block and throw if the words differ (tests). */
  verify = false;
  hits = 0;
  misses = 0;
  private words = 0;
  /** Translation settings and instruction limit -> guest pc -> cached blocks (different bytes at one pc). */
  private readonly bySettings = new Map<string, Map<number, CachedBlock[]>>();
  /** Each engine's entry of bySettings, by instruction limit and fast system call return (the settings key is long to hash). */
  private readonly engineBlocks = new WeakMap<Dbt, Map<string, Map<number, CachedBlock[]>>>();

  /** A cached translation of the bytes now at pc, placed at hostAddr as TB tbIndex. */
  find(dbt: Dbt, pc: number, maxInsns: number, readCode: (addr: number, len: number) => Uint8Array, hostAddr: number, tbIndex: number): PlacedBlock | undefined {
    const list = this.blocksAt(dbt, pc, maxInsns, false);
    if (list) {
      for (const c of list) {
        if (!sameBytes(readCode(pc, c.code.length), c.code)) continue;
        const placed = place(c, hostAddr, tbIndex);
        if (placed) {
          this.hits++;
          return placed;
        }
      }
    }
    this.misses++;
    return undefined;
  }

  /** Keeps a fresh translation (`span` bytes read from pc) for the engines that come next. */
  add(dbt: Dbt, pc: number, maxInsns: number, code: Uint8Array, block: PlacedBlock, hostAddr: number, tbIndex: number): void {
    if (this.words + block.words.length > MAX_WORDS) {
      for (const byPc of this.bySettings.values()) byPc.clear();
      this.words = 0;
    }
    this.words += block.words.length;
    const list = this.blocksAt(dbt, pc, maxInsns, true)!;
    const { pc: at, guestSize, icount, search, exits, segments } = block;
    // search and exits are the translator's own: nothing writes them once the TB is in the code cache
    list.push({ pc: at, guestSize, icount, search, exits, segments, code, words: Uint32Array.from(block.words), regions: Int32Array.from(block.regions), hostAddr, tbIndex });
  }

  private blocksAt(dbt: Dbt, pc: number, maxInsns: number, create: boolean): CachedBlock[] | undefined {
    let byLimit = this.engineBlocks.get(dbt);
    if (!byLimit) this.engineBlocks.set(dbt, (byLimit = new Map()));
    // the landing pad a 32-bit `syscall`'s chained exit expects moves with an mremap of [vdso]
    const variant = `${maxInsns}|${dbt.os.fastSyscallReturn?.()}`;
    let byPc = byLimit.get(variant);
    if (!byPc) {
      const key = `${settingsOf(dbt)}|${variant}`;
      byPc = this.bySettings.get(key);
      if (!byPc) this.bySettings.set(key, (byPc = new Map()));
      byLimit.set(variant, byPc);
    }
    let list = byPc.get(pc);
    if (!list && create) byPc.set(pc, (list = []));
    return list;
  }
}

/** Everything besides the guest bytes, the pc and the place that the translator's output depends on. */
function settingsOf(dbt: Dbt): string {
  const numbers = (o: object): string => JSON.stringify(Object.entries(o).filter(([, v]) => typeof v === 'number'));
  return [dbt.mode, dbt.config.runtime, dbt.config.chaining, dbt.config.syscall.name, dbt.cpuModel.name, numbers(dbt.helpers), numbers(dbt.shared)].join('|');
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The li words of an exit value (the assembler's own choice of sequence). */
function exitValueWords(value: number): number[] {
  const a = new Assembler(0);
  a.li(REG.v0, value);
  return a.words;
}

/** `c` written for hostAddr and tbIndex; undefined when an exit value needs another length. */
function place(c: CachedBlock, hostAddr: number, tbIndex: number): PlacedBlock | undefined {
  let words: ArrayLike<number> = c.words;
  if (hostAddr !== c.hostAddr || tbIndex !== c.tbIndex) {
    // a typed copy: Array.from made a heap number of every word >= 2^31 (most MIPS words)
    const moved = c.words.slice();
    for (const e of c.exits) {
      const slotAddr = hostAddr + 4 * e.slotWord;
      moved[e.slotWord] = encodeJ('j', slotAddr, hostAddr + 4 * e.stubWord);
      const value = exitValueWords((tbIndex << 2) | e.index);
      if (value.length !== exitValueWords((c.tbIndex << 2) | e.index).length) return undefined;
      moved.set(value, e.valueWord);
    }
    words = moved;
  }
  return { pc: c.pc, guestSize: c.guestSize, icount: c.icount, words, regions: c.regions, search: c.search, exits: c.exits, segments: c.segments };
}
