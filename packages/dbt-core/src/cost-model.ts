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
  /** One iteration of the exec loop outside the code cache (cpu_exec's loop body, cpu_tb_exec). */
  execLoopIteration: number;
  /** A TB lookup that hits (tb_lookup: tb_jmp_cache probe; helper_lookup_tb_ptr's body). */
  tbLookup: number;
  /**
   * Leaving the code cache by cpu_loop_exit and coming back: siglongjmp, the return to
   * cpu_loop and its exception dispatch, cpu_exec re-entry with its sigsetjmp.
   */
  unwind: number;
  /** One system call: do_syscall's marshalling and dispatch plus the host kernel round trip. */
  syscall: number;
  /** Translating one guest instruction (tb_gen_code's share that grows with TB length). */
  translatePerInsn: number;
  /** Translating one TB apart from its instructions (lookup miss, tb_gen_code setup, linking). */
  translatePerTb: number;
  /** One helper call's body (compute_eflags and friends); the call sequence is host code. */
  helperCall: number;
}

/*
 * Measured 2026-11-25 on this machine (2 vCPU x86-64 VM, Debian 12) from real qemu-i386 7.2
 * (7.2+dfsg-7+deb12u18) with `bash tools/measure-cost-model.sh`: x86-64 user-space instructions
 * counted by valgrind callgrind, differences between runs of the i386 programs of
 * tools/cost-model/ at two sizes, per extra event. Instructions run inside QEMU's code cache are
 * left out (dbtlab counts its own translated code, prologue, epilogue and call sequences).
 * Instruction counts repeat to within ~100 per run, so each slope below is exact to < 0.01.
 * x86-64 instructions stand for MIPS cycles at IPC ~1, a modelling assumption.
 */
export const DEFAULT_COST_MODEL: CostModel = {
  hostInsn: 1,
  // loop.S under -d nochain vs chained: 146.0 more instructions per extra cpu_exec iteration,
  // minus 19.0 in the code cache (prologue, exit_tb, epilogue) and tbLookup (tb_find's lookup).
  execLoopIteration: 56,
  // indirect.S (`jmp *%edx` loop): 71.0 instructions inside helper_lookup_tb_ptr per call
  // (curr_cflags, cpu_get_tb_cpu_state, tb_jmp_cache hit); 75.0 with the call sequence.
  tbLookup: 71,
  // syscall.S NR=500 (ENOSYS, no host call) minus the loop without int $0x80: 1896.0 per call;
  // minus code cache 18.0, re-entry 56+71, do_syscall(ENOSYS) 144.0, helperCall 37 = 1570.
  // Includes x86_cpu_do_interrupt and QOM cast checks (object_class_dynamic_cast with its
  // glib hash lookups, ~750), siglongjmp, cpu_loop's dispatch, cpu_exec's sigsetjmp.
  unwind: 1570,
  // syscall.S NR=20 (getpid): do_syscall 158.0 instructions per call (user side) plus the
  // kernel round trip, which valgrind cannot see: kernel-time.c times raw getpid against a
  // dependent-add chain, 393 cycles (median of 5 runs of 332..548; the machine was loaded).
  syscall: 551,
  // translate.S, K=200 vs 400 blocks of 5 and of 13 instructions (mov, add imm, store,
  // load+cmp; jmp), each translated and run once: per new TB, the instructions outside the
  // code cache and the cpu_exec entry (tb_gen_code 31801.7 per 5-insn TB, lookup miss,
  // tb_add_jump) fit 3556.5 per guest instruction ...
  translatePerInsn: 3557,
  // ... plus 14627.5 per TB.
  translatePerTb: 14628,
  // helper.S (`lahf` after sub): 37.0 instructions inside helper_cc_compute_all (CC_OP_SUBL)
  // per call; 47.0 with the call sequence and the AH deposit.
  helperCall: 37,
};

export function modeledCycles(s: Stats, c: CostModel = DEFAULT_COST_MODEL): number {
  // helper calls charged by their own constants are not charged helperCall again: lookups
  // (tbLookup), raising helpers (unwind) and X86toMips's interpret_int (syscall)
  const inlineSyscalls = Math.max(0, s.syscalls - s.unwinds);
  const otherHelpers = Math.max(0, s.helper_calls - s.indirect_lookup_hits - s.indirect_lookup_misses - s.unwinds - inlineSyscalls);
  return (
    s.host_insns * c.hostInsn +
    s.code_cache_entries * c.execLoopIteration +
    (s.code_cache_entries + s.indirect_lookup_hits + s.indirect_lookup_misses) * c.tbLookup +
    s.unwinds * c.unwind +
    s.syscalls * c.syscall +
    s.translate_guest_insns * c.translatePerInsn +
    s.tbs_translated * c.translatePerTb +
    otherHelpers * c.helperCall
  );
}
