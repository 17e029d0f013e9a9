/**
 * SMC by stores (QEMU's user-exec.c page_protect / page_unprotect): a guest page holding
 * translated code is marked in host memory so translated stores to it fault; the fault
 * invalidates the page's TBs and lets the store proceed.
 */
import { markCode, PAGE_SIZE, unmarkCode } from '@dbtlab/mips-host';
import type { Dbt } from './dbt';
import { tbFindByHostPc } from './tb-lookup';
import { cpuRestoreState } from './translate-all';
import { tbIsInvalid } from './tb-maint';

export function pageProtect(dbt: Dbt, guestPage: number): void {
  const page = dbt.guest.page(guestPage * PAGE_SIZE);
  if (page) markCode(page);
}

export function pageUnprotectIfUnused(dbt: Dbt, guestPage: number): void {
  if (dbt.pageTbs.get(guestPage)?.size) return;
  dbt.pageTbs.delete(guestPage);
  const page = dbt.guest.page(guestPage * PAGE_SIZE);
  if (page) unmarkCode(page);
}

export const PAGE_UNPROTECT_RETRY = 1;
export const PAGE_UNPROTECT_RESTART = 2;

/**
 * Handles a store fault at host address `hostAddr` by the instruction at `hostPc`.
 * Invalidates every TB on the page (and, for shared bytes, every TB made from them through
 * another mapping, in any engine) and makes it writable until code is translated from it
 * again. Returns 1: retry the store; 2: the running TB was invalidated (and had more than
 * one instruction): its state at the store is restored in env and the next TB is limited to
 * that one instruction, so the store runs and code after it is translated anew.
 */
export function pageUnprotect(dbt: Dbt, hostAddr: number, hostPc: number): 1 | 2 {
  const guestPage = Math.floor(dbt.guest.guestAddress(hostAddr) / PAGE_SIZE);
  const current = tbFindByHostPc(dbt, hostPc);
  dbt.stats.smc_faults++;
  dbt.trace({ kind: 'smc-fault', pc: current?.pc, detail: `store to 0x${dbt.guest.guestAddress(hostAddr).toString(16)}`, hostInsns: dbt.machine.counters.insns });
  if (current) cpuRestoreState(dbt, current, hostPc);
  dbt.mem.codeStored(dbt.guest.hostAddress(guestPage * PAGE_SIZE), PAGE_SIZE);
  pageUnprotectIfUnused(dbt, guestPage);
  if (current && tbIsInvalid(dbt, current) && current.icount > 1) {
    dbt.cflagsNextTb = 1;
    return PAGE_UNPROTECT_RESTART;
  }
  return PAGE_UNPROTECT_RETRY;
}
