/**
 * The helper functions translated code calls (QEMU's helper_* in target/i386/tcg): their
 * host addresses in the machine's helper range. dbt-core registers the implementations (a
 * runtime those of its own scheme) and hands this table to the translator.
 */
import type { X86Op } from '@dbtlab/x86-frontend';

export interface HelperAddrs {
  /** v0 = arithmetic EFLAGS from env's cc_op/cc_src/cc_dst/cc_src2 (cc_compute_all). */
  computeEflags: number;
  /** a0 = EXCP_* number, a1 = guest eip to report; never returns (unwinds to the exec loop). */
  raiseException: number;
  /** a0 = interrupt vector, a1 = next eip; never returns (gen_interrupt). */
  raiseInterrupt: number;
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
  /** mov to a segment register: a0 = segment, a1 = selector; env gets selector and base (load_seg). */
  loadSeg: number;
  /**
   * Every x87 instruction (QEMU's fpu_helper.c): a0 = x87Desc(...), a1 = guest address of the
   * memory operand, a2 = the instruction's guest eip, a3 = fcmov condition (1 = move).
   * v0 = AX for fnstsw %ax, the ZF/PF/CF bits for fcomi/fucomi.
   */
  x87: number;
  /** daa/das/aaa/aas/aam/aad: a0 = BCD_OPS index, a1 = EAX, a2 = EFLAGS, a3 = base; v0 = bcdAdjust(...). */
  bcdAdjust: number;
}

/**
 * The x87 operations the x87 helper implements, in descriptor order: the translator passes
 * an index into this list, dbt-core's fpu/ dispatches on the name.
 */
export const X87_OPS = [
  'FLD', 'FST', 'FSTP', 'FILD', 'FIST', 'FISTP', 'FISTTP', 'FBLD', 'FBSTP',
  'FADD', 'FADDP', 'FIADD', 'FSUB', 'FSUBP', 'FISUB', 'FSUBR', 'FSUBRP', 'FISUBR',
  'FMUL', 'FMULP', 'FIMUL', 'FDIV', 'FDIVP', 'FIDIV', 'FDIVR', 'FDIVRP', 'FIDIVR',
  'FCOM', 'FCOMP', 'FCOMPP', 'FUCOM', 'FUCOMP', 'FUCOMPP', 'FICOM', 'FICOMP',
  'FCOMI', 'FCOMIP', 'FUCOMI', 'FUCOMIP', 'FTST', 'FXAM',
  'FXCH', 'FCHS', 'FABS', 'FSQRT', 'FRNDINT', 'FSCALE', 'FXTRACT', 'FPREM', 'FPREM1',
  'FLD1', 'FLDL2T', 'FLDL2E', 'FLDPI', 'FLDLG2', 'FLDLN2', 'FLDZ',
  'FSIN', 'FCOS', 'FSINCOS', 'FPTAN', 'FPATAN', 'F2XM1', 'FYL2X', 'FYL2XP1',
  'FDECSTP', 'FINCSTP', 'FFREE', 'FFREEP', 'FNOP', 'FCMOVCC',
  'FLDCW', 'FNSTCW', 'FSTCW', 'FNSTSW', 'FSTSW', 'FNCLEX', 'FCLEX', 'FNINIT', 'FINIT',
  'FNSTENV', 'FSTENV', 'FLDENV', 'FNSAVE', 'FSAVE', 'FRSTOR', 'WAIT',
] as const satisfies readonly X86Op[];
export type X87Op = (typeof X87_OPS)[number];

/** Fields of the x87 helper's a0 descriptor. */
export interface X87Desc {
  /** index in X87_OPS */
  op: number;
  /** memory operand bits (16, 32, 64, 80), 0 for a register form or none */
  memBits: number;
  /** i of the st(i) operand */
  sti: number;
  /** the register form writes st(i) (DC/DE rows), not st(0) */
  destSti: boolean;
  /** the 11-bit x87 opcode (FOP): low 3 bits of the escape byte, then ModRM */
  fop: number;
}

const MEM_BITS = [0, 16, 32, 64, 80] as const;

export function encodeX87Desc(d: X87Desc): number {
  const bits = MEM_BITS.indexOf(d.memBits as (typeof MEM_BITS)[number]);
  if (bits < 0) throw new RangeError(`x87 descriptor: memory size ${d.memBits}`);
  return d.op | (bits << 7) | (d.sti << 10) | (d.destSti ? 1 << 13 : 0) | ((d.fop & 0x7ff) << 16);
}

export function decodeX87Desc(v: number): X87Desc {
  return {
    op: v & 0x7f,
    memBits: MEM_BITS[(v >>> 7) & 7],
    sti: (v >>> 10) & 7,
    destSti: ((v >>> 13) & 1) === 1,
    fop: (v >>> 16) & 0x7ff,
  };
}

/** Code the translator jumps to that lives once in the code cache (see prologue.ts). */
export interface SharedCode {
  /** Entry of the epilogue path that first saves the guest context (exit stubs jump here). */
  epilogueWithSave: number;
  /** Stub returned by lookupTbPtr on a miss: exits to the loop with no TB to chain from. */
  exitNoChain: number;
}

// the helper bodies that live with their translation (dbt-core registers them)
export { bcdAdjust, BCD_OPS } from './gen-bcd';
