/**
 * The helper functions translated code calls (QEMU's helper_* in target/i386/tcg): their
 * host addresses in the machine's helper range. dbt-core registers the implementations (a
 * runtime those of its own scheme) and hands this table to the translator.
 */
export interface HelperAddrs {
  /** v0 = arithmetic EFLAGS from env's cc_op/cc_src/cc_dst/cc_src2 (cc_compute_all). */
  computeEflags: number;
  /** a0 = EXCP_* number, a1 = guest eip to report; never returns (unwinds to the exec loop). */
  raiseException: number;
  /**
   * x86-64 div/idiv of 64 bits: a0 = rax, a1 = rdx, a2 = divisor, a3 = 1 signed; v0 = quotient,
   * v1 = remainder; raises #DE (context saved, env's eip at the instruction) when it does not fit.
   */
  div128: number;
  /** a0 = interrupt vector, a1 = next eip; never returns (gen_interrupt). */
  raiseInterrupt: number;
  /** x86-64: a0 = a guest address outside the 47-bit user space; SIGSEGV (SEGV_MAPERR) at env's eip, context saved; never returns. */
  raiseSegv: number;
  /**
   * x86-64: a0 = an indirect branch target outside the 47-bit user space, a1 = the change the
   * branch made to rsp (signed); context saved, env's eip at the branch; never returns. A canonical
   * kernel-half target completes the branch and faults fetching there (rip = target: the vsyscall
   * page is emulated by the OS); a non-canonical one is #GP at the branch, rsp put back.
   */
  raiseBranchFault: number;
  /** a0 = guest eip; v0 = host address of its TB, or of the exit-to-loop stub (lookup_tb_ptr). */
  lookupTbPtr: number;
  /**
   * X86toMips's interpret_int: a0 = vector; performs the system call on env and returns.
   * Registered by the runtime whose system-call strategy calls it (x86tomips-style).
   */
  interpretInt?: number;
  /** cpuid on env's eax/ecx, results in env (env is saved around the call). */
  cpuid: number;
  /** rdtsc into env's edx:eax. */
  rdtsc: number;
  /**
   * A segment load (mov, pop, lds.., and %cs by far transfers): a0 = segment, a1 = selector
   * (for %cs its RPL already the CPL, except on ret/iret); env gets selector and base, or #GP/#NP
   * at the instruction (load_seg).
   */
  loadSeg: number;
  /** lar/lsl/verr/verw: a0 = SELECTOR_OPS index, a1 = selector; v0 = ZF, v1 = lar/lsl's result. */
  selectorAccess: number;
  /** sgdt/sidt/smsw/sldt/str: a0 = SYSTEM_REGISTER_OPS index; v0 = the value or table limit, v1 = the table base. */
  systemRegister: number;
  /**
   * Every x87 instruction (QEMU's fpu_helper.c): a0 = x87Desc(...), a1 = guest address of the
   * memory operand, a2 = the instruction's guest eip, a3 = fcmov condition (1 = move).
   * v0 = AX for fnstsw %ax, the ZF/PF/CF bits for fcomi/fucomi.
   */
  x87: number;
  /**
   * Every MMX/SSE instruction (SSE_OPS): a0 = encodeSseDesc(...), a1 = guest address of the
   * memory operand, a3 = a general-register source. v0 = a general-register result, or the
   * ZF/PF/CF bits for comiss/ucomiss.
   */
  sse: number;
  /** pdep/pext: a0 = 0 for pdep, 1 for pext, a1 = source, a2 = mask; v0 = the result. */
  pdepPext: number;
  /** daa/das/aaa/aas/aam/aad: a0 = BCD_OPS index, a1 = EAX, a2 = EFLAGS, a3 = base; v0 = bcdAdjust(...). */
  bcdAdjust: number;
  /**
   * a0 = guest address, a1 = length: returns when every byte may be written, else faults at the
   * first that may not (a write fault at the calling instruction); writes nothing.
   */
  checkWrite: number;
}

/** Code the translator jumps to that lives once in the code cache (see prologue.ts). */
export interface SharedCode {
  /** Entry of the epilogue path that first saves the guest context (exit stubs jump here). */
  epilogueWithSave: number;
  /** Stub returned by lookupTbPtr on a miss: exits to the loop with no TB to chain from. */
  exitNoChain: number;
}
