// X86toMips's scheme on hand-made guest code: the system call runs inside the TB.
import test from 'ava';
import { collectStats, createDbt, type GuestOs } from '@dbtlab/dbt-core';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from '@dbtlab/mips-host';
import { createRuntime } from '../src';

const CODE = 0x08048000;
// L: mov $20,%eax (getpid); int $0x80; dec %ebx; jnz L; mov $1,%eax; int $0x80 (exit)
const PROGRAM = [0xb8, 20, 0, 0, 0, 0xcd, 0x80, 0x4b, 0x75, 0xf6, 0xb8, 1, 0, 0, 0, 0xcd, 0x80];

class Exit extends Error {}

function run(options: { syscallEndsTb?: boolean; chaining?: boolean } = {}) {
  const scheme = createRuntime(options);
  const results: number[] = [];
  const os: GuestOs = {
    doSyscall: () => {
      if (dbt.cpu.reg(0) === 1) throw new Exit();
      dbt.cpu.setReg(0, 1234);
      results.push(dbt.cpu.reg(0));
    },
    deliverSignal: () => {
      throw new Error('unexpected signal');
    },
    segmentBase: () => 0,
  };
  const dbt = createDbt(scheme, os);
  dbt.guest.map(CODE, 0x1000, PROT_READ | PROT_WRITE | PROT_EXEC);
  dbt.guest.pokeBytes(CODE, Uint8Array.from(PROGRAM));
  dbt.cpu.eip = CODE;
  dbt.cpu.setReg(3, 10);
  try {
    scheme.cpuLoop(dbt);
  } catch (e) {
    if (!(e instanceof Exit)) throw e;
  }
  return { results, stats: collectStats(dbt, 0) };
}

test('system calls run inside the TB: no unwinds, inline context switches', (t) => {
  const { results, stats } = run();
  t.deepEqual(results, Array(10).fill(1234));
  t.is(stats.syscalls, 11);
  t.is(stats.unwinds, 0);
  t.true(stats.host_insns_by_region.context_save > 0);
});

test('exactly one TB per code-cache entry, and the system call does not end the TB', (t) => {
  const { stats } = run();
  t.is(stats.code_cache_entries, stats.tb_executions);
  // [mov, int, dec, jnz] and [mov, int] (the exit, translated once the loop falls through)
  t.is(stats.tbs_translated, 2);
});

test('ablations: the system call may end the TB; chaining may link TBs', (t) => {
  const ends = run({ syscallEndsTb: true }).stats;
  t.is(ends.tbs_translated, 3);
  t.is(ends.unwinds, 0);
  const chained = run({ chaining: true }).stats;
  t.true(chained.code_cache_entries < chained.tb_executions);
  t.is(chained.guest_insns, run().stats.guest_insns);
});
