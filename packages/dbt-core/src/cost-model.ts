/**
 * The cost model: work a real DBT does in host code that dbtlab does in TypeScript is
 * charged here in modeled host cycles, each constant with where its value comes from.
 * Host instructions executed on the simulated MIPS host are counted exactly and charged
 * one cycle each (an in-order, single-issue core: Loongson 3A-like at IPC ~1).
 * modeled_cycles = host_insns + sum(event count x constant).
 */
import type { Stats } from './stats';

export interface CostModel {
  /** One host instruction executed in the code cache. */
  hostInsn: number;
  /** One iteration of the exec loop outside the code cache (cpu_exec's loop body). */
  execLoopIteration: number;
  /** A TB lookup in the hash table (tb_lookup / helper_lookup_tb_ptr body). */
  tbLookup: number;
  /** sigsetjmp at each cpu_exec entry plus siglongjmp per unwind (cpu_loop_exit). */
  unwind: number;
  /** Kernel entry and exit of one system call plus the emulator's argument marshalling. */
  syscall: number;
  /** Translating one guest instruction (tb_gen_code: decode + IR + host code), per insn. */
  translatePerInsn: number;
  /** One helper call's body other than the above (compute_eflags and friends). */
  helperCall: number;
}

export const DEFAULT_COST_MODEL: CostModel = {
  hostInsn: 1,
  // cpu_exec loop body: interrupt/exception checks, tb_find fast path, cpu_tb_exec call
  // (QEMU 7.2 accel/tcg/cpu-exec.c, ~60 host instructions on x86-64 by inspection).
  execLoopIteration: 60,
  // tb_jmp_cache probe + qht lookup on a miss (~40 instructions, qht_lookup fast path).
  tbLookup: 40,
  // glibc sigsetjmp saves ~8 registers + signal mask syscall-free path; siglongjmp ~30.
  unwind: 80,
  // i386 int 0x80 under qemu-user: guest->host marshalling + host syscall round trip
  // (~1000 cycles measured for getppid on x86-64 Linux with mitigations: order of magnitude).
  syscall: 1000,
  // QEMU translation throughput is of order 1-10 MB/s of guest code; ~2000 cycles/insn.
  translatePerInsn: 2000,
  helperCall: 20,
};

export function modeledCycles(s: Stats, c: CostModel = DEFAULT_COST_MODEL): number {
  return (
    s.host_insns * c.hostInsn +
    s.code_cache_entries * c.execLoopIteration +
    (s.code_cache_entries + s.indirect_lookup_hits + s.indirect_lookup_misses) * c.tbLookup +
    s.unwinds * c.unwind +
    s.syscalls * c.syscall +
    s.translate_guest_insns * c.translatePerInsn +
    s.helper_calls * c.helperCall
  );
}
