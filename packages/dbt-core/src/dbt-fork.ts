/**
 * fork of an engine: the child process's Dbt (QEMU user mode forks the whole host process,
 * so its child keeps the parent's code cache). Here the child gets:
 *   - a copy of every guest page (contents, protection, SMC marks) and of env; the contents
 *     copy-on-write (a child that execs at once never copies the parent's pages);
 *   - the parent's TBs: the code-cache words (chained jumps included: they are absolute
 *     addresses, the same in both caches; copy-on-write too), the TB cache, the page->TB index,
 *     the same TB objects with a copy of their validity and chains (TbState);
 *   - empty statistics, except tbs_inherited = the TBs it received.
 * After the fork each side invalidates, chains and translates on its own.
 *
 *   const child = dbtFork(parent, childOs);
 */
import { CODE_CACHE_BASE, CODE_CACHE_END, ENV_BASE, ENV_SIZE, GuestMemory, HostMemory } from '@dbtlab/mips-host';
import { Dbt } from './dbt';
import type { GuestOs } from './guest-os';

export function dbtFork(parent: Dbt, os: GuestOs): Dbt {
  const mem = new HostMemory();
  const { base, size, bits } = parent.guest;
  parent.mem.copyPagesTo(mem, base, base + size);
  const child = new Dbt({ ...parent.config, os, guest: new GuestMemory(mem, bits) });
  // env after the child's own set-up (which resets the FPU): the parent's registers win
  mem.pokeBytes(ENV_BASE, parent.mem.readBytes(ENV_BASE, ENV_SIZE));
  inheritTbs(parent, child);
  // modes the parent's TBs were translated in stay the child's (QEMU's forked hflags and cflags)
  child.segmented = parent.segmented;
  child.segmentLimits = parent.segmentLimits;
  child.segmentsUsed = parent.segmentsUsed;
  child.alignChecks = parent.alignChecks;
  child.parallel = parent.parallel;
  return child;
}

/** The TB objects are shared (they never change); the engine's own state of them is copied. */
function inheritTbs(parent: Dbt, child: Dbt): void {
  for (const tb of parent.tbs) child.tbs.push(tb);
  child.tbState = parent.tbState.clone();
  child.machine.inheritCode(parent.machine, CODE_CACHE_BASE, CODE_CACHE_END);
  for (const [pc, tb] of parent.tbHash) child.tbHash.set(pc, tb);
  for (const [page, set] of parent.pageTbs) child.pageTbs.set(page, new Set(set));
  child.codePtr = parent.codePtr;
  child.stats.tbs_inherited = parent.tbs.length;
  if (child.codeStart !== parent.codeStart || parent.codePtr < CODE_CACHE_BASE) throw new Error('dbtFork: code caches differ in layout');
}
