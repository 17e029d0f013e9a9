/**
 * IR1: the decoded guest instruction, as the decoder hands it to the translator and the
 * disassembler. Field meanings are the contract with mips-codegen; see README.md.
 */
import type { X86Op } from './op-info';
import type { InsnRow } from './insn-row';

export type Mode = 32 | 64;

export type ControlFlow =
  | 'next'
  | 'jump'
  | 'jcc'
  | 'call'
  | 'ret'
  | 'jump-indirect'
  | 'call-indirect'
  /** int 0x80, syscall, sysenter */
  | 'syscall'
  /** int n, int3, into, int1, ud0/1/2, hlt: raise an exception */
  | 'interrupt'
  /** others QEMU ends a TB on (popf, sti, mov ss, pause, ...) */
  | 'tb-end';

export type RegFile = 'gpr' | 'seg' | 'x87' | 'mmx' | 'xmm' | 'ymm' | 'zmm' | 'k' | 'cr' | 'dr';

export interface RegOperand {
  kind: 'reg';
  file: RegFile;
  /** gpr: 0..15 (eax=0 ... edi=7); AH/CH/DH/BH are 0..3 with high8. x87: i of st(i). */
  reg: number;
  /** bits */
  size: number;
  high8?: boolean;
}

export interface MemOperand {
  kind: 'mem';
  /** effective segment 0..5 = es,cs,ss,ds,fs,gs (default DS, SS for an esp/ebp base) */
  seg: number;
  segOverride: boolean;
  /** gpr index or -1 */
  base: number;
  /** gpr index or -1 */
  index: number;
  scale: 1 | 2 | 4 | 8;
  /** signed displacement; for an 8-byte moffs (dispSize 8) its low 32 bits, unsigned */
  disp: number;
  /** dispSize 8 only: the high 32 bits, unsigned */
  dispHi?: number;
  /** displacement bytes in the encoding (0, 1, 2, 4, or 8 for a 64-bit moffs) */
  dispSize: number;
  /** bits accessed; 0 for LEA and other address-only uses */
  size: number;
  ripRelative?: boolean;
  /** EVEX embedded broadcast: one element of this many bits, repeated */
  broadcast?: number;
  /** a SIB byte says "no index" in a form objdump shows as %eiz/%riz */
  eiz?: boolean;
}

export interface ImmOperand {
  kind: 'imm';
  /** as the instruction uses it: extended to `size` bits, unsigned; for size 64 the low 32 bits */
  value: number;
  /** size 64 only: the high 32 bits, unsigned */
  hi?: number;
  /** bits */
  size: number;
}

export interface FarOperand {
  kind: 'far';
  selector: number;
  offset: number;
}

export type Operand = RegOperand | MemOperand | ImmOperand | FarOperand;

export interface DecodedInsn {
  addr: number;
  length: number;
  bytes: Uint8Array;
  mode: Mode;
  op: X86Op;
  /** 0..15 in x86 order (O NO B AE E NE BE A S NS P NP L GE LE G) for JCC/SETCC/CMOVCC/FCMOVCC/LOOPE/LOOPNE; -1 otherwise */
  cond: number;
  /** Intel order, destination first; the implicit operands objdump prints are explicit (see insn-table.ts) */
  operands: Operand[];
  /** effective operand size in bits (8/16/32/64) */
  opSize: number;
  /** 16/32/64 */
  addrSize: number;
  rep: 'none' | 'rep' | 'repe' | 'repne';
  lock: boolean;
  /** EFLAGS masks (CF=1 PF=4 AF=0x10 ZF=0x40 SF=0x80 DF=0x400 OF=0x800) */
  flagsRead: number;
  flagsWritten: number;
  flagsUndefined: number;
  cf: ControlFlow;
  /** absolute target of a direct JMP/JCC/CALL/LOOP/JCXZ (wrapped to 32 bits in 32-bit mode; in
   *  64-bit mode negative when it wraps below 0) */
  target?: number;
  /** objdump's AT&T mnemonic with its prefixes, e.g. 'movzbl', 'rep stos', 'lock cmpxchg' */
  mnemonic: string;
  /** EVEX: opmask register k1..k7 applied to the destination (0: none) and zeroing-masking */
  opmask?: number;
  zeroing?: boolean;
  /** EVEX embedded rounding with exceptions suppressed: 0 rn, 1 rd, 2 ru, 3 rz */
  rounding?: number;
  /** the table row this instruction decoded to */
  row: InsnRow;
  /**
   * The segment override prefix (0 es .. 5 gs; 64-bit mode: fs, gs only), also where no
   * operand shows it: maskmovq/maskmovdqu's implicit DS:(E)DI store takes it.
   */
  segPrefix?: number;
}
