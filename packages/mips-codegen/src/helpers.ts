/**
 * The helper functions translated code calls (QEMU's helper_* in target/i386/tcg): their
 * host addresses in the machine's helper range. dbt-core registers the implementations and
 * hands this table to the translator.
 */
export interface HelperAddrs {
  /** v0 = arithmetic EFLAGS from env's cc_op/cc_src/cc_dst/cc_src2 (cc_compute_all). */
  computeEflags: number;
  /** a0 = EXCP_* number, a1 = guest eip to report; never returns (unwinds to the exec loop). */
  raiseException: number;
  /** a0 = interrupt vector, a1 = next eip; never returns (gen_interrupt). */
  raiseInterrupt: number;
  /** a0 = guest eip; v0 = host address of its TB, or of the exit-to-loop stub (lookup_tb_ptr). */
  lookupTbPtr: number;
  /** X86toMips's interpret_int: a0 = vector; performs the system call on env and returns. */
  interpretInt: number;
  /** cpuid on env's eax/ecx, results in env (env is saved around the call). */
  cpuid: number;
  /** rdtsc into env's edx:eax. */
  rdtsc: number;
  /** mov to a segment register: a0 = segment, a1 = selector; env gets selector and base (load_seg). */
  loadSeg: number;
}

/** Code the translator jumps to that lives once in the code cache (see prologue.ts). */
export interface SharedCode {
  /** Entry of the epilogue path that first saves the guest context (exit stubs jump here). */
  epilogueWithSave: number;
  /** Stub returned by lookupTbPtr on a miss: exits to the loop with no TB to chain from. */
  exitNoChain: number;
}
