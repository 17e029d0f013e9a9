// TranslationCache: engines of one tree reuse each other's translations of the same bytes at the
// same pc, placed at their own code-cache address and TB index, word for word what translating
// gives (verify retranslates every reused block and throws on a difference).
import test from 'ava';
import type { Dbt } from '../src/dbt';
import { tbGenCode } from '../src/translate-all';
import { TranslationCache } from '../src/translation-cache';
import { CODE, COUNTDOWN, dbtWith, NO_OS, raising } from './guest-program';

const PCS = [CODE, CODE + 5, CODE + 10];

function verifying(): TranslationCache {
  const cache = new TranslationCache();
  cache.verify = true;
  return cache;
}

const wordsOf = (dbt: Dbt, pc: number): number[] => {
  const tb = tbGenCode(dbt, pc);
  return Array.from({ length: tb.hostWords }, (_, i) => dbt.machine.wordAt(tb.hostAddr + 4 * i));
};

test('a second engine reuses the blocks at another code-cache address and TB index, word for word', (t) => {
  const cache = verifying();
  const a = dbtWith(COUNTDOWN, raising, true, NO_OS, cache);
  for (const pc of PCS) tbGenCode(a, pc);
  t.is(cache.misses, 3);
  const b = dbtWith(COUNTDOWN, raising, true, NO_OS, cache);
  b.guest.pokeBytes(CODE + 0x100, Uint8Array.from([0x90, 0xcd, 0x80])); // nop; int $0x80: translated first
  tbGenCode(b, CODE + 0x100);
  for (const pc of PCS) tbGenCode(b, pc);
  t.is(cache.hits, 3);
  t.not(b.tbHash.get(CODE)!.hostAddr, a.tbHash.get(CODE)!.hostAddr);
  // the engine's own counts as without the cache
  t.is(b.stats.tbs_translated, 4);
  t.is(b.stats.translate_guest_insns, a.stats.translate_guest_insns + 2);
});

test('other bytes at the pc, other settings or an exit value of another length translate afresh', (t) => {
  const cache = verifying();
  for (const pc of PCS) tbGenCode(dbtWith(COUNTDOWN, raising, true, NO_OS, cache), pc);
  const changed = COUNTDOWN.slice();
  changed[1] = 6; // mov $6,%ecx
  tbGenCode(dbtWith(changed, raising, true, NO_OS, cache), CODE);
  tbGenCode(dbtWith(COUNTDOWN, raising, false, NO_OS, cache), CODE); // no chaining
  t.is(cache.hits, 0);
  // TB 0x4001's exit values (0x4001 << 2 | n) take lui+ori where TB 0's took one word
  const far = dbtWith(COUNTDOWN, raising, true, NO_OS, cache);
  const plain = dbtWith(COUNTDOWN, raising);
  for (const d of [far, plain]) (d.tbs as unknown[]).length = 0x4001;
  t.deepEqual(wordsOf(far, CODE), wordsOf(plain, CODE));
  t.is(cache.hits, 0);
  const farther = dbtWith(COUNTDOWN, raising, true, NO_OS, cache);
  (farther.tbs as unknown[]).length = 0x4005;
  tbGenCode(farther, CODE);
  t.is(cache.hits, 1, 'TB 0x4005 reuses what TB 0x4001 (exit values of the same length) gave');
});

// What a TB and a cached block keep is memory for every TB of a run (python3 -c 'print(1)': 43,000
// TBs): no typed array of its own per cached block, no object per search entry or exit jump.
test('cached blocks share the cache chunks, and a TB keeps numbers, its search table as numbers and the translator exits', (t) => {
  const cache = verifying();
  const a = dbtWith(COUNTDOWN, raising, true, NO_OS, cache);
  const tbs = PCS.map((pc) => tbGenCode(a, pc));
  const read = (addr: number, len: number) => a.guest.readBytes(addr, len);
  const placed = tbs.map((tb) => cache.find(a, tb.pc, a.maxInsns, read, tb.hostAddr, tb.index)!);
  t.is(cache.hits, 3);
  for (const p of placed) {
    t.is((p.words as Uint32Array).buffer, (placed[0].words as Uint32Array).buffer, 'one store for the words of every block');
    t.is((p.regions as Int32Array).buffer, (placed[0].regions as Int32Array).buffer, 'and one for their tags');
  }
  for (const [i, tb] of tbs.entries()) {
    for (const [key, v] of Object.entries(tb)) if (key !== 'search' && key !== 'exits') t.true(typeof v === 'number' || typeof v === 'boolean', key);
    t.is(tb.search.length % 3, 0);
    t.true(tb.search.every((v) => Number.isInteger(v) && Math.abs(v) < 2 ** 30), 'small integers (Smis), offsets from the TB pc');
    t.is(tb.exits, placed[i].exits, 'the translator exits, shared with the cache');
  }
});
