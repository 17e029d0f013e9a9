/**
 * Host register roles inside translated code (X86toMips pins guest registers, as the talk's
 * system does): guest EAX..EDI live in s0..s7 (callee-saved, so helper calls keep them), the
 * lazy-flag values in caller-saved t8/t9/t2 (spilled around helper calls), env in fp, the guest
 * window's base in gp. Everything else is scratch for one guest instruction at a time.
 */
import { REG } from '@dbtlab/mips-host';

/** Host register holding guest register r (r = 0..7, x86 encoding order). */
export const GUEST_REG_HOST: readonly number[] = [REG.s0, REG.s1, REG.s2, REG.s3, REG.s4, REG.s5, REG.s6, REG.s7];
/**
 * x86-64 (16 registers, each a full 64-bit value): rax..rdi as above, r8..r15 pinned on
 * a4..a7, t0, t1, t3, k0 (nothing in this host's code uses k0), leaving fewer scratch registers.
 */
export const GUEST_REG_HOST_64: readonly number[] = [...GUEST_REG_HOST, REG.a4, REG.a5, REG.a6, REG.a7, REG.t0, REG.t1, REG.t3, REG.k0];
export const ENV_REG = REG.fp;
export const GUEST_BASE_REG = REG.gp;
export const CC_SRC_REG = REG.t8;
export const CC_DST_REG = REG.t9;
export const CC_SRC2_REG = REG.t2;
/** The lazy-flag registers, spilled to env around helper calls and at context save. */
export const CC_REGS = [CC_SRC_REG, CC_DST_REG, CC_SRC2_REG] as const;
/** Scratch registers handed out per guest instruction (v0 and a0..a3 are also helper-call registers). */
export const SCRATCH_REGS: readonly number[] = [REG.v1, REG.a4, REG.a5, REG.a6, REG.a7, REG.t0, REG.t1, REG.t3, REG.a0, REG.a1, REG.a2, REG.a3];
export const SCRATCH_REGS_64: readonly number[] = [REG.v1, REG.k1, REG.a0, REG.a1, REG.a2, REG.a3];
/** Callee-saved registers the code-cache prologue saves for its host caller (QEMU's tcg prologue). */
export const CALLEE_SAVED = [REG.s0, REG.s1, REG.s2, REG.s3, REG.s4, REG.s5, REG.s6, REG.s7, REG.gp, REG.fp, REG.ra] as const;
