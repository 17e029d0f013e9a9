/**
 * The shape of one row of the instruction table, and the load-time compilation of a row
 * (operand letters parsed, AT&T template split) so the decoder does no string work.
 *
 * AT&T mnemonic templates (objdump's rules, written once per row):
 *   %S  operand-size suffix (b/w/l/q) unless a register operand already fixes the size
 *   %L  operand-size suffix, always (movzbl, movsl)
 *   %P  suffix only when the operand size is not the mode's default (pushw, retw, lretq)
 *       and no register operand fixes it
 *   %X  x/y (xmm/ymm source width) when a VEX-encoded source is memory (vcvtpd2psx); nothing otherwise
 *   %Y  like %S, but only in 64-bit mode (cvtsi2sdl/q in 64-bit code, plain cvtsi2sd in 32-bit)
 *   %C  condition suffix from `cond` (je, setne, cmovbe)
 *   %M  compare predicate from the 8-bit immediate (vpcmpltub, cmpltps: the list is the row's
 *       `predicates`); objdump then omits the immediate
 *   {a|b|c}  choose by operand size: 8/16 -> a, 32 -> b, 64 -> c
 *   [a|b|c]  choose by address size: 16 -> a, 32 -> b, 64 -> c
 */
import type { ControlFlow, Mode } from './ir1';
import { OP_INFO, X86Op } from './op-info';
import { M, OperandSpec, ParsedOperand, parseOperandSpec, S, USES_MODRM } from './operand-types';

/** 'wait': x87 control ops encoded after an FWAIT (9B), e.g. fstsw = 9B DD /7 */
export type OpMap = 'one' | '0f' | '0f38' | '0f3a' | 'wait';
export type MandatoryPrefix = 'none' | '66' | 'F3' | 'F2';

export interface InsnRowDef {
  readonly map: OpMap;
  readonly opcode: number;
  readonly op: X86Op;
  /** operand letters, Intel order (destination first) */
  readonly operands: readonly OperandSpec[];
  /** AT&T mnemonic template (see above) */
  readonly att: string;
  /** ModRM.reg must equal this (/digit groups) */
  readonly reg?: number;
  /** ModRM.rm must equal this (implies mod = 3) */
  readonly rm?: number;
  /** ModRM.mod must be memory (0..2) or register (3) */
  readonly mod?: 'mem' | 'reg';
  /** mandatory prefix (SSE): matched against the last of F2/F3, else 66; consumed when matched */
  readonly prefix?: MandatoryPrefix;
  /** matches only with a 66 operand-size prefix (66 90 is xchg %ax,%ax, not nop) */
  readonly need66?: boolean;
  /** matches only without REX.B (90 is nop, 41 90 is xchg %eax,%r8d) */
  readonly noRexB?: boolean;
  /** matches only with (true) or without (false) REX.W */
  readonly rexW?: boolean;
  /** encoding exists only in this mode */
  readonly mode?: Mode;
  /** 64-bit mode: operand size defaults to 64 (d64) or is always 64 (f64) */
  readonly size64?: 'd64' | 'f64';
  /** control-flow class; 'next' when absent */
  readonly cf?: ControlFlow;
  /** condition code (JCC/SETCC/CMOVCC/FCMOVCC/LOOPE/LOOPNE) */
  readonly cond?: number;
  /** VEX- or EVEX-encoded row (looked up only for that encoding; `prefix` is VEX.pp) */
  readonly vex?: 'vex' | 'evex';
  /** VEX/EVEX: vector length must be 128 << L (0: 128, 1: 256, 2: 512) */
  readonly vexL?: number;
  /** EVEX row with the same mnemonic as a VEX row (objdump then writes {evex} when nothing needs EVEX) */
  readonly vexTwin?: boolean;
  /** EVEX.b on a register form only suppresses exceptions ({sae}), it names no rounding mode */
  readonly saeOnly?: boolean;
  /** which predicate names %M uses (see CMP_PREDICATES) */
  readonly predicates?: 'int' | 'sse' | 'avx' | 'clmul';
  /** objdump prints the operands in Intel order (enter, bound), not reversed */
  readonly intelOrder?: boolean;
  /** string op: what F3 means (rep for movs/stos/lods/ins/outs, repe for cmps/scas) */
  readonly rep?: 'rep' | 'repe';
}

export interface AttPart {
  /** 0 literal, 1 %S, 2 %L, 3 %P, 4 %C, 5 {by op size}, 6 [by address size], 7 %M, 8 %Y, 9 %X */
  readonly kind: number;
  readonly text: string;
  readonly alts: readonly string[];
}

export interface InsnRow extends InsnRowDef {
  readonly parsed: readonly ParsedOperand[];
  readonly hasModrm: boolean;
  /** the template without directives, or undefined when it has some */
  readonly attPlain: string | undefined;
  readonly attParts: readonly AttPart[];
  /** the operand size matters to this row (66 and REX.W are then "used" prefixes) */
  readonly sizeMatters: boolean;
  /** the first data operand is 8-bit: the instruction's operand size is 8 */
  readonly byteOp: boolean;
  /** the first data operand is z-sized (16/32): the operand size stops at 32 (ins/outs/in/out) */
  readonly zOp: boolean;
  /** ModRM must address memory (an M operand or mod: 'mem') */
  readonly memOnly: boolean;
  /** ModRM must name a register (mod: 'reg', or a U/N operand) */
  readonly regOnly: boolean;
  /** EFLAGS of the op (OP_INFO), copied here so decoding does no lookup by name */
  readonly flagsRead: number;
  readonly flagsWritten: number;
  readonly flagsUndefined: number;
  /** the template folds the immediate into the mnemonic as a predicate (%M): which list */
  readonly immPredicate: 'int' | 'sse' | 'avx' | 'clmul' | undefined;
}

const DIRECTIVE = /%[SLPCMYX]|\{[^}]*\}|\[[^\]]*\]/g;

function compileAtt(att: string): AttPart[] {
  const parts: AttPart[] = [];
  let last = 0;
  for (const m of att.matchAll(DIRECTIVE)) {
    if (m.index > last) parts.push({ kind: 0, text: att.slice(last, m.index), alts: [] });
    const d = m[0];
    const kind = d === '%S' ? 1 : d === '%L' ? 2 : d === '%P' ? 3 : d === '%C' ? 4 : d === '%M' ? 7 : d === '%Y' ? 8 : d === '%X' ? 9 : d[0] === '{' ? 5 : 6;
    parts.push({ kind, text: '', alts: kind >= 5 ? d.slice(1, -1).split('|') : [] });
    last = m.index + d.length;
  }
  if (last < att.length) parts.push({ kind: 0, text: att.slice(last), alts: [] });
  return parts;
}

const SIZED = /([vzy]|vw|bs)$|^eAX$|^zAX$/;

/** The first operand that carries data (not an immediate, branch target, shift count 1 or port). */
function firstData(parsed: readonly ParsedOperand[]): ParsedOperand | undefined {
  return parsed.find((p) => p.method !== M.I && p.method !== M.J && p.method !== M.ONE && p.method !== M.PORT_DX);
}

export function compileRow(def: InsnRowDef): InsnRow {
  const parsed = def.operands.map(parseOperandSpec);
  const attParts = compileAtt(def.att);
  const flags: { r?: number; w?: number; u?: number } = OP_INFO[def.op];
  return {
    ...def,
    flagsRead: flags.r ?? 0,
    flagsWritten: flags.w ?? 0,
    flagsUndefined: flags.u ?? 0,
    parsed,
    hasModrm:
      def.reg !== undefined || def.rm !== undefined || def.mod !== undefined || parsed.some((p) => USES_MODRM.has(p.method)),
    attPlain: attParts.every((p) => p.kind === 0) ? def.att : undefined,
    attParts,
    byteOp: firstData(parsed)?.size === S.b,
    zOp: firstData(parsed)?.size === S.z && def.op !== 'PUSH',
    immPredicate: attParts.some((p) => p.kind === 7) ? def.predicates ?? 'int' : undefined,
    memOnly: def.mod === 'mem' || parsed.some((p) => p.method === M.M),
    regOnly: def.mod === 'reg' || parsed.some((p) => p.method === M.U || p.method === M.N),
    sizeMatters: def.operands.some((o) => SIZED.test(o)) || attParts.some((p) => p.kind === 1 || p.kind === 2 || p.kind === 3 || p.kind === 5 || p.kind === 8),
  };
}
