/**
 * ThreadLedger: splits an engine's counts between the guest threads that ran on it. Threads
 * of a process (and a CLONE_VM child before it execs) share one engine and its counters; at
 * each scheduler switch what the engine counted since it was last settled goes to the thread
 * that was on the host, filed under the process that owns the engine. So a process's threads
 * sum exactly to the process, and every process to the total.
 *
 *   ledger.settle(dbt, ownerPid, tid);        // after tid ran on dbt
 *   ledger.threadsOf(ownerPid);               // [{ tid, stats }] in first-run order
 */
import { collectStats, emptyStats, type Dbt, type Stats } from '@dbtlab/dbt-core';

/** One thread's part of its process's statistics (a process entry's `per_thread`). */
export interface ThreadStats {
  tid: number;
  /** What the engine counted while this thread ran (no tbs_per_entry: that is the code cache's, per process). */
  stats: Stats;
}

/** Fields that are not counts, or not split by thread (the histogram of the shared code cache). */
const NOT_SPLIT = new Set(['runtime', 'wall_ms', 'exit_status', 'tbs_per_entry']);

export class ThreadLedger {
  /** Per engine, its counts already given to a thread. */
  private readonly settled = new Map<Dbt, Stats>();
  /** Per owner pid, per tid, the counts given. */
  private readonly parts = new Map<number, Map<number, Stats>>();

  /** Gives what `dbt` counted since it was last settled to thread `tid` of process `owner`. */
  settle(dbt: Dbt, owner: number, tid: number): void {
    const now = collectStats(dbt, 0);
    const base = this.settled.get(dbt) ?? emptyStats(now.runtime);
    const byTid = this.parts.get(owner) ?? new Map<number, Stats>();
    this.parts.set(owner, byTid);
    const mine = byTid.get(tid) ?? emptyStats(now.runtime);
    byTid.set(tid, mine);
    for (const [k, v] of Object.entries(now)) {
      if (NOT_SPLIT.has(k)) continue;
      const m = mine as unknown as Record<string, number | Record<string, number>>;
      const b = base as unknown as Record<string, number | Record<string, number>>;
      if (typeof v === 'number') {
        (m[k] as number) += v - (b[k] as number);
        (b[k] as number) = v;
      } else {
        const mo = m[k] as Record<string, number>;
        const bo = b[k] as Record<string, number>;
        for (const [kk, vv] of Object.entries(v as Record<string, number>)) {
          mo[kk] += vv - bo[kk];
          bo[kk] = vv;
        }
      }
    }
    this.settled.set(dbt, base);
  }

  /** No more counts will come from `dbt` (retired): forget its baseline. */
  drop(dbt: Dbt): void {
    this.settled.delete(dbt);
  }

  /** The threads whose counts went to process `owner`, in the order they first ran. */
  threadsOf(owner: number): ThreadStats[] {
    return [...(this.parts.get(owner) ?? new Map<number, Stats>())].map(([tid, stats]) => ({ tid, stats }));
  }
}
