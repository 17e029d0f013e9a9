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
import type { ExitSlot } from '@dbtlab/mips-codegen';
import type { Dbt } from './dbt';
import type { SearchTable } from './tb';

/** What tbGenCode installs: a translation for one place in the code cache. */
export interface PlacedBlock {
  pc: number;
  guestSize: number;
  icount: number;
  words: ArrayLike<number>;
  regions: ArrayLike<number>;
  search: SearchTable;
  exits: ExitSlot[];
  /** i386: the segment registers the block accesses data through (TranslatedBlock.segments). */
  segments: number;
}

/**
 * A kept translation. Its words, tags and bytes lie in the cache's chunks (ChunkStore): a typed
 * array each per block cost about three times their data in ArrayBuffer objects and malloc'd
 * stores (python3 -c 'print(1)': 30 MB for 32,500 blocks, with ~9 MB of data).
 */
interface CachedBlock {
  pc: number;
  guestSize: number;
  icount: number;
  search: SearchTable;
  exits: ExitSlot[];
  segments: number;
  /** Its words at words.chunk[at, at + length), their tags at the same place of tags.chunk. */
  words: Uint32Array;
  tags: Int32Array;
  at: number;
  length: number;
  /** The executable bytes from pc on that the translator read (up to 15 past the last instruction): bytes[bytesAt, bytesAt + bytesLength). */
  bytes: Uint8Array;
  bytesAt: number;
  bytesLength: number;
  hostAddr: number;
  tbIndex: number;
}

/** Append-only typed storage in large chunks; a run never spans two (a longer one gets a chunk of its own). */
class ChunkStore<A extends Uint8Array | Int32Array | Uint32Array> {
  chunk: A;
  /** Where the last put() wrote, in chunk. */
  at = 0;
  private used = 0;
  constructor(private readonly make: (n: number) => A, private readonly size: number) {
    this.chunk = make(0);
  }
  put(values: ArrayLike<number>): void {
    if (this.used + values.length > this.chunk.length) {
      this.chunk = this.make(Math.max(this.size, values.length));
      this.used = 0;
    }
    this.chunk.set(values, this.used);
    this.at = this.used;
    this.used += values.length;
  }
}

/** Words kept before the cache starts over (2 M words: 16 MiB with their tags). */
const MAX_WORDS = 2 * 1024 * 1024;
/** Elements per chunk (256 KiB of words, of tags, 64 KiB of bytes). */
const CHUNK = 64 * 1024;

export class TranslationCache {
  /** Retranslate every reused block and throw if the words differ (tests). */
  verify = false;
  hits = 0;
  misses = 0;
  private words = 0;
  private wordStore = new ChunkStore((n) => new Uint32Array(n), CHUNK);
  private tagStore = new ChunkStore((n) => new Int32Array(n), CHUNK);
  private byteStore = new ChunkStore((n) => new Uint8Array(n), CHUNK);
  /** Translation settings and instruction limit -> guest pc -> cached blocks (different bytes at one pc). */
  private readonly bySettings = new Map<string, Map<number, CachedBlock[]>>();
  /** Each engine's entry of bySettings, by instruction limit and fast system call return (the settings key is long to hash). */
  private readonly engineBlocks = new WeakMap<Dbt, Map<string, Map<number, CachedBlock[]>>>();

  /** A cached translation of the bytes now at pc, placed at hostAddr as TB tbIndex. */
  find(dbt: Dbt, pc: number, maxInsns: number, readCode: (addr: number, len: number) => Uint8Array, hostAddr: number, tbIndex: number): PlacedBlock | undefined {
    const list = this.blocksOf(dbt, maxInsns).get(pc);
    if (list) {
      for (const c of list) {
        if (!sameBytes(readCode(pc, c.bytesLength), c.bytes, c.bytesAt, c.bytesLength)) continue;
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
      // new chunks: the old ones go with the blocks that were in them
      this.wordStore = new ChunkStore((n) => new Uint32Array(n), CHUNK);
      this.tagStore = new ChunkStore((n) => new Int32Array(n), CHUNK);
      this.byteStore = new ChunkStore((n) => new Uint8Array(n), CHUNK);
    }
    this.words += block.words.length;
    const byPc = this.blocksOf(dbt, maxInsns);
    const { pc: at, guestSize, icount, search, exits, segments } = block;
    // search and exits are the translator's own: nothing writes them once the TB is in the code cache
    const { wordStore: w, tagStore: g, byteStore: b } = this;
    w.put(block.words);
    g.put(block.regions);
    b.put(code);
    const c: CachedBlock = { pc: at, guestSize, icount, search, exits, segments, words: w.chunk, tags: g.chunk, at: w.at, length: block.words.length, bytes: b.chunk, bytesAt: b.at, bytesLength: code.length, hostAddr, tbIndex };
    // most pcs hold one: a list of one (a first push gives an empty array room for 17, ~150 bytes)
    const list = byPc.get(pc);
    if (list) list.push(c);
    else byPc.set(pc, [c]);
  }

  /** The engine's blocks by pc, for its settings and this instruction limit. */
  private blocksOf(dbt: Dbt, maxInsns: number): Map<number, CachedBlock[]> {
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
    return byPc;
  }
}

/** Everything besides the guest bytes, the pc and the place that the translator's output depends on. */
function settingsOf(dbt: Dbt): string {
  const numbers = (o: object): string => JSON.stringify(Object.entries(o).filter(([, v]) => typeof v === 'number'));
  return [dbt.mode, dbt.config.runtime, dbt.config.chaining, dbt.config.syscall.name, dbt.cpuModel.name, numbers(dbt.helpers), numbers(dbt.shared)].join('|');
}

/** Whether a equals b[at, at + length) (a is shorter where the executable range ended). */
function sameBytes(a: Uint8Array, b: Uint8Array, at: number, length: number): boolean {
  if (a.length !== length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[at + i]) return false;
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
  const end = c.at + c.length;
  let words: ArrayLike<number> = c.words.subarray(c.at, end);
  if (hostAddr !== c.hostAddr || tbIndex !== c.tbIndex) {
    // a typed copy: Array.from made a heap number of every word >= 2^31 (most MIPS words)
    const moved = c.words.slice(c.at, end);
    for (const e of c.exits) {
      const slotAddr = hostAddr + 4 * e.slotWord;
      moved[e.slotWord] = encodeJ('j', slotAddr, hostAddr + 4 * e.stubWord);
      const value = exitValueWords((tbIndex << 2) | e.index);
      if (value.length !== exitValueWords((c.tbIndex << 2) | e.index).length) return undefined;
      moved.set(value, e.valueWord);
    }
    words = moved;
  }
  return { pc: c.pc, guestSize: c.guestSize, icount: c.icount, words, regions: c.tags.subarray(c.at, end), search: c.search, exits: c.exits, segments: c.segments };
}
