/** Finding TBs: by guest pc (jump cache, then hash table: QEMU's tb_lookup) and by host pc. */
import type { Dbt } from './dbt';
import type { TranslationBlock } from './tb';

const JC_MASK = 4095;

export function tbLookup(dbt: Dbt, pc: number): TranslationBlock | undefined {
  const slot = (pc ^ (pc >>> 12)) & JC_MASK;
  const hit = dbt.jumpCache[slot];
  if (hit !== undefined && hit.pc === pc) return hit;
  const tb = dbt.tbHash.get(pc);
  if (tb) dbt.jumpCache[slot] = tb;
  return tb;
}

export function jumpCacheRemove(dbt: Dbt, tb: TranslationBlock): void {
  const slot = (tb.pc ^ (tb.pc >>> 12)) & JC_MASK;
  if (dbt.jumpCache[slot] === tb) dbt.jumpCache[slot] = undefined;
}

/** The TB whose host code contains hostPc (TBs are laid out in index order). */
export function tbFindByHostPc(dbt: Dbt, hostPc: number): TranslationBlock | undefined {
  const tbs = dbt.tbs;
  let lo = 0;
  let hi = tbs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const tb = tbs[mid];
    if (hostPc < tb.hostAddr) hi = mid - 1;
    else if (hostPc >= tb.hostAddr + 4 * tb.hostWords) lo = mid + 1;
    else return tb;
  }
  return undefined;
}
