// Every workload through both runtimes (and the ablation that fixes X86toMips's SMC case):
// stdout, stderr and exit status byte for byte against the native run's recorded output,
// except where the scheme is expected to differ (stale code after a system call).
import test from 'ava';
import { findConfig, runWorkload } from '../../src/experiments';
import { WORKLOADS } from '../../src/workloads';

const configs = [findConfig('qemu-style'), findConfig('x86tomips-style'), findConfig('x86tomips-style', 'syscall-ends-tb')];

for (const w of WORKLOADS) {
  for (const c of configs) {
    test(`${w.name} through ${c.runtime} ${c.config}`, (t) => {
      const r = runWorkload(w.name, c);
      t.is(r.error, undefined);
      t.is(r.matchesNative, r.expectedToMatch, r.matchesNative ? 'matches native but was expected to differ' : 'differs from native');
      if (!r.expectedToMatch) t.true(r.stats.stale_tb_executions > 0, 'a difference must come from stale TB executions');
    });
  }
}
