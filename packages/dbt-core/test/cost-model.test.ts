import test from 'ava';
import { DEFAULT_COST_MODEL, modeledCycles } from '../src/cost-model';
import { emptyStats } from '../src/stats';

test('modeled cycles are host instructions plus each event times its constant', (t) => {
  const s = { ...emptyStats('x'), host_insns: 1000, code_cache_entries: 3, syscalls: 2, unwinds: 2, helper_calls: 2 };
  const c = DEFAULT_COST_MODEL;
  t.is(modeledCycles(s), 1000 + 3 * c.execLoopIteration + 3 * c.tbLookup + 2 * c.unwind + 2 * c.syscall);
});

test('a helper charged by its own constant is not charged helperCall again', (t) => {
  const lookups = { ...emptyStats('x'), indirect_lookup_hits: 10, helper_calls: 10 };
  t.is(modeledCycles(lookups), 10 * DEFAULT_COST_MODEL.tbLookup);
  const other = { ...emptyStats('x'), helper_calls: 4 };
  t.is(modeledCycles(other), 4 * DEFAULT_COST_MODEL.helperCall);
});
