/**
 * TB maintenance (QEMU's tb-maint.c): the page index, chaining (tbAddJump) and its undoing,
 * invalidation of one TB or of every TB over a guest range, and flushing the code cache.
 */
import { encodeJ, PAGE_SIZE } from '@dbtlab/mips-host';
import type { Dbt } from './dbt';
import type { TbJump, TranslationBlock } from './tb';
import { jumpCacheRemove } from './tb-lookup';
import { pageProtect, pageUnprotectIfUnused } from './page-protect';

export function tbLinkPage(dbt: Dbt, tb: TranslationBlock): void {
  for (const p of tb.pages) {
    let set = dbt.pageTbs.get(p);
    if (!set) dbt.pageTbs.set(p, (set = new Set()));
    set.add(tb);
    pageProtect(dbt, p);
  }
}

function patchSlot(dbt: Dbt, from: TranslationBlock, jump: TbJump, target: number): void {
  const slotAddr = from.hostAddr + 4 * jump.slot.slotWord;
  dbt.machine.writeCode(slotAddr, [encodeJ('j', slotAddr, target)], [jump.tag]);
}

/** Chains exit n of `from` straight to `to` (tb_add_jump); valid TBs only, once per exit. */
export function tbAddJump(dbt: Dbt, from: TranslationBlock, n: number, to: TranslationBlock): void {
  const jump = from.jumps[n];
  if (!jump || jump.dest || from.invalid || to.invalid || dbt.tbHash.get(to.pc) !== to) return;
  patchSlot(dbt, from, jump, to.hostAddr);
  jump.dest = to;
  to.incoming.push({ from, n });
  dbt.stats.chain_patches++;
  dbt.trace({ kind: 'chain-patch', pc: to.pc, detail: `from 0x${from.pc.toString(16)} exit ${n}`, hostInsns: dbt.machine.counters.insns });
}

/** Unpatches every jump into tb (its exits go back to their stubs). */
function tbJmpUnlinkIncoming(dbt: Dbt, tb: TranslationBlock): void {
  for (const { from, n } of tb.incoming) {
    const jump = from.jumps[n];
    if (jump?.dest !== tb) continue;
    patchSlot(dbt, from, jump, from.hostAddr + 4 * jump.slot.stubWord);
    jump.dest = undefined;
  }
  tb.incoming.length = 0;
}

/** Makes tb unreachable: out of the caches, the page index, and every chain (tb_phys_invalidate). */
export function tbPhysInvalidate(dbt: Dbt, tb: TranslationBlock): void {
  if (tb.invalid) return;
  tb.invalid = true;
  if (dbt.tbHash.get(tb.pc) === tb) dbt.tbHash.delete(tb.pc);
  jumpCacheRemove(dbt, tb);
  for (const p of tb.pages) dbt.pageTbs.get(p)?.delete(tb);
  tbJmpUnlinkIncoming(dbt, tb);
  for (const j of tb.jumps) {
    if (j?.dest) {
      const list = j.dest.incoming;
      const i = list.findIndex((e) => e.from === tb);
      if (i >= 0) list.splice(i, 1);
      j.dest = undefined;
    }
  }
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
  for (const tb of dbt.tbs) tb.invalid = true;
  for (const p of dbt.pageTbs.keys()) {
    const page = dbt.guest.page(p * PAGE_SIZE);
    if (page) page.smc = false;
  }
  dbt.tbs.length = 0;
  dbt.tbHash.clear();
  dbt.jumpCache.fill(undefined);
  dbt.pageTbs.clear();
  dbt.codePtr = dbt.codeStart;
}
