/**
 * The x87 forms of the differential suite: st(0) and st(1) are loaded from 80-bit case
 * values (edge values: zeros, infinities, NaNs, denormals, the extremes, rounding ties;
 * then random ones) under control words covering the four rounding modes and the three
 * precisions; the record holds st(0), st(1) and the status word after the form. The
 * transcendental forms are compared exactly too, except that a case whose exact value lies so
 * near a rounding boundary that the CPU's microcode (accurate to ~2^-67, not exactly) rounds
 * it the other way is counted and reported apart (see `nearBoundary`).
 */
import { fx80, newFpStatus, x87Atan, x87F2xm1, x87Trig, x87Yl2x, x87Yl2xp1, FPE, RC, X87_TRANSCENDENTAL_ACCURACY, type FpStatus, type Fx80 } from '@dbtlab/x86-semantics';
import { CC_FLAGS } from '@dbtlab/x86-frontend';
import { prng, type Case, type Form } from './insn-program';

const C0 = 0x100;
const C2 = 0x400;
const C3 = 0x4000;
/** Status-word bits defined after arithmetic (C0, C2, C3 are undefined there). */
const SW_ARITH = 0xffff & ~(C0 | C2 | C3);
const SW_ALL = 0xffff;

const rnd = prng(0x87);

/** An 80-bit value as three little-endian words [significand low, significand high, sign|exponent]. */
export type Ext = [number, number, number];

const f64 = new DataView(new ArrayBuffer(8));

/** The exact 80-bit form of a double. */
export function extFromDouble(v: number): Ext {
  f64.setFloat64(0, v, true);
  const bits = f64.getBigUint64(0, true);
  const sign = Number(bits >> 63n);
  const e = Number((bits >> 52n) & 0x7ffn);
  let frac = bits & ((1n << 52n) - 1n);
  let exp: number;
  let mant: bigint;
  if (e === 0x7ff) {
    exp = 0x7fff;
    mant = (1n << 63n) | (frac << 11n);
  } else if (e === 0) {
    if (frac === 0n) return [0, 0, sign << 15];
    let n = 0;
    while (!(frac & (1n << 52n))) {
      frac <<= 1n;
      n++;
    }
    exp = 1 - 1023 - n + 16383;
    mant = frac << 11n;
  } else {
    exp = e - 1023 + 16383;
    mant = (1n << 63n) | (frac << 11n);
  }
  return [Number(mant & 0xffffffffn), Number(mant >> 32n), (sign << 15) | exp];
}

export const ext = (se: number, hi: number, lo: number): Ext => [lo >>> 0, hi >>> 0, se];

const DOUBLES = [0, -0, 1, -1, 0.5, 1.5, 2, 3, 10, 0.1, -2.75, 2.5, -3.5, 1e10, 1e-10, 123456789.123, Math.PI, 1e300, -1e-300,
  2 ** 63, -(2 ** 31), 65535.5, 4e-320 /* double denormal */];
const SPECIALS: Ext[] = [
  ext(0x7fff, 0x80000000, 0), ext(0xffff, 0x80000000, 0), // +inf, -inf
  ext(0xffff, 0xc0000000, 0), ext(0x7fff, 0xc0001234, 0x5678), // QNaNs
  ext(0x7fff, 0x80000000, 1), // SNaN
  ext(0x0000, 0, 1), ext(0x8000, 0x40000000, 0), // denormals
  ext(0x7ffe, 0xffffffff, 0xffffffff), ext(0x0001, 0x80000000, 0), // max, min normal
  ext(0x3fff, 0x80000000, 0x00000001), ext(0x3ffe, 0xffffffff, 0xffffffff), // 1 + ulp, 1 - ulp/2
];
function randomExt(): Ext {
  const sign = rnd() & 1;
  const exp = 0x3fff + ((rnd() % 161) - 80);
  return ext((sign << 15) | exp, rnd() | 0x80000000, rnd());
}
const VALUES: Ext[] = [...DOUBLES.map(extFromDouble), ...SPECIALS, ...Array.from({ length: 10 }, randomExt)];
/** Control words: nearest/down/up/zero at 64-bit precision, then 53 and 24 bits. */
const CWS = [0x37f, 0x77f, 0xb7f, 0xf7f, 0x27f, 0x07f, 0xe7f];

function pairCases(): Case[] {
  const cases: Case[] = [];
  for (const a of VALUES) for (const b of VALUES) cases.push(fpCase(0x37f, a, b));
  for (let k = 0; k < 400; k++) cases.push(fpCase(CWS[1 + (k % (CWS.length - 1))], VALUES[rnd() % VALUES.length], VALUES[rnd() % VALUES.length]));
  return cases;
}

function singleCases(): Case[] {
  const cases: Case[] = [];
  for (const cw of CWS) for (const a of VALUES) cases.push(fpCase(cw, a, VALUES[rnd() % VALUES.length]));
  return cases;
}

export function fpCase(cw: number, st0: Ext, st1: Ext, mem: number[] = [0, 0, 0], flags = 0): Case {
  return { regs: [0, 0, 0, 0, 0, 0], mem, flags, fpu: { cw, st0, st1 } };
}

/** Memory-operand cases: st(0) from VALUES, the memory operand an f32/f64/integer of another value. */
function memCases(kind: 'f32' | 'f64' | 'i16' | 'i32'): Case[] {
  const cases: Case[] = [];
  const nums = [...DOUBLES, Infinity, NaN, ...Array.from({ length: 8 }, () => (rnd() - 2 ** 31) / (1 + (rnd() % 1000)))];
  for (const cw of CWS.slice(0, 5))
    for (const a of VALUES.filter((_, i) => i % 2 === 0 || cw === 0x37f))
      for (const v of nums.filter((_, i) => i % 3 === 0 || cw === 0x37f)) {
        let mem: number[];
        if (kind === 'f32') {
          const d = new DataView(new ArrayBuffer(4));
          d.setFloat32(0, v, true);
          mem = [d.getUint32(0, true), 0, 0];
        } else if (kind === 'f64') {
          f64.setFloat64(0, v, true);
          mem = [f64.getUint32(0, true), f64.getUint32(4, true), 0];
        } else {
          const i = Number.isFinite(v) ? Math.trunc(v) : 0x7fffffff;
          mem = [kind === 'i16' ? i & 0xffff : i >>> 0, 0, 0];
        }
        cases.push(fpCase(cw, a, VALUES[0], mem));
      }
  return cases;
}

/** v * 2^e as an 80-bit value (v > 0 of at most 64 bits), negative if `neg`. */
function extOf(v: bigint, e: number, neg = false): Ext {
  let n = 0;
  while (v >> BigInt(n + 1)) n++;
  const mant = v << BigInt(63 - n);
  return ext((neg ? 0x8000 : 0) | (0x3fff + e + n), Number(mant >> 32n), Number(mant & 0xffffffffn));
}

/**
 * Store cases: values to convert, each control word; with the edges of the float and double
 * denormal ranges (exact there, rounding to the smallest normal, ties to zero) and of the
 * 18-digit packed BCD range.
 */
function storeCases(): Case[] {
  const cases: Case[] = [];
  const extra = [1e5, -32768, 32767.5, -32768.5, 2147483647.5, -2147483648.4, 2 ** 62, -(2 ** 63), 9.9e17, -1e18, 0.49999, 2.5e-8].map(extFromDouble);
  const denormalEdges = [-130, -149, -150, -1030, -1074, -1075].map((e) => extOf(1n, e));
  denormalEdges.push(extOf(3n, -151), extOf(3n, -1076, true), extOf((1n << 64n) - 1n, -126 - 64), extOf((1n << 64n) - 1n, -1022 - 64, true), extOf((1n << 24n) - 1n, -126 - 24));
  const tenTo18 = 10n ** 18n;
  const bcdEdges = [extOf(tenTo18 - 1n, 0), extOf(tenTo18, 0, true), extOf(2n * tenTo18 - 1n, -1), extOf(2n * tenTo18 - 3n, -1, true), extOf(1n, 63), extOf(1n, 66, true)];
  for (const cw of CWS) for (const a of [...VALUES, ...extra, ...denormalEdges, ...bcdEdges]) cases.push(fpCase(cw, a, VALUES[3], [0xcccccccc, 0xcccccccc, 0xcccccccc]));
  return cases;
}

/** Pairs of NaNs: quiet and signaling, payloads larger and smaller, equal but for the sign or the quiet bit. */
function nanPairs(): Case[] {
  const nans = [
    ext(0x7fff, 0xc0001234, 0x5678), ext(0xffff, 0xc0001234, 0x5678), ext(0xffff, 0xc0000000, 0), ext(0x7fff, 0xe0000000, 0),
    ext(0x7fff, 0x80000000, 1), ext(0xffff, 0xbfffffff, 0xffffffff), ext(0x7fff, 0xa0000000, 0), ext(0xffff, 0xa0000000, 0),
  ];
  const cases: Case[] = [];
  for (const a of nans) for (const b of nans) cases.push(fpCase(0x37f, a, b));
  for (const a of nans) cases.push(fpCase(0x37f, a, VALUES[2]), fpCase(0x37f, VALUES[2], a));
  return cases;
}

/** An f32/f64 NaN memory operand (quiet and signaling, both signs) against NaN and number st(0). */
function nanMemCases(kind: 'f32' | 'f64'): Case[] {
  const mems = kind === 'f32' ? [[0x7f800001], [0xffbfffff], [0x7fc12345], [0xffc00000]] : [[1, 0x7ff00000], [0xffffffff, 0xfff7ffff], [0x123, 0x7ff80000], [0, 0xfff80000]];
  const cases: Case[] = [];
  for (const m of mems) for (const a of [ext(0x7fff, 0xc0001234, 0x5678), ext(0xffff, 0x80000000, 1), ext(0x7fff, 0xffffffff, 0xffffffff), VALUES[2]]) cases.push(fpCase(0x37f, a, VALUES[3], [m[0] >>> 0, (m[1] ?? 0) >>> 0, 0]));
  return cases;
}

const x87 = (name: string, asm: string, cases: Case[], swMask = SW_ARITH, extra: Partial<Form> = {}): Form => ({
  name,
  asm,
  cases,
  flagMask: () => CC_FLAGS,
  swMask,
  x87: true,
  ...extra,
});

/** A transcendental op's record for one value of its result: [record offset, value] pairs, C1, the exceptions. */
interface End {
  st: [number, Fx80][];
  c1: number;
  flags: number;
}

const toFx80 = (e: number[]): Fx80 => fx80((e[2] >> 15) & 1, e[2] & 0x7fff, (BigInt(e[1] >>> 0) << 32n) | BigInt(e[0] >>> 0));
export const sameAs = (cpu: Uint32Array, at: number, v: Fx80): boolean =>
  cpu[at] === Number(v.mant & 0xffffffffn) && cpu[at + 1] === Number(v.mant >> 32n) && (cpu[at + 2] & 0xffff) === ((v.sign << 15) | v.exp);
/** C1 as the CPU sets it after a rounding: up in magnitude */
const c1Of = (st: FpStatus): number => (st.flags & FPE.PE && st.roundedUp ? 1 : 0);

/**
 * The results of a transcendental op, for one end (side -1 or +1) of the CPU's accuracy
 * range around the exact value (x86-semantics X87_TRANSCENDENTAL_ACCURACY; side 0: the exact
 * value): [record offset, value] pairs, C1 and the exceptions raised.
 */
export function transcendentalEnds(op: string, c: Case, side: number, rc?: number): End[] {
  const slack = side * X87_TRANSCENDENTAL_ACCURACY[op as keyof typeof X87_TRANSCENDENTAL_ACCURACY];
  const { cw, st0, st1 } = c.fpu!;
  const a = toFx80(st0);
  const b = toFx80(st1);
  const status = (): FpStatus => newFpStatus(rc ?? (cw >> 10) & 3, 64);
  const one = (f: (st: FpStatus) => Fx80, at: number): End[] => {
    const st = status();
    const v = f(st);
    return [{ st: [[at, v]], c1: c1Of(st), flags: st.flags }];
  };
  switch (op) {
    case 'fsin':
    case 'fcos':
      return one((st) => x87Trig(st, a, op === 'fsin' ? 'sin' : 'cos', slack), 10);
    case 'fptan':
      return one((st) => x87Trig(st, a, 'tan', slack), 13);
    case 'f2xm1':
      return one((st) => x87F2xm1(st, a, slack), 10);
    case 'fsincos':
      // either result may be the one near its boundary
      return (side ? [-1, 1] : [0]).map((cosSide) => {
        const s = status();
        const sin = x87Trig(s, a, 'sin', slack);
        const sc = status();
        const cos = x87Trig(sc, a, 'cos', cosSide * X87_TRANSCENDENTAL_ACCURACY.fsincos);
        return { st: [[13, sin], [10, cos]], c1: c1Of(s), flags: s.flags | sc.flags };
      });
    default: {
      const f = { fpatan: x87Atan, fyl2x: x87Yl2x, fyl2xp1: x87Yl2xp1 }[op]!;
      return one((st) => f(st, a, b, slack), 10);
    }
  }
}

/**
 * A transcendental case the CPU rounded as a value within its accuracy of the exact one
 * would round (dbtlab's record is the exact value's rounding): the CPU's st(0)/st(1) and C1
 * are those of one end of the range.
 */
export const nearBoundary =
  (op: string) =>
  (c: Case, cpu: Uint32Array): boolean =>
    (op === 'fptan' && tinyTan(c, cpu)) ||
    onRepresentable(op, c, cpu) ||
    [-1, 1].some((side) =>
      transcendentalEnds(op, c, side).some((end) => end.st.every(([at, v]) => sameAs(cpu, at, v)) && ((cpu[16] >> 9) & 1) === end.c1),
    );

/**
 * The other way the CPU's approximation can fall: exactly on a representable value within
 * its accuracy of the exact one, which it then returns with C1 = 0 (not rounded) under any rounding
 * control. That value is the upward rounding of the window's low end and the downward one of
 * its high end.
 */
function onRepresentable(op: string, c: Case, cpu: Uint32Array): boolean {
  if ((cpu[16] >> 9) & 1) return false;
  const [lowUp, lowDown, highUp, highDown] = [[-1, RC.UP], [-1, RC.DOWN], [1, RC.UP], [1, RC.DOWN]].map(([side, rc]) => transcendentalEnds(op, c, side, rc)[0].st[0]);
  const at = lowUp[0];
  const same = (x: Fx80, y: Fx80): boolean => x.sign === y.sign && x.exp === y.exp && x.mant === y.mant;
  // positive results: [v(1 - e), v(1 + e)]; negative ones: [v(1 + e), v(1 - e)]
  const landed = (same(lowUp[1], highDown[1]) && sameAs(cpu, at, lowUp[1])) || (same(highUp[1], lowDown[1]) && sameAs(cpu, at, highUp[1]));
  // fsincos: the sine landed (C1 is its), the cosine is any rounding within the range
  return landed && (op !== 'fsincos' || [-1, 0, 1].some((side) => transcendentalEnds(op, c, side).some((end) => sameAs(cpu, 10, end.st[1][1]))));
}

/** An 80-bit value's place on the ordered line of representable magnitudes. */
const magnitudeKey = (se: number, mant: bigint): bigint => ((se & 0x7fff) === 0 ? mant : (BigInt(se & 0x7fff) << 63n) + (mant & ((1n << 63n) - 1n)));

/**
 * fptan of |x| < 2^-33, where tan x is within 2^-66 of x: the CPU gives x, the value below or
 * the one above, with C1 not following the rounding direction (measured, not modelled: its
 * choice depends on bits of x in a way we did not find).
 */
function tinyTan(c: Case, cpu: Uint32Array): boolean {
  const x = c.fpu!.st0;
  if ((x[2] & 0x7fff) >= 0x3fff - 33 || (cpu[15] & 0x8000) !== (x[2] & 0x8000)) return false;
  const d = magnitudeKey(cpu[15], (BigInt(cpu[14]) << 32n) | BigInt(cpu[13])) - magnitudeKey(x[2], (BigInt(x[1] >>> 0) << 32n) | BigInt(x[0] >>> 0));
  return d >= -1n && d <= 1n && sameAs(cpu, 10, fx80(0, 0x3fff, 1n << 63n));
}

/** Random operands per transcendental op (beyond the edge values; CI: fewer, transcendental-sweep has more) */
const TRANSCENDENTAL_RANDOM = process.env.CI === 'true' ? 150 : 400;

export function x87Forms(): Form[] {
  const forms: Form[] = [];
  const pairs = pairCases();
  const singles = singleCases();
  for (const op of ['fadd', 'fsub', 'fsubr', 'fmul', 'fdiv', 'fdivr']) {
    forms.push(x87(`${op} %st(1),%st`, `${op} %st(1), %st`, pairs));
    forms.push(x87(`${op} %st,%st(1)`, `${op} %st, %st(1)`, pairs.filter((_, i) => i % 3 === 0)));
    forms.push(x87(`${op}p`, `${op}p`, pairs.filter((_, i) => i % 3 === 1)));
    forms.push(x87(`${op}l mem`, `${op}l memop`, memCases('f64')));
    forms.push(x87(`${op}s mem`, `${op}s memop`, memCases('f32').filter((_, i) => i % 2 === 0)));
    forms.push(x87(`fi${op.slice(1)}l mem`, `fi${op.slice(1)}l memop`, memCases('i32').filter((_, i) => i % 2 === 0)));
    forms.push(x87(`fi${op.slice(1)}s mem`, `fi${op.slice(1)}s memop`, memCases('i16').filter((_, i) => i % 3 === 0)));
  }
  // results just below the smallest normal that round up to it: tininess after rounding
  const tinyEdges = CWS.flatMap((cw) => [
    fpCase(cw, ext(0x0001, 0x80000000, 1), ext(0x3ffe, 0xffffffff, 0xfffffffe)),
    fpCase(cw, ext(0x8001, 0x80000000, 3), ext(0x3ffe, 0xffffffff, 0xfffffffd)),
    fpCase(cw, ext(0x0002, 0x80000000, 1), ext(0x3ffd, 0xffffffff, 0xffffffff)),
  ]);
  forms.push(x87('fmul tininess', 'fmul %st(1), %st', tinyEdges), x87('fdivr tininess', 'fdivr %st(1), %st', tinyEdges));
  for (const op of ['fcom', 'fcomp', 'fucom', 'fucomp']) forms.push(x87(`${op} %st(1)`, `${op} %st(1)`, pairs, SW_ALL));
  for (const op of ['fcompp', 'fucompp']) forms.push(x87(op, op, pairs, SW_ALL));
  forms.push(x87('fcoml mem', 'fcoml memop', memCases('f64'), SW_ALL));
  forms.push(x87('fcomps mem', 'fcomps memop', memCases('f32'), SW_ALL));
  forms.push(x87('ficoml mem', 'ficoml memop', memCases('i32'), SW_ALL));
  forms.push(x87('ficomps mem', 'ficomps memop', memCases('i16'), SW_ALL));
  for (const op of ['fcomi', 'fucomi', 'fcomip', 'fucomip']) forms.push(x87(`${op} %st(1),%st`, `${op} %st(1), %st`, pairs, SW_ALL));
  for (const cc of ['b', 'e', 'be', 'u', 'nb', 'ne', 'nbe', 'nu']) {
    const cases: Case[] = [];
    for (let m = 0; m < 16; m++) cases.push(fpCase(0x37f, VALUES[2], VALUES[8], [0, 0, 0], (m & 1 ? 1 : 0) | (m & 2 ? 0x40 : 0) | (m & 4 ? 4 : 0) | (m & 8 ? 0x880 : 0)));
    forms.push(x87(`fcmov${cc}`, `fcmov${cc} %st(1), %st`, cases, SW_ALL));
  }
  for (const op of ['ftst', 'fxam']) forms.push(x87(op, op, singles, SW_ALL));
  for (const op of ['fsqrt', 'frndint', 'fchs', 'fabs', 'fxtract', 'fscale', 'fxch', 'fincstp', 'fdecstp', 'ffree %st(1)', 'fnop']) {
    forms.push(x87(op, op, op === 'fscale' ? pairs.filter((_, i) => i % 2 === 0) : singles));
  }
  for (const op of ['fprem', 'fprem1']) forms.push(x87(op, op, pairs, SW_ALL));
  // both operands NaN: which payload wins, quieting, IE
  const nans = nanPairs();
  for (const op of ['fadd', 'fsub', 'fsubr', 'fmul', 'fdiv', 'fdivr']) {
    forms.push(x87(`${op} NaN pairs`, `${op} %st(1), %st`, nans));
    forms.push(x87(`${op} NaN pairs to st(1)`, `${op} %st, %st(1)`, nans));
    forms.push(x87(`${op}s NaN mem`, `${op}s memop`, nanMemCases('f32')));
    forms.push(x87(`${op}l NaN mem`, `${op}l memop`, nanMemCases('f64')));
  }
  for (const op of ['fprem', 'fprem1', 'fscale', 'fpatan', 'fyl2x', 'fyl2xp1', 'fucom %st(1)', 'fcom %st(1)', 'fcomi %st(1), %st']) forms.push(x87(`${op} NaN pairs`, op, nans, SW_ALL));
  for (const op of ['fld1', 'fldl2t', 'fldl2e', 'fldpi', 'fldlg2', 'fldln2', 'fldz']) forms.push(x87(op, `fstp %st(0); ${op}`, singles.slice(0, CWS.length * 3)));
  forms.push(x87('fld %st(1)', 'fstp %st(0); fld %st(0); fld %st(1)', singles));
  // stack faults (masked): overflow loads the indefinite with C1 = 1, underflow computes with it
  const few = singles.filter((_, i) => i % 7 === 0);
  forms.push(x87('stack overflow', 'fld1; fld1; fld1; fld1; fld1; fld1; fld %st(3)', few, SW_ALL));
  forms.push(x87('stack overflow fildl', 'fldz; fldz; fldz; fldz; fldz; fldz; fildl memop', few, SW_ALL));
  forms.push(x87('stack underflow', 'fstp %st(0); fadd %st(1), %st', few, SW_ARITH));
  forms.push(x87('stack underflow fstl', 'fstp %st(0); fstp %st(0); fstl memop', few, SW_ARITH));
  forms.push(x87('fxam empty', 'ffree %st(0); fxam', few, SW_ALL));
  // loads
  forms.push(x87('flds mem', 'flds memop', memCases('f32')));
  forms.push(x87('fldl mem', 'fldl memop', memCases('f64')));
  forms.push(x87('filds mem', 'filds memop', memCases('i16')));
  forms.push(x87('fildl mem', 'fildl memop', memCases('i32')));
  forms.push(x87('fildll mem', 'fildll memop', memCases('f64')));
  forms.push(x87('fldt mem', 'fstp %st(0); fldt memop', singles.map((c) => ({ ...c, mem: [...c.fpu!.st0] }))));
  const bcd = singles.slice(0, 30).map((c, i) => ({ ...c, mem: [0x12345678 + i, 0x00009876 + (i << 24), i & 1 ? 0x80 : 0] }));
  forms.push(x87('fbld mem', 'fbld memop', bcd));
  // stores
  const stores = storeCases();
  for (const op of ['fsts', 'fstl', 'fstps', 'fstpl', 'fstpt', 'fists', 'fistl', 'fistps', 'fistpl', 'fistpll', 'fisttps', 'fisttpl', 'fisttpll', 'fbstp']) {
    forms.push(x87(`${op} mem`, `${op} memop`, stores));
  }
  forms.push(x87('fst %st(1)', 'fst %st(1)', singles));
  forms.push(x87('fstp %st(1)', 'fstp %st(1)', singles));
  // control and status
  forms.push(x87('fnstcw', 'fnstcw memop', singles.slice(0, CWS.length), SW_ALL));
  forms.push(x87('fldcw', 'movl $0xc7f, memop; fldcw memop; fadd %st(1), %st; fnstcw memop+4', singles, SW_ARITH));
  forms.push(x87('fnstsw mem', 'fdiv %st(1), %st; fnstsw memop', pairs.filter((_, i) => i % 4 === 0), SW_ARITH, { swMask: SW_ARITH }));
  forms.push(x87('fnstsw %ax', 'fmul %st(1), %st; fnstsw %ax; movl %eax, memop', pairs.filter((_, i) => i % 4 === 1), SW_ARITH, {
    post: 'andl $0xbaff, sav+24',
  }));
  forms.push(x87('fnclex', 'fdiv %st(1), %st; fnclex', pairs.filter((_, i) => i % 4 === 2), SW_ARITH));
  forms.push(x87('fninit', 'fninit; fld1', singles.slice(0, 10), SW_ALL));
  forms.push(x87('fnstenv', 'fdiv %st(1), %st; fnstenv buf; movl buf, %ebx; movl buf+4, %ecx; movl buf+8, %edx; andl $0xffffbaff, %ecx; fldenv buf', pairs.filter((_, i) => i % 8 === 3), SW_ARITH));
  forms.push(x87('fnsave/frstor', 'fnsave buf; fld1; frstor buf; movl buf, %ecx; movl buf+8, %edx', pairs.filter((_, i) => i % 8 === 5), SW_ALL));
  // the 16-bit images (operand-size prefix): 14-byte environment, 94-byte state; the bytes
  // after them untouched (FIP, FCS, FDP and FDS differ between the two builds: not read)
  forms.push(x87('data16 fnstenv/fldenv', 'fdiv %st(1), %st; movl $-1, buf+14; data16 fnstenv buf; movl buf, %ebx; movzwl buf+4, %ecx; movl buf+14, %edx; data16 fldenv buf', pairs.filter((_, i) => i % 8 === 3), SW_ARITH));
  forms.push(x87('data16 fnsave/frstor', 'movl $-1, buf+94; data16 fnsave buf; fld1; data16 frstor buf; movl buf, %ecx; movzwl buf+4, %edx; movl buf+14, %ebx; movl buf+20, %esi; movl buf+94, %edi', pairs.filter((_, i) => i % 8 === 5), SW_ALL));
  // reserved control-word bits as the CPU forces them on each way of loading it
  const cws = [0xffff, 0xf0ff, 0x003f, 0x1fbf, 0xe07f, 0x0cbf, 0x8f3f, 0x107f, ...Array.from({ length: 8 }, () => rnd() | 0x3f)].map((v) => fpCase(0x37f, VALUES[2], VALUES[3], [v & 0xffff, 0, 0]));
  forms.push(x87('fldcw reserved bits', 'fldcw memop; fnstcw memop+4', cws, SW_ALL));
  forms.push(x87('fldenv reserved bits', 'fnstenv buf; movw memop, %ax; movw %ax, buf; fldenv buf; fnstcw memop+4', cws, SW_ALL));
  forms.push(x87('data16 fldenv reserved bits', 'data16 fnstenv buf; movw memop, %ax; movw %ax, buf; data16 fldenv buf; fnstcw memop+4', cws, SW_ALL));
  forms.push(x87('frstor reserved bits', 'fnsave buf; movw memop, %ax; movw %ax, buf; frstor buf; fnstcw memop+4', cws, SW_ALL));
  // transcendental: exact, but for the near-boundary cases counted apart; the trigonometric
  // ones over their whole range (to 2^63, beyond which C2 reports the operand out of range),
  // plus large arguments, and random operands in each function's domain under every rounding
  const t = (op: string, cases: Case[]) => forms.push(x87(op, op, cases, SW_ALL, { nearBoundary: nearBoundary(op) }));
  const small = (c: Case, e: number) => (c.fpu!.st0[2] & 0x7fff) < e;
  const large: Case[] = [];
  for (let e = 1; e <= 64; e += 3) large.push(fpCase(0x37f, ext(0x3fff + e, rnd() | 0x80000000, rnd()), VALUES[0]));
  const random = (lo: number, hi: number, positive = false): Case[] =>
    Array.from({ length: TRANSCENDENTAL_RANDOM }, (_, k) => {
      const e = lo + (rnd() % (hi - lo + 1));
      const sign = positive ? 0 : (rnd() & 1) << 15;
      return fpCase(CWS[k % 4], ext(sign | (0x3fff + e), rnd() | 0x80000000, rnd()), ext(((rnd() & 1) << 15) | (0x3fff + (rnd() % 7) - 3), rnd() | 0x80000000, rnd()));
    });
  for (const op of ['fsin', 'fcos', 'fsincos', 'fptan']) t(op, [...singles, ...large, ...random(-40, 62)]);
  t('f2xm1', [...singles.filter((c) => small(c, 0x3fff)), ...random(-70, -1)]);
  t('fpatan', [...pairs.filter((_, i) => i % 3 === 0), ...random(-80, 80)]);
  t('fyl2x', [...pairs.filter((c, i) => i % 3 === 0 && !(c.fpu!.st0[2] & 0x8000)), ...random(-200, 200, true)]);
  t('fyl2xp1', [...pairs.filter((c, i) => i % 3 === 0 && small(c, 0x3ffd)), ...random(-70, -2)]);
  return forms;
}
