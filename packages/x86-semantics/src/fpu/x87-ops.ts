/**
 * The semantics of every x87 instruction the translator hands to the x87 helper, one entry
 * per X87_OPS name (QEMU's helper_f* family). An entry reads its operands (memory first, so
 * a faulting access leaves the FPU untouched), computes with the exact soft-float, and
 * updates the stack; x87Exec then folds the raised exceptions and C1 into the status word.
 *
 * The transcendental functions are in transcendental.ts.
 */
import { ENV_BASE, GUEST_BASE, type HostMemory } from '@dbtlab/mips-host';
import { ENV } from '@dbtlab/x86-frontend';
import { decodeX87Desc, X87_OPS, type X87Desc, type X87Op } from './x87-desc';
import {
  CMP,
  FPE,
  FX80_INDEFINITE,
  FX80_ONE,
  FX80_ZERO,
  fx80,
  fx80Add,
  fx80Compare,
  fx80Div,
  fx80Extract,
  fx80FromBcd,
  fx80FromF32Bits,
  fx80FromF64Bits,
  fx80FromInt,
  fx80Inf,
  fx80Kind,
  fx80Mul,
  fx80Rem,
  fx80RoundToInt,
  fx80Scale,
  fx80Sqrt,
  fx80ToBcd,
  fx80ToF32Bits,
  fx80ToF64Bits,
  fx80ToInt,
  fx80TruncToNumber,
  Kind,
  newFpStatus,
  roundPackFx80,
  type Fx80,
  type FpStatus,
} from './softfloat';
import { x87Atan, x87F2xm1, x87Trig, x87Yl2x, x87Yl2xp1 } from './transcendental';
import { loadedControl, SW, SW_CC, X87State } from './x87-state';

/** One helper call's view: decoded descriptor, operand address, state, flags being raised. */
interface X87Call {
  x: X87State;
  mem: HostMemory;
  st: FpStatus;
  op: X87Op;
  memBits: number;
  sti: number;
  destSti: boolean;
  /** guest address of the memory operand (i386: 32-bit, x86-64: 47-bit) */
  ea: number;
  /** host address of guest address 0 */
  guestBase: number;
  /** the user %cs fnstenv/fnsave store as FCS: 0x23 (i386), 0x33 (x86-64) */
  cs: number;
  /** fcmov: the condition holds */
  cond: boolean;
  /** condition codes to set (mask, values); C1 from st.roundedUp unless set here */
  ccMask: number;
  cc: number;
}

type OpFn = (c: X87Call) => number | void;

// ---- memory operands -----------------------------------------------------------------------

const hostAddr = (c: X87Call): number => c.guestBase + c.ea;

function readInt(c: X87Call, bits: number): bigint {
  const a = hostAddr(c);
  if (bits === 16) return BigInt((c.mem.read16(a) << 16) >> 16);
  if (bits === 32) return BigInt(c.mem.read32(a) | 0);
  return BigInt.asIntN(64, c.mem.read64(a));
}

function writeInt(c: X87Call, bits: number, v: bigint): void {
  const a = hostAddr(c);
  if (bits === 16) c.mem.write16(a, Number(BigInt.asUintN(16, v)));
  else if (bits === 32) c.mem.write32(a, Number(BigInt.asUintN(32, v)));
  else c.mem.write64(a, BigInt.asUintN(64, v));
}

/** The memory operand; `operand`: of an arithmetic op or compare (a signaling NaN stays one). */
function readFloat(c: X87Call, operand = false): Fx80 {
  const a = hostAddr(c);
  if (c.memBits === 32) return fx80FromF32Bits(c.st, c.mem.read32(a), operand);
  if (c.memBits === 64) return fx80FromF64Bits(c.st, c.mem.read64(a), operand);
  const se = c.mem.read16(a + 8);
  return fx80(se >> 15, se & 0x7fff, c.mem.read64(a));
}

function writeFloat(c: X87Call, v: Fx80): void {
  const a = hostAddr(c);
  if (c.memBits === 32) c.mem.write32(a, fx80ToF32Bits(c.st, v));
  else if (c.memBits === 64) c.mem.write64(a, fx80ToF64Bits(c.st, v));
  else {
    c.mem.checkWrite(a, 10); // all-or-nothing across a page, as the CPU stores it
    c.mem.write64(a, v.mant);
    c.mem.write16(a + 8, (v.sign << 15) | v.exp);
  }
}

/** The second operand: the memory operand (integer for the FI* ops) or st(i). */
function source(c: X87Call, integer: boolean): Fx80 {
  if (c.memBits === 0) return c.x.st(c.sti, c.st);
  return integer ? fx80FromInt(readInt(c, c.memBits)) : readFloat(c, true);
}

function setCc(c: X87Call, c0: number, c1: number, c2: number, c3: number): void {
  c.ccMask = SW_CC;
  c.cc = (c0 ? SW.C0 : 0) | (c1 ? SW.C1 : 0) | (c2 ? SW.C2 : 0) | (c3 ? SW.C3 : 0);
}

// ---- arithmetic ----------------------------------------------------------------------------

type Arith = (st: FpStatus, a: Fx80, b: Fx80) => Fx80;
const ADD: Arith = (st, a, b) => fx80Add(st, a, b, false);
const SUB: Arith = (st, a, b) => fx80Add(st, a, b, true);

/** dst = dst op src (reverse: src op dst); the P forms pop after. */
function arith(fn: Arith, reverse: boolean, pop: boolean, integer: boolean): OpFn {
  return (c) => {
    const toSti = c.memBits === 0 && c.destSti;
    const src = toSti ? c.x.st(0, c.st) : source(c, integer);
    const dst = toSti ? c.sti : 0;
    const d = c.x.st(dst, c.st);
    // a stack underflow's masked response is the indefinite, whatever the other operand
    const r = c.st.flags & SW.SF ? FX80_INDEFINITE : reverse ? fn(c.st, src, d) : fn(c.st, d, src);
    c.x.setSt(dst, r);
    if (pop) c.x.pop();
  };
}

// ---- compares ------------------------------------------------------------------------------

/** C3 C2 C0 for >, <, =, unordered. */
const CMP_CC: Record<number, [number, number, number]> = {
  [CMP.GREATER]: [0, 0, 0],
  [CMP.LESS]: [0, 0, 1],
  [CMP.EQUAL]: [1, 0, 0],
  [CMP.UNORDERED]: [1, 1, 1],
};

function compare(pops: number, quietNaNsInvalid: boolean, integer: boolean, withOne = false): OpFn {
  return (c) => {
    const b = withOne ? c.x.st(1, c.st) : source(c, integer);
    const a = c.x.st(0, c.st);
    const [c3, c2, c0] = CMP_CC[fx80Compare(c.st, a, b, quietNaNsInvalid)];
    setCc(c, c0, 0, c2, c3);
    for (let k = 0; k < pops; k++) c.x.pop();
  };
}

/** fcomi family: the result goes to EFLAGS' ZF, PF, CF (returned), C1 cleared. */
function compareEflags(pop: boolean, quietNaNsInvalid: boolean): OpFn {
  return (c) => {
    const r = fx80Compare(c.st, c.x.st(0, c.st), c.x.st(c.sti, c.st), quietNaNsInvalid);
    c.ccMask = SW.C1;
    c.cc = 0;
    if (pop) c.x.pop();
    return r === CMP.LESS ? 0x01 : r === CMP.EQUAL ? 0x40 : r === CMP.UNORDERED ? 0x45 : 0;
  };
}

// ---- loads and stores ----------------------------------------------------------------------

const fld: OpFn = (c) => {
  const v = c.memBits === 0 ? c.x.st(c.sti, c.st) : readFloat(c);
  if (c.st.memDenormal) c.st.flags |= FPE.DE;
  c.x.push(v, c.st);
};

function fst(pop: boolean): OpFn {
  return (c) => {
    const v = c.x.st(0, c.st);
    if (c.memBits === 0) c.x.setSt(c.sti, v);
    else writeFloat(c, v);
    if (pop) c.x.pop();
  };
}

function fist(pop: boolean, truncate: boolean): OpFn {
  return (c) => {
    writeInt(c, c.memBits, fx80ToInt(c.st, c.x.st(0, c.st), c.memBits, truncate));
    if (pop) c.x.pop();
  };
}

/** A constant rounded under RC from more bits than the register holds ([exp, 96-bit significand]). */
function constant(biasedExp: number, sig96: bigint): OpFn {
  return (c) => {
    const v = sig96 === 0n ? FX80_ZERO : roundPackFx80(c.st, 0, sig96, biasedExp - 16383 - 95, true, 64);
    c.st.flags &= ~FPE.PE; // the constants are not inexact results
    c.x.push(v, c.st);
  };
}

// ---- unary ---------------------------------------------------------------------------------

function unary(fn: (c: X87Call, a: Fx80) => Fx80): OpFn {
  return (c) => c.x.setSt(0, fn(c, c.x.st(0, c.st)));
}

/**
 * fsin/fcos/fptan/fsincos operand checks: NaN propagates and infinity is invalid (into both
 * results of the two-result forms, which push); |x| >= 2^63 sets C2 and leaves st(0) alone;
 * otherwise C2 = 0 and `then` runs.
 */
function trigOp(pushes: boolean, then: (c: X87Call, a: Fx80) => void): OpFn {
  return (c) => {
    const a = c.x.st(0, c.st);
    const k = fx80Kind(a);
    c.ccMask = SW.C2;
    c.cc = 0;
    if (k === Kind.NaN || k === Kind.Inf) {
      const r = k === Kind.NaN ? fx80Add(c.st, a, FX80_ZERO, false) : invalidResult(c.st);
      c.x.setSt(0, r);
      if (pushes) c.x.push(r, c.st);
      return;
    }
    if (a.exp >= 0x3fff + 63) {
      c.cc = SW.C2;
      return;
    }
    then(c, a);
    // C1: the rounding direction (of the sine, for fsincos)
    c.ccMask |= SW.C1;
    if (c.st.flags & FPE.PE && c.st.roundedUp) c.cc |= SW.C1;
  };
}

/** st(1) := f(st(0), st(1)), pop (fpatan, fyl2x, fyl2xp1); NaNs propagate. */
function binaryPop(f: (st: FpStatus, x: Fx80, y: Fx80) => Fx80): OpFn {
  return (c) => {
    const x = c.x.st(0, c.st);
    const y = c.x.st(1, c.st);
    const nan = fx80Kind(x) === Kind.NaN || fx80Kind(y) === Kind.NaN;
    c.x.setSt(1, nan ? fx80Add(c.st, x, y, false) : f(c.st, x, y));
    c.x.pop();
  };
}

function rem(ieee: boolean): OpFn {
  return (c) => {
    const r = fx80Rem(c.st, c.x.st(0, c.st), c.x.st(1, c.st), ieee);
    if ('value' in r) {
      c.x.setSt(0, r.value);
      setCc(c, (r.q >> 2) & 1, r.q & 1, r.partial ? 1 : 0, (r.q >> 1) & 1);
    } else {
      c.x.setSt(0, r);
      c.ccMask = SW.C2;
      c.cc = 0;
    }
  };
}

function invalidResult(st: FpStatus): Fx80 {
  st.flags |= FPE.IE;
  return FX80_INDEFINITE;
}

const fxam: OpFn = (c) => {
  const a = c.x.readPhys(c.x.phys(0));
  const sign = a.sign; // C1 is the sign bit even of an empty register's stale contents
  if (c.x.isEmpty(0)) return setCc(c, 1, sign, 0, 1);
  const k = fx80Kind(a);
  if (k === Kind.Zero) return setCc(c, 0, sign, 0, 1);
  if (k === Kind.Inf) return setCc(c, 1, sign, 1, 0);
  if (k === Kind.NaN) return a.exp === 0x7fff && a.mant >> 63n ? setCc(c, 1, sign, 0, 0) : setCc(c, 0, sign, 0, 0);
  if (a.exp === 0) return setCc(c, 0, sign, 1, 1); // denormal
  return setCc(c, 0, sign, 1, 0);
};

// ---- control -------------------------------------------------------------------------------

/**
 * The protected-mode environment image: 28 bytes (32-bit operand size) or, with a 0x66
 * prefix (the descriptor's memBits 16), the 14-byte 16-bit one: FCW, FSW, FTW, FIP, FCS,
 * FDP, FDS as 16-bit fields (and no FOP).
 */
const envBytes = (c: X87Call): number => (c.memBits === 16 ? 14 : 28);

function storeEnv(c: X87Call): void {
  const a = hostAddr(c);
  const x = c.x;
  c.mem.checkWrite(a, envBytes(c)); // all-or-nothing across a page, as the CPU stores it
  if (c.memBits === 16) {
    [x.control, x.statusWord, x.tagWord(), x.ip, x.cs, x.dp, x.ds].forEach((v, i) => c.mem.write16(a + 2 * i, v & 0xffff));
    return;
  }
  // 32-bit protected-mode layout; the reserved upper halves read as ones on Intel CPUs
  c.mem.write32(a, 0xffff0000 | x.control);
  c.mem.write32(a + 4, 0xffff0000 | x.statusWord);
  c.mem.write32(a + 8, 0xffff0000 | x.tagWord());
  c.mem.write32(a + 12, x.ip % 0x1_0000_0000);
  c.mem.write32(a + 16, x.cs | (x.opcode << 16));
  c.mem.write32(a + 20, x.dp % 0x1_0000_0000);
  c.mem.write32(a + 24, 0xffff0000 | x.ds);
}

/**
 * fldenv (and frstor's first part) load the whole environment: FIP, FDP (32 bits; in x86-64 mode
 * the upper halves become zero), FCS, FDS and the 11-bit FOP; the 16-bit image has no FOP and
 * loads it as zero, and 16-bit FIP and FDP (all measured natively, i386 and x86-64).
 */
function loadEnv(c: X87Call): void {
  const a = hostAddr(c);
  const m = c.mem;
  const narrow = c.memBits === 16;
  // every field read before any is loaded: a fault leaves the FPU as it was
  const f = narrow
    ? [m.read16(a), m.read16(a + 2), m.read16(a + 4), m.read16(a + 6), m.read16(a + 8), 0, m.read16(a + 10), m.read16(a + 12)]
    : [m.read16(a), m.read16(a + 4), m.read16(a + 8), m.read32(a + 12) >>> 0, m.read16(a + 16), m.read16(a + 18), m.read32(a + 20) >>> 0, m.read16(a + 24)];
  const [cw, sw, tw, ip, cs, fop, dp, ds] = f;
  const x = c.x;
  x.control = loadedControl(cw);
  x.statusWord = sw;
  x.setTagWord(tw);
  x.setLast(ip, dp, fop & 0x7ff);
  x.cs = cs;
  x.ds = ds;
}

const fnstenv: OpFn = (c) => {
  storeEnv(c);
  c.x.control = c.x.control | 0x3f; // fnstenv masks all exceptions afterwards
};

const fnsave: OpFn = (c) => {
  c.mem.checkWrite(hostAddr(c), envBytes(c) + 80);
  storeEnv(c);
  const a = hostAddr(c) + envBytes(c);
  for (let i = 0; i < 8; i++) {
    const v = c.x.readPhys(c.x.phys(i));
    c.mem.write64(a + 10 * i, v.mant);
    c.mem.write16(a + 10 * i + 8, (v.sign << 15) | v.exp);
  }
  c.x.reset();
};

const frstor: OpFn = (c) => {
  const a = hostAddr(c) + envBytes(c);
  const regs: Fx80[] = [];
  for (let i = 0; i < 8; i++) {
    const se = c.mem.read16(a + 10 * i + 8);
    regs.push(fx80(se >> 15, se & 0x7fff, c.mem.read64(a + 10 * i)));
  }
  loadEnv(c);
  regs.forEach((v, i) => c.x.writePhys(c.x.phys(i), v));
};

const fnstsw: OpFn = (c) => {
  if (c.memBits === 16) c.mem.write16(hostAddr(c), c.x.statusWord);
  return c.x.statusWord;
};
const fnstcw: OpFn = (c) => c.mem.write16(hostAddr(c), c.x.control);
const fnclex: OpFn = (c) => {
  c.x.status = c.x.status & 0x7f00; // exception flags, SF, ES and B
};
const fninit: OpFn = (c) => c.x.reset();

/** Instructions that leave FIP/FDP/FOP alone (Intel: the control instructions). */
const CONTROL: ReadonlySet<X87Op> = new Set<X87Op>([
  'FLDCW', 'FNSTCW', 'FSTCW', 'FNSTSW', 'FSTSW', 'FNCLEX', 'FCLEX', 'FNINIT', 'FINIT',
  'FNSTENV', 'FSTENV', 'FLDENV', 'FNSAVE', 'FSAVE', 'FRSTOR', 'WAIT',
]);

/** The no-wait forms: they run even with an unmasked exception pending. */
const NO_WAIT: ReadonlySet<X87Op> = new Set<X87Op>(['FNINIT', 'FNCLEX', 'FNSTCW', 'FNSTSW', 'FNSTENV', 'FNSAVE']);

/** Loading a control or status word recomputes ES/B from the flags the new control word unmasks. */
const RELOADS_CONTROL: ReadonlySet<X87Op> = new Set<X87Op>(['FLDCW', 'FLDENV', 'FRSTOR']);

/**
 * A waiting x87 instruction found an unmasked exception pending (ES): the CPU raises #MF
 * before executing it, which Linux delivers as SIGFPE.
 */
export class X87PendingException extends Error {
  constructor(readonly status: number) {
    super(`x87 exception pending (status word 0x${status.toString(16)})`);
    this.name = 'X87PendingException';
  }
}

const UNMASKED_NO_RESULT = FPE.IE | FPE.ZE | FPE.DE;

const OPS: Record<X87Op, OpFn> = {
  FLD: fld,
  FST: fst(false),
  FSTP: fst(true),
  FILD: (c) => c.x.push(fx80FromInt(readInt(c, c.memBits)), c.st),
  FIST: fist(false, false),
  FISTP: fist(true, false),
  FISTTP: fist(true, true),
  FBLD: (c) => c.x.push(fx80FromBcd(c.mem.readBytes(hostAddr(c), 10)), c.st),
  FBSTP: (c) => {
    const bytes = fx80ToBcd(c.st, c.x.st(0, c.st));
    c.mem.writeBytes(hostAddr(c), bytes); // all-or-nothing across a page
    c.x.pop();
  },
  FADD: arith(ADD, false, false, false),
  FADDP: arith(ADD, false, true, false),
  FIADD: arith(ADD, false, false, true),
  FSUB: arith(SUB, false, false, false),
  FSUBP: arith(SUB, false, true, false),
  FISUB: arith(SUB, false, false, true),
  FSUBR: arith(SUB, true, false, false),
  FSUBRP: arith(SUB, true, true, false),
  FISUBR: arith(SUB, true, false, true),
  FMUL: arith(fx80Mul, false, false, false),
  FMULP: arith(fx80Mul, false, true, false),
  FIMUL: arith(fx80Mul, false, false, true),
  FDIV: arith(fx80Div, false, false, false),
  FDIVP: arith(fx80Div, false, true, false),
  FIDIV: arith(fx80Div, false, false, true),
  FDIVR: arith(fx80Div, true, false, false),
  FDIVRP: arith(fx80Div, true, true, false),
  FIDIVR: arith(fx80Div, true, false, true),
  FCOM: compare(0, true, false),
  FCOMP: compare(1, true, false),
  FCOMPP: compare(2, true, false, true),
  FUCOM: compare(0, false, false),
  FUCOMP: compare(1, false, false),
  FUCOMPP: compare(2, false, false, true),
  FICOM: compare(0, true, true),
  FICOMP: compare(1, true, true),
  FCOMI: compareEflags(false, true),
  FCOMIP: compareEflags(true, true),
  FUCOMI: compareEflags(false, false),
  FUCOMIP: compareEflags(true, false),
  FTST: (c) => {
    const [c3, c2, c0] = CMP_CC[fx80Compare(c.st, c.x.st(0, c.st), FX80_ZERO, true)];
    setCc(c, c0, 0, c2, c3);
  },
  FXAM: fxam,
  FXCH: (c) => {
    const a = c.x.st(0, c.st);
    const b = c.x.st(c.sti, c.st);
    c.x.setSt(0, b);
    c.x.setSt(c.sti, a);
  },
  FCHS: unary((_c, a) => fx80(a.sign ^ 1, a.exp, a.mant)),
  FABS: unary((_c, a) => fx80(0, a.exp, a.mant)),
  FSQRT: unary((c, a) => fx80Sqrt(c.st, a)),
  FRNDINT: unary((c, a) => fx80RoundToInt(c.st, a)),
  FSCALE: (c) => {
    const a = c.x.st(0, c.st);
    const b = c.x.st(1, c.st);
    const ka = fx80Kind(a);
    const kb = fx80Kind(b);
    if (ka === Kind.NaN || kb === Kind.NaN) return c.x.setSt(0, fx80Add(c.st, a, b, false));
    if (kb === Kind.Inf) {
      if (a.exp === 0 && a.mant !== 0n) c.st.flags |= FPE.DE;
      // 0 * 2^inf and inf * 2^-inf are invalid; otherwise the exponent runs away exactly
      if ((ka === Kind.Zero && !b.sign) || (ka === Kind.Inf && b.sign)) return c.x.setSt(0, invalidResult(c.st));
      if (ka === Kind.Finite) return c.x.setSt(0, b.sign ? fx80(a.sign, 0, 0n) : fx80Inf(a.sign));
      return c.x.setSt(0, a);
    }
    c.x.setSt(0, fx80Scale(c.st, a, fx80TruncToNumber(b), b));
  },
  FXTRACT: (c) => {
    const [e, s] = fx80Extract(c.st, c.x.st(0, c.st));
    c.x.setSt(0, e);
    c.x.push(s, c.st);
  },
  FPREM: rem(false),
  FPREM1: rem(true),
  // [biased exponent, significand to 96 bits]: rounded per RC as the x87 does
  FLD1: (c) => c.x.push(FX80_ONE, c.st),
  FLDL2T: constant(0x4000, 0xd49a784bcd1b8afe492bf6ffn),
  FLDL2E: constant(0x3fff, 0xb8aa3b295c17f0bbbe87fed0n),
  FLDPI: constant(0x4000, 0xc90fdaa22168c234c4c6628bn),
  FLDLG2: constant(0x3ffd, 0x9a209a84fbcff7988f8959acn),
  FLDLN2: constant(0x3ffe, 0xb17217f7d1cf79abc9e3b398n),
  FLDZ: (c) => c.x.push(FX80_ZERO, c.st),
  FSIN: trigOp(false, (c, a) => c.x.setSt(0, x87Trig(c.st, a, 'sin'))),
  FCOS: trigOp(false, (c, a) => c.x.setSt(0, x87Trig(c.st, a, 'cos'))),
  FSINCOS: trigOp(true, (c, a) => {
    const s = x87Trig(c.st, a, 'sin');
    const sinUp = c.st.roundedUp;
    c.x.setSt(0, s);
    c.x.push(x87Trig(c.st, a, 'cos'), c.st);
    c.st.roundedUp = sinUp;
  }),
  FPTAN: trigOp(true, (c, a) => {
    c.x.setSt(0, x87Trig(c.st, a, 'tan'));
    c.x.push(FX80_ONE, c.st);
  }),
  FPATAN: binaryPop(x87Atan),
  F2XM1: unary((c, a) => (fx80Kind(a) === Kind.NaN ? fx80Add(c.st, a, FX80_ZERO, false) : x87F2xm1(c.st, a))),
  FYL2X: binaryPop(x87Yl2x),
  FYL2XP1: binaryPop(x87Yl2xp1),
  FDECSTP: (c) => {
    c.x.top = c.x.top - 1;
  },
  FINCSTP: (c) => {
    c.x.top = c.x.top + 1;
  },
  FFREE: (c) => c.x.free(c.sti),
  FFREEP: (c) => {
    c.x.free(c.sti);
    c.x.pop();
  },
  FNOP: () => undefined,
  FCMOVCC: (c) => {
    if (c.cond) c.x.setSt(0, c.x.st(c.sti, c.st));
  },
  FLDCW: (c) => {
    c.x.control = loadedControl(c.mem.read16(hostAddr(c)));
  },
  FNSTCW: fnstcw,
  FSTCW: fnstcw,
  FNSTSW: fnstsw,
  FSTSW: fnstsw,
  FNCLEX: fnclex,
  FCLEX: fnclex,
  FNINIT: fninit,
  FINIT: fninit,
  FNSTENV: fnstenv,
  FSTENV: fnstenv,
  FLDENV: loadEnv,
  FNSAVE: fnsave,
  FSAVE: fnsave,
  FRSTOR: frstor,
  WAIT: () => undefined,
};

const TRANSCENDENTAL: ReadonlySet<X87Op> = new Set<X87Op>(['FSIN', 'FCOS', 'FSINCOS', 'FPTAN', 'FPATAN', 'F2XM1', 'FYL2X', 'FYL2XP1']);

/** Decoded descriptors: a program uses few distinct ones, and this is the helper's hot path. */
const DESCS = new Map<number, X87Desc>();

/** Precision control field -> significand bits (01 is reserved; treated as 64). */
const PRECISION = [24, 64, 53, 64] as const;

/**
 * Runs one x87 instruction (the helper's body): a0 descriptor, a1 operand address, a2 eip,
 * a3 fcmov condition. Returns v0 (AX for fnstsw, EFLAGS bits for fcomi; 0 otherwise).
 * `cs`: the user code selector of the mode (FCS in fnstenv's image).
 */
export function x87Exec(x: X87State, mem: HostMemory, desc: number, ea: number, eip: number, cond: number, guestBase = GUEST_BASE, cs = 0x23): number {
  let d = DESCS.get(desc);
  if (d === undefined) DESCS.set(desc, (d = decodeX87Desc(desc)));
  const op = X87_OPS[d.op];
  const cw = x.control;
  // precision control applies to the basic arithmetic only, not to the transcendental functions
  const st = newFpStatus((cw >> 10) & 3, TRANSCENDENTAL.has(op) ? 64 : PRECISION[(cw >> 8) & 3]);
  const c: X87Call = { x, mem, st, op, memBits: d.memBits, sti: d.sti, destSti: d.destSti, ea, guestBase, cs, cond: cond !== 0, ccMask: 0, cc: 0 };
  if (!NO_WAIT.has(op) && x.status & SW.ES) throw new X87PendingException(x.statusWord);
  const control = CONTROL.has(op);
  // with an exception unmasked, an invalid, zero-divide or denormal operation leaves the stack as it was
  const snapshot = (cw & 0x3f) !== 0x3f && !control ? x.snapshot() : undefined;
  const ret = OPS[op](c) ?? 0;
  if (control) {
    if (RELOADS_CONTROL.has(op)) {
      const pending = x.status & ~x.control & 0x3f;
      x.status = pending ? x.status | SW.ES | SW.B : x.status & ~(SW.ES | SW.B);
    }
    return ret;
  }
  if (snapshot && st.flags & ~cw & UNMASKED_NO_RESULT) x.restore(snapshot);
  // C1: "rounded up" (or stack overflow) unless the op set the condition codes itself
  let status = x.status | (st.flags & 0x7f);
  const c1 = st.flags & (FPE.PE | SW.SF) ? (st.roundedUp ? SW.C1 : 0) : 0;
  if (c.ccMask === 0) status = (status & ~SW.C1) | c1;
  else status = (status & ~c.ccMask) | c.cc;
  // an unmasked exception sets ES and B (delivery on the next waiting instruction is not modelled)
  if (status & ~x.control & 0x3f) status |= SW.ES | SW.B;
  x.status = status;
  // FDP and FDS are the last memory operand's: a register form keeps them (measured natively)
  x.setLast(eip, d.memBits ? ea : x.dp, d.fop);
  x.cs = cs;
  if (d.memBits) x.ds = mem.read32(ENV_BASE + ENV.segSelector + 4 * d.seg) & 0xffff;
  return ret;
}

