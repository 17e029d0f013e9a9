/** Finding TBs: by guest pc (jump cache, then hash table: QEMU's tb_lookup) and by host pc. */
import { AC, R_CS } from '@dbtlab/x86-frontend';
import type { Dbt } from './dbt';
import type { TranslationBlock } from './tb';

const JC_MASK = 4095;

/**
 * The TB for pc in the current code segment. Once the process has left the flat 32-bit code
 * segment (Dbt.codeSegments) a TB matches only with its segment's base, size and limit, and %ss's size (QEMU's
 * tb_lookup_cmp on cs_base and flags); once it has set EFLAGS.AC (Dbt.alignChecks), only with AC
 * as the TB was made for. The hash keeps one TB per pc, the latest translated.
 */
export function tbLookup(dbt: Dbt, pc: number): TranslationBlock | undefined {
  const slot = (pc ^ (pc >>> 12)) & JC_MASK;
  const hit = dbt.jumpCache[slot];
  if (hit !== undefined && hit.pc === pc) return (dbt.codeSegments || dbt.alignChecks) && !matches(dbt, hit) ? undefined : hit;
  const tb = dbt.tbHash.get(pc);
  if (!tb || ((dbt.codeSegments || dbt.alignChecks) && !matches(dbt, tb))) return undefined;
  dbt.jumpCache[slot] = tb;
  return tb;
}

const matches = (dbt: Dbt, tb: TranslationBlock): boolean =>
  (!dbt.codeSegments || (tb.csBase === dbt.cpu.segBase(R_CS) && tb.code16 === dbt.cpu.code16 && tb.ss16 === dbt.cpu.ss16 && tb.csLimit === dbt.cpu.segBounds(R_CS).hi)) && (!dbt.alignChecks || tb.alignCheck === ((dbt.cpu.eflagsRest & AC) !== 0));

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
