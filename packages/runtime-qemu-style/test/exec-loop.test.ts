// QEMU's scheme on hand-made guest code: the system call leaves the code cache.
import test from 'ava';
import { collectStats, createDbt, type GuestOs } from '@dbtlab/dbt-core';
import { MAX_REGION_BLOCKS, PROT_EXEC, PROT_READ, PROT_WRITE } from '@dbtlab/mips-host';
import { createRuntime } from '../src';

const CODE = 0x08048000;
// L: mov $20,%eax (getpid); int $0x80; dec %ebx; jnz L; mov $1,%eax; int $0x80 (exit)
const PROGRAM = [0xb8, 20, 0, 0, 0, 0xcd, 0x80, 0x4b, 0x75, 0xf6, 0xb8, 1, 0, 0, 0, 0xcd, 0x80];

class Exit extends Error {}

function run(chaining: boolean) {
  const scheme = createRuntime({ chaining });
  const calls: number[] = [];
  const os: GuestOs = {
    doSyscall: () => {
      calls.push(dbt.cpu.reg(0));
      if (dbt.cpu.reg(0) === 1) throw new Exit();
      dbt.cpu.setReg(0, 1234);
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
  dbt.cpu.setReg(3, 10); // ebx: 10 iterations
  t_throws(() => scheme.cpuLoop(dbt));
  return { calls, stats: collectStats(dbt, 0) };
}

function t_throws(f: () => void): void {
  try {
    f();
  } catch (e) {
    if (e instanceof Exit) return;
    throw e;
  }
  throw new Error('the guest did not exit');
}

test('every system call is an unwind to cpu_exec, performed by cpu_loop', (t) => {
  const { calls, stats } = run(true);
  t.deepEqual(calls, [...Array(10).fill(20), 1]);
  t.is(stats.unwinds, 11);
  t.is(stats.syscalls, 11);
  // each entry ends in either the epilogue's save or the inline save before the raise
  t.is(stats.context_saves, stats.code_cache_entries);
});

test('the system call ends the TB: the TB after it starts at the next instruction', (t) => {
  const { stats } = run(true);
  // TBs: [mov, int] [dec, jnz] [mov, int] — the loop back is a TB of its own start
  t.is(stats.tbs_translated, 3);
});

test('chaining off: one TB per entry, same guest work', (t) => {
  const on = run(true).stats;
  const off = run(false).stats;
  t.is(on.guest_insns, off.guest_insns);
  t.is(off.code_cache_entries, off.tb_executions);
  t.true(on.code_cache_entries < off.code_cache_entries);
});

/**
 * Chained TBs of a guest loop, run by the host's compiled blocks and by regions formed from the
 * first compiled run (the default forms them only after 100,000 runs of a block, which short
 * guest programs never reach): same guest state, same memory, every count identical.
 */
test('regions from the first compiled run change no count', (t) => {
  // L: add %ebx,%eax; mov %eax,0x0804a000; add 0x0804a000,%ebx; dec %ecx; jnz L; mov $1,%eax; int $0x80
  const LOOP = [0x01, 0xd8, 0xa3, 0x00, 0xa0, 0x04, 0x08, 0x03, 0x1d, 0x00, 0xa0, 0x04, 0x08, 0x49, 0x75, 0xf0, 0xb8, 1, 0, 0, 0, 0xcd, 0x80];
  const runLoop = (regionThreshold: number) => {
    const scheme = createRuntime({ chaining: true });
    const os: GuestOs = {
      doSyscall: () => {
        throw new Exit();
      },
      deliverSignal: () => {
        throw new Error('unexpected signal');
      },
      segmentBase: () => 0,
    };
    const dbt = createDbt(scheme, os);
    dbt.machine.regionThreshold = regionThreshold;
    dbt.machine.regionBlocks = MAX_REGION_BLOCKS; // the loop's TBs and their exits: several blocks
    dbt.guest.map(CODE, 0x3000, PROT_READ | PROT_WRITE | PROT_EXEC);
    dbt.guest.pokeBytes(CODE, Uint8Array.from(LOOP));
    dbt.cpu.eip = CODE;
    dbt.cpu.setReg(1, 3000); // ecx: iterations
    dbt.cpu.setReg(3, 1);
    t_throws(() => scheme.cpuLoop(dbt));
    return { regs: [0, 1, 3].map((r) => dbt.cpu.reg(r)), word: dbt.guest.read32(0x0804a000), stats: collectStats(dbt, 0) };
  };
  const plain = runLoop(Infinity);
  const regions = runLoop(1);
  t.is(plain.stats.guest_insns, 3000 * 5 + 2);
  t.deepEqual(regions, plain);
});
