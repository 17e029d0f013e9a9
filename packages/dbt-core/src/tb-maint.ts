/**
 * TB maintenance (QEMU's tb-maint.c): the page index, chaining (tbAddJump) and its undoing,
 * invalidation of one TB or of every TB over a guest range, and flushing the code cache.
 */
import { encodeJ, PAGE_SIZE, unmarkCode } from '@dbtlab/mips-host';
import type { Dbt } from './dbt';
import type { ExitSlot } from '@dbtlab/mips-codegen';
import type { TranslationBlock } from './tb';
import { jumpCacheRemove } from './tb-lookup';
import { pageProtect, pageUnprotectIfUnused } from './page-protect';

export function tbLinkPage(dbt: Dbt, tb: TranslationBlock): void {
  linkPage(dbt, tb, tb.firstPage);
  if (tb.lastPage !== tb.firstPage) linkPage(dbt, tb, tb.lastPage);
}

function linkPage(dbt: Dbt, tb: TranslationBlock, p: number): void {
  let set = dbt.pageTbs.get(p);
  if (!set) dbt.pageTbs.set(p, (set = new Set()));
  set.add(tb);
  pageProtect(dbt, p);
}

/** tb's exit slot n (goto_tb n), if it has one. */
function tbExit(tb: TranslationBlock, n: number): ExitSlot | undefined {
  let slot: ExitSlot | undefined;
  for (const e of tb.exits) if (e.index === n) slot = e;
  return slot;
}

function patchSlot(dbt: Dbt, from: TranslationBlock, slot: ExitSlot, target: number): void {
  const slotAddr = from.hostAddr + 4 * slot.slotWord;
  // the slot word keeps its tag (region and marks): the words stay in the code cache until a flush
  dbt.machine.writeCode(slotAddr, [encodeJ('j', slotAddr, target)], [dbt.machine.tagAt(slotAddr)]);
}

/** Has tb been invalidated in this engine (or flushed with its code cache)? */
export const tbIsInvalid = (dbt: Dbt, tb: TranslationBlock): boolean => dbt.tbs[tb.index] !== tb || dbt.tbState.isInvalid(tb.index);

/** The TB exit n of `from` is chained to in this engine, if any. */
export function tbJumpDest(dbt: Dbt, from: TranslationBlock, n: number): TranslationBlock | undefined {
  const to = dbt.tbState.destOf(from.index * 2 + n);
  return to < 0 ? undefined : dbt.tbs[to];
}

/** Chains exit n of `from` straight to `to` (tb_add_jump); valid TBs only, once per exit. */
export function tbAddJump(dbt: Dbt, from: TranslationBlock, n: number, to: TranslationBlock): void {
  const slot = tbExit(from, n);
  const exit = from.index * 2 + n;
  if (!slot || dbt.tbState.destOf(exit) >= 0 || tbIsInvalid(dbt, from) || tbIsInvalid(dbt, to) || dbt.tbHash.get(to.pc) !== to) return;
  patchSlot(dbt, from, slot, to.hostAddr);
  dbt.tbState.chain(exit, to.index);
  dbt.stats.chain_patches++;
  dbt.trace({ kind: 'chain-patch', pc: to.pc, detail: `from 0x${from.pc.toString(16)} exit ${n}`, hostInsns: dbt.machine.counters.insns });
}

/** Makes tb unreachable: out of the caches, the page index, and every chain (tb_phys_invalidate). */
export function tbPhysInvalidate(dbt: Dbt, tb: TranslationBlock): void {
  if (tbIsInvalid(dbt, tb)) return;
  const state = dbt.tbState;
  state.setInvalid(tb.index);
  if (dbt.tbHash.get(tb.pc) === tb) dbt.tbHash.delete(tb.pc);
  jumpCacheRemove(dbt, tb);
  dbt.pageTbs.get(tb.firstPage)?.delete(tb);
  dbt.pageTbs.get(tb.lastPage)?.delete(tb);
  // every jump into tb goes back to its stub
  state.forEachIncoming(tb.index, (exit) => {
    const from = dbt.tbs[exit >> 1];
    const slot = tbExit(from, exit & 1)!;
    patchSlot(dbt, from, slot, from.hostAddr + 4 * slot.stubWord);
    state.unchain(exit);
  });
  for (let n = 0; n < 2; n++) state.unchain(tb.index * 2 + n);
  dbt.machine.forgetCode(tb.hostAddr, tb.hostAddr + 4 * tb.hostWords);
  dbt.stats.tb_invalidations++;
  dbt.trace({ kind: 'invalidate', pc: tb.pc, hostInsns: dbt.machine.counters.insns });
}

/** Invalidates every TB whose guest code overlaps [start, start + len). Returns them. */
export function tbInvalidatePhysRange(dbt: Dbt, start: number, len: number): TranslationBlock[] {
  const hit: TranslationBlock[] = [];
  const end = start + len;
  for (let p = Math.floor(start / PAGE_SIZE); p <= Math.floor((end - 1) / PAGE_SIZE); p++) {
    const set = dbt.pageTbs.get(p);
    if (!set) continue;
    for (const tb of [...set]) {
      const linear = tb.csBase ? (tb.csBase + tb.pc) >>> 0 : tb.pc;
      if (linear < end && linear + tb.guestSize > start) {
        tbPhysInvalidate(dbt, tb);
        hit.push(tb);
      }
    }
    pageUnprotectIfUnused(dbt, p);
  }
  return hit;
}

/** Empties the code cache and every index (tb_flush), when the cache is full. */
export function tbFlush(dbt: Dbt): void {
  for (const p of dbt.pageTbs.keys()) {
    const page = dbt.guest.page(p * PAGE_SIZE);
    if (page) unmarkCode(page);
  }
  dbt.tbs.length = 0;
  dbt.tbHash.clear();
  dbt.jumpCache.fill(undefined);
  dbt.pageTbs.clear();
  dbt.codePtr = dbt.codeStart;
}
