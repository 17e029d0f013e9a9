/**
 * genTable: the translator's side of the instruction table, one emitter per IR1 operation
 * (QEMU's row SUB <-> gen_SUB). An emitter returns true when the TB ends after it. An
 * operation without an emitter is reported as an unsupported instruction, never guessed.
 */
import type { DecodedInsn, X86Op } from '@dbtlab/x86-frontend';
import { SSE_OPS, X87_OPS } from '@dbtlab/x86-semantics';
import type { GenContext } from './gen-context';
import { genXadd, genCmpxchg, genCmpxchg8b } from './gen-atomic';
import { genBcd } from './gen-bcd';
import { genBitScan, genBt, genDoubleShift, genRotate, genRotateCarry } from './gen-bits';
import { genBinary, genDirection, genFlagOps, genIncDec, genNegNot, genShift } from './gen-alu';
import { genCall, genJcc, genJmp, genLoop, genRet } from './gen-branch';
import { genAdx, genBmiLogic, genBmiNoFlags, genMovbe } from './gen-bmi';
import { genBound, genCpuid, genInt, genInt1, genInto, genInvalidOpcode, genPrivileged, genRdtsc } from './gen-misc';
import { genBswap, genClflush, genXlat, genCbw, genCmov, genCwd, genLea, genLoadFarPointer, genMov, genMovExtend, genNop, genSalc, genSetcc, genXchg } from './gen-mov';
import { genDiv, genMul } from './gen-muldiv';
import { genFarCall, genFarJmp, genFarRet, genIret } from './gen-far';
import { genArpl, genSelectorAccess, genSystemRegister } from './gen-system';
import { genEnter, genLeave, genPop, genPopa, genPopf, genPush, genPusha, genPushf } from './gen-stack';
import { genString } from './gen-string';
import { genX87 } from './gen-x87';
import { genSse } from './gen-sse';
import { genSyscall } from './gen-syscall64';

export type GenFn = (ctx: GenContext, insn: DecodedInsn) => boolean;

/** #GP at CPL 3 with IOPL 0, which Linux sends as SIGSEGV (SI_KERNEL). */
const PRIVILEGED_OPS: X86Op[] = [
  'HLT', 'CLI', 'STI', 'IN', 'OUT', 'INS', 'OUTS', 'LGDT', 'LIDT', 'LLDT', 'LTR', 'LMSW', 'CLTS', 'INVD', 'WBINVD',
  'INVLPG', 'RDMSR', 'WRMSR', 'MOVCR', 'MOVDR', 'RDPMC', 'XSETBV',
];
/**
 * #UD (SIGILL, ILL_ILLOPN) whatever the CPU model: the undefined opcodes, what only SMM or VMX
 * has, what CPL 3 may not use (clac/stac; monitor/mwait, which Linux leaves disabled for user
 * mode), CET with CET off, and sysenter/sysexit, which this AMD CPU refuses in long mode (a
 * 32-bit process under a 64-bit kernel runs in its compatibility mode; KVM may answer sysexit
 * with #GP, see hypervisor.ts). (Instructions of cpuid-announced extensions are #UD by the
 * translator's extension check.)
 */
const INVALID_OPS: X86Op[] = [
  'UD0', 'UD1', 'UD2', 'RSM', 'VMCALL', 'SWAPGS', 'SYSRET', 'RDFSBASE', 'RDGSBASE', 'WRFSBASE', 'WRGSBASE',
  'CLAC', 'STAC', 'GETSEC', 'SETSSBSY', 'CLRSSBSY', 'RSTORSSP', 'SAVEPREVSSP', 'WRSS', 'WRUSS', 'MONITOR', 'MWAIT',
  'SYSENTER', 'SYSEXIT',
];

/**
 * The operations whose emitters handle x86-64's 64-bit operand size, 16 registers and
 * zero-extending 32-bit writes. In 64-bit mode any other operation is an unsupported
 * instruction (exit 125 naming it), never a guess.
 */
export const MODE64_OPS: ReadonlySet<X86Op> = new Set<X86Op>([
  'ADD', 'ADC', 'SUB', 'SBB', 'CMP', 'AND', 'OR', 'XOR', 'TEST', 'INC', 'DEC', 'NEG', 'NOT', 'SHL', 'SHR', 'SAR',
  'CLC', 'STC', 'CMC', 'CLD', 'STD', 'LAHF', 'SAHF',
  'MOV', 'MOVZX', 'MOVSX', 'MOVSXD', 'LEA', 'XCHG', 'SETCC', 'CMOVCC', 'CBW', 'CWD', 'BSWAP',
  'NOP', 'ENDBR64', 'PAUSE', 'LFENCE', 'MFENCE', 'SFENCE', 'RDSSP', 'INCSSP',
  'PREFETCHT0', 'PREFETCHT1', 'PREFETCHT2', 'PREFETCHNTA', 'PREFETCH', 'PREFETCHW', 'PREFETCHWT1', 'CLFLUSH', 'MOVNTI',
  'CMPXCHG8B', 'CMPXCHG16B', 'INT', 'INT1', 'ENDBR32', 'XLAT',
  'LFS', 'LGS', 'LSS', 'JMPF', 'CALLF', 'RETF', 'IRET', 'LAR', 'LSL', 'VERR', 'VERW', 'SGDT', 'SIDT', 'SMSW', 'SLDT', 'STR',
  ...PRIVILEGED_OPS, ...INVALID_OPS,
  'PUSH', 'POP', 'PUSHF', 'POPF', 'ENTER', 'LEAVE', 'JMP', 'JCC', 'CALL', 'RET', 'SYSCALL', 'UD2', 'HLT', 'INT3',
  'MUL', 'IMUL', 'DIV', 'IDIV', 'CPUID', 'RDTSC', 'MOVS', 'STOS', 'LODS', 'CMPS', 'SCAS', 'XADD', 'CMPXCHG', 'BSF', 'BSR', 'TZCNT', 'LZCNT', 'POPCNT', 'ROL', 'ROR', 'RCL', 'RCR', 'BT', 'BTS', 'BTR', 'BTC', 'SHLD', 'SHRD', 'LOOP', 'LOOPE', 'LOOPNE', 'JCXZ',
  'ANDN', 'BEXTR', 'BLSI', 'BLSMSK', 'BLSR', 'BZHI', 'MULX', 'RORX', 'SARX', 'SHLX', 'SHRX', 'PDEP', 'PEXT', 'ADCX', 'ADOX', 'MOVBE',
  ...SSE_OPS,
  ...X87_OPS,
]);

export const genTable: Partial<Record<X86Op, GenFn>> = {
  ADD: genBinary, ADC: genBinary, SUB: genBinary, SBB: genBinary, CMP: genBinary,
  AND: genBinary, OR: genBinary, XOR: genBinary, TEST: genBinary,
  INC: genIncDec, DEC: genIncDec, NEG: genNegNot, NOT: genNegNot,
  SHL: genShift, SHR: genShift, SAR: genShift,
  CLC: genFlagOps, STC: genFlagOps, CMC: genFlagOps, LAHF: genFlagOps, SAHF: genFlagOps,
  CLD: genDirection, STD: genDirection,
  DAA: genBcd, DAS: genBcd, AAA: genBcd, AAS: genBcd, AAM: genBcd, AAD: genBcd, SALC: genSalc,
  MOV: genMov, MOVZX: genMovExtend, MOVSX: genMovExtend, MOVSXD: genMovExtend, LEA: genLea, XCHG: genXchg,
  LDS: genLoadFarPointer, LES: genLoadFarPointer, LFS: genLoadFarPointer, LGS: genLoadFarPointer, LSS: genLoadFarPointer,
  SETCC: genSetcc, CMOVCC: genCmov, XLAT: genXlat, CBW: genCbw, CWD: genCwd, BSWAP: genBswap,
  // no architectural effect in user mode on a single thread
  NOP: genNop, ENDBR32: genNop, ENDBR64: genNop, PAUSE: genNop, LFENCE: genNop, MFENCE: genNop, SFENCE: genNop,
  // CET shadow-stack ops execute as NOPs on a CPU without CET (glibc's setjmp/longjmp contain them)
  RDSSP: genNop, INCSSP: genNop,
  PREFETCHT0: genNop, PREFETCHT1: genNop, PREFETCHT2: genNop, PREFETCHNTA: genNop,
  PREFETCH: genNop, PREFETCHW: genNop, PREFETCHWT1: genNop, CLFLUSH: genClflush, MOVNTI: genMov,
  PUSH: genPush, POP: genPop, PUSHA: genPusha, POPA: genPopa, PUSHF: genPushf, POPF: genPopf,
  LEAVE: genLeave, ENTER: genEnter,
  JMP: genJmp, JCC: genJcc, CALL: genCall, RET: genRet,
  JMPF: genFarJmp, CALLF: genFarCall, RETF: genFarRet, IRET: genIret,
  LAR: genSelectorAccess, LSL: genSelectorAccess, VERR: genSelectorAccess, VERW: genSelectorAccess, ARPL: genArpl,
  SGDT: genSystemRegister, SIDT: genSystemRegister, SMSW: genSystemRegister, SLDT: genSystemRegister, STR: genSystemRegister,
  LOOP: genLoop, LOOPE: genLoop, LOOPNE: genLoop, JCXZ: genLoop,
  MUL: genMul, IMUL: genMul, DIV: genDiv, IDIV: genDiv,
  MOVS: genString, STOS: genString, LODS: genString, CMPS: genString, SCAS: genString,
  XADD: genXadd, CMPXCHG: genCmpxchg, CMPXCHG8B: genCmpxchg8b, CMPXCHG16B: genCmpxchg8b,
  BT: genBt, BTS: genBt, BTR: genBt, BTC: genBt, BSF: genBitScan, BSR: genBitScan,
  TZCNT: genBitScan, LZCNT: genBitScan, POPCNT: genBitScan,
  ANDN: genBmiLogic, BEXTR: genBmiLogic, BLSI: genBmiLogic, BLSMSK: genBmiLogic, BLSR: genBmiLogic, BZHI: genBmiLogic,
  MULX: genBmiNoFlags, RORX: genBmiNoFlags, SARX: genBmiNoFlags, SHLX: genBmiNoFlags, SHRX: genBmiNoFlags,
  PDEP: genBmiNoFlags, PEXT: genBmiNoFlags, ADCX: genAdx, ADOX: genAdx, MOVBE: genMovbe,
  ROL: genRotate, ROR: genRotate, RCL: genRotateCarry, RCR: genRotateCarry, SHLD: genDoubleShift, SHRD: genDoubleShift,
  ...Object.fromEntries(X87_OPS.map((op) => [op, genX87])),
  ...Object.fromEntries(SSE_OPS.map((op) => [op, genSse])),
  SYSCALL: genSyscall,
  INT: genInt, INT3: genInt, INT1: genInt1, INTO: genInto, BOUND: genBound, CPUID: genCpuid, RDTSC: genRdtsc,
  ...Object.fromEntries(PRIVILEGED_OPS.map((op) => [op, genPrivileged])),
  ...Object.fromEntries(INVALID_OPS.map((op) => [op, genInvalidOpcode])),
};
