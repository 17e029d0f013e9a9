// End to end: real i386 programs through both runtimes, against the native reference.
import test from 'ava';
import { findConfig, runWorkload as runNamed, type RuntimeConfig } from '../src/experiments';
import type { Workload } from '../src/workloads';
import { getWorkload } from '../src/workloads';

const qemu = findConfig('qemu-style');
const noChain = findConfig('qemu-style', 'no-chain');
const x86tomips = findConfig('x86tomips-style');
const runWorkload = (w: Workload, c: RuntimeConfig) => runNamed(w.name, c);

for (const name of ['loop', 'calls', 'branches', 'memory', 'syscalls']) {
  for (const c of [qemu, x86tomips]) {
    test(`${name} through ${c.runtime} prints what the native run printed`, (t) => {
      const r = runWorkload(getWorkload(name), c);
      t.is(r.error, undefined);
      t.true(r.matchesNative);
      t.true(r.stats.guest_insns > 0);
      t.true(r.stats.host_insns > r.stats.guest_insns);
    });
  }
}

test('counts are deterministic: the same program twice gives identical statistics', (t) => {
  for (const c of [qemu, x86tomips]) {
    const a = runWorkload(getWorkload('calls'), c).stats;
    const b = runWorkload(getWorkload('calls'), c).stats;
    t.deepEqual({ ...a, wall_ms: 0 }, { ...b, wall_ms: 0 });
  }
});

test('qemu-style chains a warm loop: far fewer code-cache entries than TB executions', (t) => {
  const s = runWorkload(getWorkload('loop'), qemu).stats;
  t.true(s.code_cache_entries * 100 < s.tb_executions, `${s.code_cache_entries} entries, ${s.tb_executions} TBs`);
  t.true(s.chain_patches > 0);
  // the tbs_per_entry histogram accounts for every entry and every TB, the long entries (keys past 63) too
  const h = Object.entries(s.tbs_per_entry).map(([k, n]) => [Number(k), n]);
  t.is(h.reduce((sum, [, n]) => sum + n, 0), s.code_cache_entries);
  t.is(h.reduce((sum, [k, n]) => sum + k * n, 0), s.tb_executions);
  t.true(h.some(([k]) => k < 64) && h.some(([k]) => k >= 64));
});

test('x86tomips-style runs exactly one TB per code-cache entry', (t) => {
  const s = runWorkload(getWorkload('loop'), x86tomips).stats;
  t.is(s.code_cache_entries, s.tb_executions);
  t.deepEqual(Object.keys(s.tbs_per_entry), ['1']);
  t.is(s.chain_patches, 0);
});

test('the same guest instructions execute whatever the scheme', (t) => {
  const runs = [qemu, noChain, x86tomips].map((c) => runWorkload(getWorkload('syscalls'), c).stats);
  t.is(new Set(runs.map((s) => s.guest_insns)).size, 1);
  // chaining changes how TBs are entered, not how many run
  t.is(runs[0].tb_executions, runs[1].tb_executions);
});

test('x86tomips-style handles system calls inside TBs (no unwinds), qemu-style unwinds once per call', (t) => {
  const q = runWorkload(getWorkload('syscalls'), qemu).stats;
  const x = runWorkload(getWorkload('syscalls'), x86tomips).stats;
  t.is(x.unwinds, 0);
  t.is(q.unwinds, q.syscalls);
  t.is(q.syscalls, x.syscalls);
});
