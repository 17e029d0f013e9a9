/**
 * Every operation the decoder knows, once, with the EFLAGS it reads, writes and leaves
 * undefined. X86Op is derived from this object, so a row naming an unknown op is a type error.
 * Conditional ops (JCC, SETCC, CMOVCC, FCMOVCC) read the flags of their condition: see CC_READ.
 * Shifts and rotates leave the flags unchanged when the count is 0, so a consumer must treat a
 * count that may be 0 as preserving the flags it "writes".
 */

// EFLAGS bits (the same values cpu-state.ts exports; kept here so the decoder has no runtime deps)
const CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, DF = 0x400, OF = 0x800;
const CC = CF | PF | AF | ZF | SF | OF;
/** all flags user code can see through pushf/popf */
const ALL = CC | 0x100 | 0x200 | DF | 0x40000 | 0x200000;

interface OpFlags {
  r?: number;
  w?: number;
  u?: number;
}
const ARITH: OpFlags = { w: CC };
const LOGIC: OpFlags = { w: CC, u: AF };
const CARRY: OpFlags = { r: CF, w: CC };
const NONE: OpFlags = {};
const ROT: OpFlags = { w: CF | OF, u: OF };
const ROTC: OpFlags = { r: CF, w: CF | OF, u: OF };
const SHIFT: OpFlags = { w: CC, u: AF | OF };
const MULF: OpFlags = { w: CC, u: PF | AF | ZF | SF };
const DIVF: OpFlags = { w: CC, u: CC };
const BITT: OpFlags = { w: CC, u: PF | AF | ZF | SF | OF };
const BITSCAN: OpFlags = { w: CC, u: CF | PF | AF | SF | OF };
const STRING: OpFlags = { r: DF };
const STRCMP: OpFlags = { r: DF, w: CC };
const COMI: OpFlags = { w: CC };

export const OP_INFO = {
  // integer ALU
  ADD: ARITH, OR: LOGIC, ADC: CARRY, SBB: CARRY, AND: LOGIC, SUB: ARITH, XOR: LOGIC, CMP: ARITH,
  INC: { w: CC & ~CF }, DEC: { w: CC & ~CF }, NEG: ARITH, NOT: NONE, TEST: LOGIC,
  MOV: NONE, MOVZX: NONE, MOVSX: NONE, MOVSXD: NONE, LEA: NONE, XCHG: NONE, BSWAP: NONE,
  XADD: ARITH, CMPXCHG: ARITH, CMPXCHG8B: { w: ZF }, CMPXCHG16B: { w: ZF },
  PUSH: NONE, POP: NONE, PUSHA: NONE, POPA: NONE, PUSHF: { r: ALL }, POPF: { w: ALL },
  ENTER: NONE, LEAVE: NONE,
  ROL: ROT, ROR: ROT, RCL: ROTC, RCR: ROTC, SHL: SHIFT, SHR: SHIFT, SAR: SHIFT, SHLD: SHIFT, SHRD: SHIFT,
  MUL: MULF, IMUL: MULF, DIV: DIVF, IDIV: DIVF,
  BT: BITT, BTS: BITT, BTR: BITT, BTC: BITT, BSF: BITSCAN, BSR: BITSCAN,
  TZCNT: { w: CC, u: PF | AF | SF | OF }, LZCNT: { w: CC, u: PF | AF | SF | OF }, POPCNT: { w: CC },
  CBW: NONE, CWD: NONE, LAHF: { r: SF | ZF | AF | PF | CF }, SAHF: { w: SF | ZF | AF | PF | CF },
  CLC: { w: CF }, STC: { w: CF }, CMC: { r: CF, w: CF }, CLD: { w: DF }, STD: { w: DF }, CLI: NONE, STI: NONE,
  DAA: { r: CF | AF, w: CC, u: OF }, DAS: { r: CF | AF, w: CC, u: OF },
  AAA: { r: AF, w: CC, u: PF | ZF | SF | OF }, AAS: { r: AF, w: CC, u: PF | ZF | SF | OF },
  AAM: { w: CC, u: CF | AF | OF }, AAD: { w: CC, u: CF | AF | OF }, SALC: { r: CF },
  BOUND: NONE, ARPL: { w: ZF }, XLAT: NONE, LDS: NONE, LES: NONE, LFS: NONE, LGS: NONE, LSS: NONE,
  // control transfer
  JMP: NONE, JCC: NONE, CALL: NONE, RET: NONE, JMPF: NONE, CALLF: NONE, RETF: NONE, IRET: { w: ALL },
  LOOP: NONE, LOOPE: { r: ZF }, LOOPNE: { r: ZF }, JCXZ: NONE,
  INT: NONE, INT3: NONE, INTO: { r: OF }, INT1: NONE, UD0: NONE, UD1: NONE, UD2: NONE, HLT: NONE,
  SYSCALL: NONE, SYSENTER: NONE, SYSEXIT: NONE, SYSRET: NONE,
  SETCC: NONE, CMOVCC: NONE,
  // strings
  MOVS: STRING, STOS: STRING, LODS: STRING, CMPS: STRCMP, SCAS: STRCMP, INS: STRING, OUTS: STRING,
  // misc
  NOP: NONE, PAUSE: NONE, CPUID: NONE, RDTSC: NONE, RDTSCP: NONE, RDPMC: NONE, RDMSR: NONE, WRMSR: NONE,
  IN: NONE, OUT: NONE, WAIT: NONE, ENDBR32: NONE, ENDBR64: NONE,
  LFENCE: NONE, MFENCE: NONE, SFENCE: NONE, PREFETCH: NONE, PREFETCHW: NONE, PREFETCHNTA: NONE,
  PREFETCHT0: NONE, PREFETCHT1: NONE, PREFETCHT2: NONE, CLFLUSH: NONE,
  RDRAND: { w: CC }, RDSEED: { w: CC }, XGETBV: NONE, XSETBV: NONE, XTEST: { w: CC }, XEND: NONE,
  XABORT: NONE, XBEGIN: NONE,
  FXSAVE: NONE, FXRSTOR: NONE, LDMXCSR: NONE, STMXCSR: NONE, XSAVE: NONE, XRSTOR: NONE, XSAVEOPT: NONE,
  XSAVEC: NONE, RDFSBASE: NONE, RDGSBASE: NONE, WRFSBASE: NONE, WRGSBASE: NONE, RDPID: NONE,
  // system
  SLDT: NONE, STR: NONE, LLDT: NONE, LTR: NONE, VERR: { w: ZF }, VERW: { w: ZF }, SGDT: NONE, SIDT: NONE,
  LGDT: NONE, LIDT: NONE, SMSW: NONE, LMSW: NONE, INVLPG: NONE, LAR: { w: ZF }, LSL: { w: ZF }, CLTS: NONE,
  INVD: NONE, WBINVD: NONE, RSM: { w: ALL }, MOVCR: NONE, MOVDR: NONE, SWAPGS: NONE, MONITOR: NONE, MWAIT: NONE,
  CLAC: NONE, STAC: NONE, VMCALL: NONE, GETSEC: NONE,
  // x87
  FLD: NONE, FST: NONE, FSTP: NONE, FILD: NONE, FIST: NONE, FISTP: NONE, FISTTP: NONE, FBLD: NONE, FBSTP: NONE,
  FXCH: NONE, FADD: NONE, FADDP: NONE, FIADD: NONE, FMUL: NONE, FMULP: NONE, FIMUL: NONE,
  FSUB: NONE, FSUBP: NONE, FISUB: NONE, FSUBR: NONE, FSUBRP: NONE, FISUBR: NONE,
  FDIV: NONE, FDIVP: NONE, FIDIV: NONE, FDIVR: NONE, FDIVRP: NONE, FIDIVR: NONE,
  FCOM: NONE, FCOMP: NONE, FCOMPP: NONE, FICOM: NONE, FICOMP: NONE, FUCOM: NONE, FUCOMP: NONE, FUCOMPP: NONE,
  FCOMI: COMI, FCOMIP: COMI, FUCOMI: COMI, FUCOMIP: COMI, FCMOVCC: NONE,
  FLDENV: NONE, FLDCW: NONE, FNSTENV: NONE, FNSTCW: NONE, FRSTOR: NONE, FNSAVE: NONE, FNSTSW: NONE,
  FNCLEX: NONE, FNINIT: NONE, FFREE: NONE, FFREEP: NONE, FNOP: NONE,
  FCHS: NONE, FABS: NONE, FTST: NONE, FXAM: NONE, FLD1: NONE, FLDL2T: NONE, FLDL2E: NONE, FLDPI: NONE,
  FLDLG2: NONE, FLDLN2: NONE, FLDZ: NONE, F2XM1: NONE, FYL2X: NONE, FPTAN: NONE, FPATAN: NONE, FXTRACT: NONE,
  FPREM1: NONE, FDECSTP: NONE, FINCSTP: NONE, FPREM: NONE, FYL2XP1: NONE, FSQRT: NONE, FSINCOS: NONE,
  FRNDINT: NONE, FSCALE: NONE, FSIN: NONE, FCOS: NONE,
} satisfies Record<string, OpFlags>;

export type X86Op = keyof typeof OP_INFO;

/** Flags read by each condition code 0..15 (O NO B AE E NE BE A S NS P NP L GE LE G). */
export const CC_READ: readonly number[] = [OF, OF, CF, CF, ZF, ZF, CF | ZF, CF | ZF, SF, SF, PF, PF,
  SF | OF, SF | OF, ZF | SF | OF, ZF | SF | OF];

/** Condition suffixes as objdump prints them (je, setne, cmovbe...). */
export const CC_NAMES: readonly string[] = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np',
  'l', 'ge', 'le', 'g'];

export const FLAG_ZF = ZF;
