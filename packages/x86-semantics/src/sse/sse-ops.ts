/**
 * The semantics of the MMX/SSE/SSE2/SSE3 instructions the SSE helper executes, one entry per
 * op name (QEMU's ops_sse.h): an entry gets the destination's and the source's bytes (an
 * MMX operand is 8 bytes, an XMM one 16, a memory operand its own size, a general register
 * its 4 bytes, 8 with REX.W) and returns the destination's new bytes (a 64-bit general
 * register's too), or a number for a 32-bit general-register destination or the EFLAGS of a
 * compare. Lanes of up to 32 bits are Numbers (exact); BigInt only where a value needs 64 bits.
 * A returned vector is a view of one scratch buffer, valid until the next op runs: the helper
 * writes it out at once.
 */
import { CMP } from '../fpu/softfloat';
import { rcpApprox, rsqrtApprox } from './sse-approx';
import { F32, F64, SseFp, type ArithOp, type FloatFormat } from './sse-float';

export interface SseArgs {
  /** xmm0, for the blends that use it implicitly */
  xmm0: () => Uint8Array;
  /** EAX and EDX (pcmpestri/m lengths) */
  eax: number;
  edx: number;
  d: Uint8Array;
  s: Uint8Array;
  imm: number;
  /** vector bytes: 8 for MMX, 16 for XMM */
  n: number;
  srcMem: boolean;
  fp: SseFp;
}
/** A result with EFLAGS (ZF PF CF SF OF AF bits), and what else the op writes. */
export interface SseFlagsResult {
  flags: number;
  gpr?: number;
  xmm0?: Uint8Array;
}
export type SseFn = (a: SseArgs) => Uint8Array | number | SseFlagsResult;

/** Views of the first 0..16 bytes of a 16-byte buffer (an operand or the result, reused from call to call). */
export const byteViews = (): Uint8Array[] => {
  const b = new Uint8Array(16);
  return Array.from({ length: 17 }, (_, n) => b.subarray(0, n));
};
const RESULT = byteViews();
/** The result's `n` bytes, zeroed. */
const fresh = (n: number): Uint8Array => RESULT[n].fill(0);
/** The result's `n` bytes, a copy of b's first n. */
const copy = (b: Uint8Array, n: number): Uint8Array => {
  const r = RESULT[n];
  for (let i = 0; i < n; i++) r[i] = b[i];
  return r;
};

type Lane = 1 | 2 | 4 | 8;
/** Lane i of `size` (1, 2 or 4) bytes, as a Number. */
export function lane(b: Uint8Array, size: 1 | 2 | 4, i: number, signed: boolean): number {
  const o = i * size;
  if (size === 1) return signed ? (b[o] << 24) >> 24 : b[o];
  if (size === 2) {
    const v = b[o] | (b[o + 1] << 8);
    return signed ? (v << 16) >> 16 : v;
  }
  const v = b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24);
  return signed ? v : v >>> 0;
}
/** Sets lane i of `size` bytes to x modulo 2^(8 size): x an integer Number (|x| < 2^53). */
export function setLane(b: Uint8Array, size: Lane, i: number, x: number): void {
  if (size === 8) {
    setLane(b, 4, 2 * i, x);
    setLane(b, 4, 2 * i + 1, Math.floor(x / 0x100000000));
    return;
  }
  const o = i * size;
  b[o] = x;
  if (size === 1) return;
  b[o + 1] = x >>> 8;
  if (size === 2) return;
  b[o + 2] = x >>> 16;
  b[o + 3] = x >>> 24;
}
/** Lane i as a BigInt (floating-point bits, 64-bit integers). */
function get(b: Uint8Array, size: Lane, i: number, signed: boolean): bigint {
  if (size !== 8) return BigInt(lane(b, size, i, signed));
  return (BigInt(lane(b, 4, 2 * i + 1, signed)) << 32n) | BigInt(lane(b, 4, 2 * i, false));
}
function put(b: Uint8Array, size: Lane, i: number, x: bigint): void {
  if (size !== 8) setLane(b, size, i, Number(BigInt.asUintN(size * 8, x)));
  else {
    setLane(b, 4, 2 * i, Number(BigInt.asUintN(32, x)));
    setLane(b, 4, 2 * i + 1, Number(BigInt.asUintN(32, x >> 32n)));
  }
}
/** r's lane i = b's lane j (`size` bytes). */
function copyLane(r: Uint8Array, i: number, b: Uint8Array, j: number, size: Lane): void {
  for (let k = 0; k < size; k++) r[i * size + k] = b[j * size + k];
}
const sat = (x: number, size: 1 | 2, signed: boolean): number => {
  const bits = size * 8;
  const lo = signed ? -(1 << (bits - 1)) : 0;
  const hi = signed ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
  return x < lo ? lo : x > hi ? hi : x;
};

/** Element-wise d = f(d, s) over lanes of `size` (up to 32 bits: Numbers). */
const lanes = (size: 1 | 2 | 4, signed: boolean, f: (x: number, y: number) => number): SseFn => (a) => {
  const r = fresh(a.n);
  for (let i = 0; i < a.n / size; i++) setLane(r, size, i, f(lane(a.d, size, i, signed), lane(a.s, size, i, signed)));
  return r;
};
/** The same over 64-bit lanes. */
const lanes64 = (signed: boolean, f: (x: bigint, y: bigint) => bigint): SseFn => (a) => {
  const r = fresh(a.n);
  for (let i = 0; i < a.n / 8; i++) put(r, 8, i, f(get(a.d, 8, i, signed), get(a.s, 8, i, signed)));
  return r;
};
/** bitwise ops, a 32-bit word at a time */
const bitwise = (f: (x: number, y: number) => number): SseFn => lanes(4, false, f);

/** Shift counts: an immediate, or the source's low quadword (one of 2^32 or more read as 255: a count past the lane's bits zeroes or fills with the sign). */
const shiftCount = (a: SseArgs): number => {
  if (a.imm >= 0) return a.imm;
  if (a.s.length < 8) return 0;
  return lane(a.s, 4, 1, false) !== 0 ? 255 : lane(a.s, 4, 0, false);
};
const shift = (size: Lane, kind: 'l' | 'r' | 'a'): SseFn => (a) => {
  const count = shiftCount(a);
  const bits = size * 8;
  const r = fresh(a.n);
  for (let i = 0; i < a.n / size; i++) {
    if (size === 8) {
      const x = get(a.d, 8, i, false);
      put(r, 8, i, count >= bits ? 0n : kind === 'l' ? x << BigInt(count) : x >> BigInt(count));
      continue;
    }
    const x = lane(a.d, size, i, kind === 'a');
    let y: number;
    if (kind === 'a') y = x >> Math.min(count, bits - 1);
    else if (count >= bits) y = 0;
    else y = kind === 'l' ? x << count : x >>> count;
    setLane(r, size, i, y);
  }
  return r;
};
const byteShift = (left: boolean): SseFn => (a) => {
  const k = Math.min(a.imm, 16);
  const r = fresh(16);
  for (let i = 0; i < 16; i++) {
    const j = left ? i - k : i + k;
    r[i] = j >= 0 && j < 16 ? a.d[j] : 0;
  }
  return r;
};
// ---- floating point -----------------------------------------------------------------------

const fmtOf = (size: 4 | 8): FloatFormat => (size === 4 ? F32 : F64);
/** packed (all lanes) or scalar (lane 0, the rest of the destination kept) */
const farith = (size: 4 | 8, op: ArithOp, scalar: boolean): SseFn => (a) => {
  const r = copy(a.d, 16);
  const f = fmtOf(size);
  for (let i = 0; i < (scalar ? 1 : 16 / size); i++) put(r, size, i, a.fp.arith(f, op, get(a.d, size, i, false), get(a.s, size, i, false)));
  return r;
};
/** rcpps/rsqrtps and their scalar forms: the hardware's table approximations (sse-approx.ts). */
const approx = (f: (x: number) => number, scalar: boolean): SseFn => (a) => {
  const r = copy(a.d, 16);
  for (let i = 0; i < (scalar ? 1 : 4); i++) setLane(r, 4, i, f(lane(a.s, 4, i, false)));
  return r;
};
const fsqrt = (size: 4 | 8, scalar: boolean): SseFn => (a) => {
  const r = copy(a.d, 16);
  for (let i = 0; i < (scalar ? 1 : 16 / size); i++) put(r, size, i, a.fp.sqrt(fmtOf(size), get(a.s, size, i, false)));
  return r;
};
/** haddps/hsubps/addsubps */
const horizontal = (size: 4 | 8, op: 'hadd' | 'hsub' | 'addsub'): SseFn => (a) => {
  const f = fmtOf(size);
  const n = 16 / size;
  const r = fresh(16);
  const x = (b: Uint8Array, i: number) => get(b, size, i, false);
  for (let i = 0; i < n; i++) {
    if (op === 'addsub') put(r, size, i, a.fp.arith(f, i & 1 ? 'add' : 'sub', x(a.d, i), x(a.s, i)));
    else {
      const src = i < n / 2 ? a.d : a.s;
      const j = (i % (n / 2)) * 2;
      put(r, size, i, a.fp.arith(f, op === 'hadd' ? 'add' : 'sub', x(src, j), x(src, j + 1)));
    }
  }
  return r;
};
/** cmpps predicates 0..7: eq lt le unord neq nlt nle ord; lt/le/nlt/nle signal on QNaNs */
function predicate(fp: SseFp, f: FloatFormat, x: bigint, y: bigint, imm: number): boolean {
  const p = imm & 7;
  const c = fp.compare(f, x, y, p === 1 || p === 2 || p === 5 || p === 6);
  const un = c === CMP.UNORDERED;
  switch (p) {
    case 0: return c === CMP.EQUAL;
    case 1: return c === CMP.LESS;
    case 2: return c === CMP.LESS || c === CMP.EQUAL;
    case 3: return un;
    case 4: return c !== CMP.EQUAL;
    case 5: return !(c === CMP.LESS);
    case 6: return !(c === CMP.LESS || c === CMP.EQUAL);
    default: return !un;
  }
}
const fcmp = (size: 4 | 8, scalar: boolean): SseFn => (a) => {
  const r = copy(a.d, 16);
  const ones = (1n << BigInt(size * 8)) - 1n;
  for (let i = 0; i < (scalar ? 1 : 16 / size); i++) put(r, size, i, predicate(a.fp, fmtOf(size), get(a.d, size, i, false), get(a.s, size, i, false), a.imm) ? ones : 0n);
  return r;
};
/** comiss/ucomiss: ZF PF CF = 111 unordered, 000 greater, 001 less, 100 equal; OF SF AF cleared */
const comis = (size: 4 | 8, signalQuiet: boolean): SseFn => (a) => {
  const c = a.fp.compare(fmtOf(size), get(a.d, size, 0, false), get(a.s, size, 0, false), signalQuiet);
  return { flags: c === CMP.UNORDERED ? 0x45 : c === CMP.LESS ? 0x01 : c === CMP.EQUAL ? 0x40 : 0 };
};
/** float -> float conversions over `count` elements, results packed from lane 0; `keep`: scalar merge */
const cvtFF = (from: 4 | 8, to: 4 | 8, count: number, keep: boolean): SseFn => (a) => {
  const r = keep ? copy(a.d, 16) : fresh(16);
  for (let i = 0; i < count; i++) put(r, to, i, a.fp.convert(fmtOf(from), fmtOf(to), get(a.s, from, i, false)));
  return r;
};
const cvtIF = (to: 4 | 8, count: number, keep: boolean, width = 16): SseFn => (a) => {
  const r = keep ? copy(a.d, width) : fresh(width);
  // cvtsi2ss/sd from a 64-bit register or memory operand (REX.W) read 8 bytes
  const from = count === 1 && a.s.length === 8 ? 8 : 4;
  for (let i = 0; i < count; i++) put(r, to, i, a.fp.fromInt(fmtOf(to), get(a.s, from, i, true)));
  return r;
};
const cvtFI = (from: 4 | 8, count: number, truncate: boolean, width = 16): SseFn => (a) => {
  const r = fresh(width);
  for (let i = 0; i < count; i++) put(r, 4, i, a.fp.toInt(fmtOf(from), get(a.s, from, i, false), truncate));
  return r;
};
/** to a general register: 32-bit, or 64-bit (REX.W: the destination's 8 bytes) */
const cvtFIscalar = (from: 4 | 8, truncate: boolean): SseFn => (a) => {
  if (a.d.length === 8) {
    const r = fresh(8);
    put(r, 8, 0, a.fp.toInt(fmtOf(from), get(a.s, from, 0, false), truncate, 64));
    return r;
  }
  return Number(a.fp.toInt(fmtOf(from), get(a.s, from, 0, false), truncate));
};

// ---- shuffles and moves --------------------------------------------------------------------

/** unpack low/high halves: lanes of d and s interleaved */
const unpack = (size: Lane, high: boolean): SseFn => (a) => {
  const n = a.n / size;
  const r = fresh(a.n);
  const base = high ? n / 2 : 0;
  for (let i = 0; i < n / 2; i++) {
    copyLane(r, 2 * i, a.d, base + i, size);
    copyLane(r, 2 * i + 1, a.s, base + i, size);
  }
  return r;
};
const pack = (size: 2 | 4, signed: boolean): SseFn => (a) => {
  const n = a.n / size;
  const half = (size / 2) as 1 | 2;
  const r = fresh(a.n);
  for (let i = 0; i < n; i++) {
    setLane(r, half, i, sat(lane(a.d, size, i, true), half, signed));
    setLane(r, half, n + i, sat(lane(a.s, size, i, true), half, signed));
  }
  return r;
};
const movmsk = (size: Lane): SseFn => (a) => {
  let m = 0;
  for (let i = 0; i < a.n / size; i++) if (a.s[i * size + size - 1] & 0x80) m |= 1 << i;
  return m;
};
/** a move of the whole source (the destination's width) */
const mov: SseFn = (a) => copy(a.s, a.s.length);
/** a load of the low `bytes` that zeroes the rest (memory) or merges (register: movss/movsd) */
const movLow = (bytes: number, mergeReg: boolean): SseFn => (a) => {
  const r = mergeReg && !a.srcMem ? copy(a.d, 16) : fresh(16);
  for (let i = 0; i < Math.min(bytes, a.s.length); i++) r[i] = a.s[i];
  return r;
};
/** movlps/movhps family: the low or high quadword of d from the source's low (or `from`) quadword */
const movHalf = (toHigh: boolean, fromHigh: boolean): SseFn => (a) => {
  const r = copy(a.d, 16);
  copyLane(r, toHigh ? 1 : 0, a.s, fromHigh ? 1 : 0, 8);
  return r;
};
/** lane i from lane pick(i) of s, or of d where fromD(i); `n`: the vector's bytes whatever the operands (shufps/shufpd) */
const shuffle = (size: Lane, pick: (a: SseArgs, i: number) => number, fromD = (_i: number) => false, n = 0): SseFn => (a) => {
  const len = n || a.n;
  const r = fresh(len);
  for (let i = 0; i < len / size; i++) copyLane(r, i, fromD(i) ? a.d : a.s, pick(a, i), size);
  return r;
};
const mmxOrXmm = (a: SseArgs, i: number) => (a.imm >> (2 * i)) & 3;
const movqLoad = movLow(8, false);
const toLow = movHalf(false, false);
const toHigh = movHalf(true, false);
/** movlps/movlpd: a load into the low quadword, or a store of it */
const movLowHalf: SseFn = (a) => (a.d.length === 8 ? copy(a.s, 8) : toLow(a));
/** movhps/movhpd: a load into the high quadword, or a store of it */
const movHighHalf: SseFn = (a) => {
  if (a.d.length !== 8) return toHigh(a);
  const r = fresh(8);
  copyLane(r, 0, a.s, 1, 8);
  return r;
};

export const SSE_SEMANTICS: Record<string, SseFn> = {
  // moves
  MOVUPS: mov, MOVUPD: mov, MOVAPS: mov, MOVAPD: mov, MOVDQA: mov, MOVDQU: mov, LDDQU: mov,
  MOVNTPS: mov, MOVNTPD: mov, MOVNTDQ: mov, MOVNTQ: mov, MOVNTDQA: mov,
  MOVSS: movLow(4, true), MOVSD: movLow(8, true),
  MOVQ: (a) => (a.n === 16 || a.s.length === 16 ? movqLoad(a) : copy(a.s, 8)),
  // movd: 4 bytes; movq (REX.W): 8, into an 8-byte destination (MMX, a 64-bit register, memory) or zero-extended into an XMM register
  MOVD: (a) => {
    if (a.d.length === 4) return lane(a.s, 4, 0, true);
    const r = fresh(a.d.length === 8 ? 8 : a.n);
    for (let i = 0; i < Math.min(a.s.length, 8); i++) r[i] = a.s[i];
    return r;
  },
  MOVQ2DQ: movLow(8, false), MOVDQ2Q: (a) => copy(a.s, 8),
  MOVLPS: movLowHalf, MOVLPD: movLowHalf, MOVHPS: movHighHalf, MOVHPD: movHighHalf,
  MOVHLPS: movHalf(false, true), MOVLHPS: movHalf(true, false),
  MOVMSKPS: movmsk(4), MOVMSKPD: movmsk(8), PMOVMSKB: movmsk(1),
  MOVSLDUP: shuffle(4, (_a, i) => i & ~1), MOVSHDUP: shuffle(4, (_a, i) => i | 1),
  MOVDDUP: shuffle(8, () => 0),
  // logic
  ANDPS: bitwise((x, y) => x & y), ANDPD: bitwise((x, y) => x & y), PAND: bitwise((x, y) => x & y),
  ANDNPS: bitwise((x, y) => ~x & y), ANDNPD: bitwise((x, y) => ~x & y), PANDN: bitwise((x, y) => ~x & y),
  ORPS: bitwise((x, y) => x | y), ORPD: bitwise((x, y) => x | y), POR: bitwise((x, y) => x | y),
  XORPS: bitwise((x, y) => x ^ y), XORPD: bitwise((x, y) => x ^ y), PXOR: bitwise((x, y) => x ^ y),
  // floating point
  ...Object.fromEntries(
    (['add', 'sub', 'mul', 'div', 'min', 'max'] as const).flatMap((op) => [
      [`${op.toUpperCase()}PS`, farith(4, op, false)], [`${op.toUpperCase()}PD`, farith(8, op, false)],
      [`${op.toUpperCase()}SS`, farith(4, op, true)], [`${op.toUpperCase()}SD`, farith(8, op, true)],
    ]),
  ),
  SQRTPS: fsqrt(4, false), SQRTPD: fsqrt(8, false), SQRTSS: fsqrt(4, true), SQRTSD: fsqrt(8, true),
  RCPPS: approx(rcpApprox, false), RCPSS: approx(rcpApprox, true), RSQRTPS: approx(rsqrtApprox, false), RSQRTSS: approx(rsqrtApprox, true),
  HADDPS: horizontal(4, 'hadd'), HADDPD: horizontal(8, 'hadd'), HSUBPS: horizontal(4, 'hsub'), HSUBPD: horizontal(8, 'hsub'),
  ADDSUBPS: horizontal(4, 'addsub'), ADDSUBPD: horizontal(8, 'addsub'),
  CMPPS: fcmp(4, false), CMPPD: fcmp(8, false), CMPSS: fcmp(4, true), CMPSD: fcmp(8, true),
  COMISS: comis(4, true), COMISD: comis(8, true), UCOMISS: comis(4, false), UCOMISD: comis(8, false),
  CVTSS2SD: cvtFF(4, 8, 1, true), CVTSD2SS: cvtFF(8, 4, 1, true), CVTPS2PD: cvtFF(4, 8, 2, false), CVTPD2PS: cvtFF(8, 4, 2, false),
  CVTSI2SS: cvtIF(4, 1, true), CVTSI2SD: cvtIF(8, 1, true), CVTDQ2PS: cvtIF(4, 4, false), CVTDQ2PD: cvtIF(8, 2, false),
  CVTPI2PS: cvtIF(4, 2, true),
  CVTPI2PD: cvtIF(8, 2, false),
  CVTSS2SI: cvtFIscalar(4, false), CVTTSS2SI: cvtFIscalar(4, true), CVTSD2SI: cvtFIscalar(8, false), CVTTSD2SI: cvtFIscalar(8, true),
  CVTPS2DQ: cvtFI(4, 4, false), CVTTPS2DQ: cvtFI(4, 4, true), CVTPD2DQ: cvtFI(8, 2, false), CVTTPD2DQ: cvtFI(8, 2, true),
  CVTPS2PI: cvtFI(4, 2, false, 8), CVTTPS2PI: cvtFI(4, 2, true, 8), CVTPD2PI: cvtFI(8, 2, false, 8), CVTTPD2PI: cvtFI(8, 2, true, 8),
  // shuffles
  SHUFPS: shuffle(4, mmxOrXmm, (i) => i < 2, 16),
  SHUFPD: shuffle(8, (a, i) => (a.imm >> i) & 1, (i) => i < 1, 16),
  PSHUFD: shuffle(4, mmxOrXmm),
  PSHUFW: shuffle(2, mmxOrXmm),
  PSHUFLW: shuffle(2, (a, i) => (i < 4 ? mmxOrXmm(a, i) : i)),
  PSHUFHW: shuffle(2, (a, i) => (i < 4 ? i : 4 + mmxOrXmm(a, i - 4))),
  UNPCKLPS: unpack(4, false), UNPCKHPS: unpack(4, true), UNPCKLPD: unpack(8, false), UNPCKHPD: unpack(8, true),
  PUNPCKLBW: unpack(1, false), PUNPCKLWD: unpack(2, false), PUNPCKLDQ: unpack(4, false), PUNPCKLQDQ: unpack(8, false),
  PUNPCKHBW: unpack(1, true), PUNPCKHWD: unpack(2, true), PUNPCKHDQ: unpack(4, true), PUNPCKHQDQ: unpack(8, true),
  PACKSSWB: pack(2, true), PACKSSDW: pack(4, true), PACKUSWB: pack(2, false),
  // integer arithmetic
  PADDB: lanes(1, false, (x, y) => x + y), PADDW: lanes(2, false, (x, y) => x + y), PADDD: lanes(4, false, (x, y) => x + y), PADDQ: lanes64(false, (x, y) => x + y),
  PSUBB: lanes(1, false, (x, y) => x - y), PSUBW: lanes(2, false, (x, y) => x - y), PSUBD: lanes(4, false, (x, y) => x - y), PSUBQ: lanes64(false, (x, y) => x - y),
  PADDSB: lanes(1, true, (x, y) => sat(x + y, 1, true)), PADDSW: lanes(2, true, (x, y) => sat(x + y, 2, true)),
  PADDUSB: lanes(1, false, (x, y) => sat(x + y, 1, false)), PADDUSW: lanes(2, false, (x, y) => sat(x + y, 2, false)),
  PSUBSB: lanes(1, true, (x, y) => sat(x - y, 1, true)), PSUBSW: lanes(2, true, (x, y) => sat(x - y, 2, true)),
  PSUBUSB: lanes(1, false, (x, y) => sat(x - y, 1, false)), PSUBUSW: lanes(2, false, (x, y) => sat(x - y, 2, false)),
  PCMPEQB: lanes(1, false, (x, y) => (x === y ? -1 : 0)), PCMPEQW: lanes(2, false, (x, y) => (x === y ? -1 : 0)), PCMPEQD: lanes(4, false, (x, y) => (x === y ? -1 : 0)),
  PCMPGTB: lanes(1, true, (x, y) => (x > y ? -1 : 0)), PCMPGTW: lanes(2, true, (x, y) => (x > y ? -1 : 0)), PCMPGTD: lanes(4, true, (x, y) => (x > y ? -1 : 0)),
  // 16-bit products fit in 32 bits exactly (the unsigned one below 2^32: >>> keeps it exact)
  PMULLW: lanes(2, true, (x, y) => x * y), PMULHW: lanes(2, true, (x, y) => (x * y) >> 16), PMULHUW: lanes(2, false, (x, y) => (x * y) >>> 16),
  PMULUDQ: (a) => { const r = fresh(a.n); for (let i = 0; i < a.n / 8; i++) put(r, 8, i, get(a.d, 4, 2 * i, false) * get(a.s, 4, 2 * i, false)); return r; },
  PMADDWD: (a) => { const r = fresh(a.n); for (let i = 0; i < a.n / 4; i++) setLane(r, 4, i, lane(a.d, 2, 2 * i, true) * lane(a.s, 2, 2 * i, true) + lane(a.d, 2, 2 * i + 1, true) * lane(a.s, 2, 2 * i + 1, true)); return r; },
  PSADBW: (a) => {
    const r = fresh(a.n);
    for (let q = 0; q < a.n / 8; q++) {
      let sum = 0;
      for (let i = 0; i < 8; i++) sum += Math.abs(a.d[8 * q + i] - a.s[8 * q + i]);
      setLane(r, 8, q, sum);
    }
    return r;
  },
  PAVGB: lanes(1, false, (x, y) => (x + y + 1) >> 1), PAVGW: lanes(2, false, (x, y) => (x + y + 1) >> 1),
  PMINUB: lanes(1, false, (x, y) => (x < y ? x : y)), PMAXUB: lanes(1, false, (x, y) => (x > y ? x : y)),
  PMINSW: lanes(2, true, (x, y) => (x < y ? x : y)), PMAXSW: lanes(2, true, (x, y) => (x > y ? x : y)),
  PSLLW: shift(2, 'l'), PSLLD: shift(4, 'l'), PSLLQ: shift(8, 'l'), PSRLW: shift(2, 'r'), PSRLD: shift(4, 'r'), PSRLQ: shift(8, 'r'),
  PSRAW: shift(2, 'a'), PSRAD: shift(4, 'a'), PSLLDQ: byteShift(true), PSRLDQ: byteShift(false),
  PINSRW: (a) => { const r = copy(a.d, a.n); copyLane(r, a.imm & (a.n / 2 - 1), a.s, 0, 2); return r; },
  PEXTRW: (a) => lane(a.s, 2, a.imm & (a.s.length / 2 - 1), false),
};

// ---- SSSE3 ----------------------------------------------------------------------------------

/** phaddw/phsubw...: pairs of d, then pairs of s */
const horizontalInt = (size: 2 | 4, f: (x: number, y: number) => number): SseFn => (a) => {
  const n = a.n / size;
  const r = fresh(a.n);
  for (let i = 0; i < n; i++) {
    const src = i < n / 2 ? a.d : a.s;
    const j = (i % (n / 2)) * 2;
    setLane(r, size, i, f(lane(src, size, j, true), lane(src, size, j + 1, true)));
  }
  return r;
};
const sign = (size: 1 | 2 | 4): SseFn => lanes(size, true, (x, y) => (y < 0 ? -x : y === 0 ? 0 : x));
const abs = (size: 1 | 2 | 4): SseFn => lanes(size, true, (_x, y) => (y < 0 ? -y : y));

// ---- SSE4.1 ---------------------------------------------------------------------------------

const extend = (from: 1 | 2 | 4, to: Lane, signed: boolean): SseFn => (a) => {
  const r = fresh(16);
  for (let i = 0; i < 16 / to; i++) setLane(r, to, i, lane(a.s, from, i, signed));
  return r;
};
/** blends: lane i from s when `pick(i)` */
const blend = (size: Lane, pick: (a: SseArgs, i: number) => boolean): SseFn => (a) => {
  const r = copy(a.d, 16);
  for (let i = 0; i < 16 / size; i++) if (pick(a, i)) copyLane(r, i, a.s, i, size);
  return r;
};
const blendv = (size: Lane): SseFn => blend(size, (a, i) => (a.xmm0()[i * size + size - 1] & 0x80) !== 0);
const fround = (size: 4 | 8, scalar: boolean): SseFn => (a) => {
  const r = copy(a.d, 16);
  for (let i = 0; i < (scalar ? 1 : 16 / size); i++) put(r, size, i, a.fp.roundToInt(fmtOf(size), get(a.s, size, i, false), a.imm));
  return r;
};
/** dpps/dppd: products of the lanes imm[7:4] selects, summed in pairs, broadcast to imm[3:0]'s lanes */
const dot = (size: 4 | 8): SseFn => (a) => {
  const f = fmtOf(size);
  const n = 16 / size;
  const zero = 0n;
  const p: bigint[] = [];
  for (let i = 0; i < n; i++) p.push((a.imm >> (4 + i)) & 1 ? a.fp.arith(f, 'mul', get(a.d, size, i, false), get(a.s, size, i, false)) : zero);
  const sum = n === 4 ? a.fp.arith(f, 'add', a.fp.arith(f, 'add', p[0], p[1]), a.fp.arith(f, 'add', p[2], p[3])) : a.fp.arith(f, 'add', p[0], p[1]);
  const r = fresh(16);
  for (let i = 0; i < n; i++) put(r, size, i, (a.imm >> i) & 1 ? sum : 0n);
  return r;
};
const ptest: SseFn = (a) => {
  let and = 0;
  let andn = 0;
  for (let i = 0; i < 4; i++) {
    and |= lane(a.d, 4, i, false) & lane(a.s, 4, i, false);
    andn |= ~lane(a.d, 4, i, false) & lane(a.s, 4, i, false);
  }
  return { flags: (and === 0 ? 0x40 : 0) | (andn === 0 ? 0x01 : 0) };
};

// ---- SSE4.2 string compares -----------------------------------------------------------------

/** pcmpestri/pcmpestrm/pcmpistri/pcmpistrm (Intel SDM 4.1): explicit or implicit lengths */
const pcmpstr = (explicit: boolean, mask: boolean): SseFn => (a) => {
  const imm = a.imm;
  const size: 1 | 2 = imm & 1 ? 2 : 1;
  const signed = (imm & 2) !== 0;
  const n = 16 / size;
  const el = (b: Uint8Array, i: number) => lane(b, size, i, signed);
  const implicitLen = (b: Uint8Array) => {
    let i = 0;
    while (i < n && el(b, i) !== 0) i++;
    return i;
  };
  const explicitLen = (v: number) => Math.min(Math.abs(v | 0), n);
  const la = explicit ? explicitLen(a.eax) : implicitLen(a.d);
  const lb = explicit ? explicitLen(a.edx) : implicitLen(a.s);
  const agg = (imm >> 2) & 3;
  let res = 0;
  for (let j = 0; j < n; j++) {
    let bit = false;
    if (agg === 0) {
      for (let i = 0; i < la && j < lb; i++) if (el(a.d, i) === el(a.s, j)) bit = true;
    } else if (agg === 1) {
      for (let i = 0; i + 1 < la && j < lb; i += 2) {
        if (el(a.d, i) <= el(a.s, j) && el(a.s, j) <= el(a.d, i + 1)) bit = true;
      }
    } else if (agg === 2) {
      const va = j < la;
      const vb = j < lb;
      bit = va && vb ? el(a.d, j) === el(a.s, j) : !va && !vb;
    } else {
      bit = true;
      for (let k = 0; k < n - j; k++) {
        if (k >= la) break; // the needle ended: a match so far
        if (j + k >= lb) {
          bit = false;
          break;
        }
        if (el(a.d, k) !== el(a.s, j + k)) {
          bit = false;
          break;
        }
      }
    }
    if (bit) res |= 1 << j;
  }
  const all = (1 << n) - 1;
  const pol = (imm >> 4) & 3;
  if (pol === 1) res = ~res & all;
  else if (pol === 3) res = (res ^ ((1 << lb) - 1)) & all;
  const flags = (res !== 0 ? 0x01 : 0) | (lb < n ? 0x40 : 0) | (la < n ? 0x80 : 0) | (res & 1 ? 0x800 : 0);
  if (!mask) {
    let idx = n;
    if (res !== 0) idx = imm & 0x40 ? 31 - Math.clz32(res) : 31 - Math.clz32(res & -res);
    return { flags, gpr: idx };
  }
  const m = new Uint8Array(16);
  if (imm & 0x40) {
    for (let i = 0; i < n; i++) if ((res >> i) & 1) setLane(m, size, i, -1);
  } else setLane(m, 2, 0, res);
  return { flags, xmm0: m };
};

/** CRC-32C (Castagnoli, reflected), one byte at a time */
const CRC32C_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();
const crc32: SseFn = (a) => {
  let c = a.edx >>> 0; // the destination's old value
  for (let i = 0; i < a.s.length; i++) c = (CRC32C_TABLE[(c ^ a.s[i]) & 0xff] ^ (c >>> 8)) >>> 0;
  return c | 0;
};

const minmax = (size: 1 | 2 | 4, signed: boolean, max: boolean): SseFn => lanes(size, signed, (x, y) => ((max ? x > y : x < y) ? x : y));

export const SSE4_SEMANTICS: Record<string, SseFn> = {
  PSHUFB: (a) => {
    const r = fresh(a.n);
    for (let i = 0; i < a.n; i++) r[i] = a.s[i] & 0x80 ? 0 : a.d[a.s[i] & (a.n - 1)];
    return r;
  },
  PHADDW: horizontalInt(2, (x, y) => x + y), PHADDD: horizontalInt(4, (x, y) => x + y), PHADDSW: horizontalInt(2, (x, y) => sat(x + y, 2, true)),
  PHSUBW: horizontalInt(2, (x, y) => x - y), PHSUBD: horizontalInt(4, (x, y) => x - y), PHSUBSW: horizontalInt(2, (x, y) => sat(x - y, 2, true)),
  PMADDUBSW: (a) => {
    const r = fresh(a.n);
    for (let i = 0; i < a.n / 2; i++) setLane(r, 2, i, sat(lane(a.d, 1, 2 * i, false) * lane(a.s, 1, 2 * i, true) + lane(a.d, 1, 2 * i + 1, false) * lane(a.s, 1, 2 * i + 1, true), 2, true));
    return r;
  },
  PSIGNB: sign(1), PSIGNW: sign(2), PSIGND: sign(4),
  PMULHRSW: lanes(2, true, (x, y) => (((x * y) >> 14) + 1) >> 1),
  PABSB: abs(1), PABSW: abs(2), PABSD: abs(4),
  PALIGNR: (a) => {
    // byte k of d:s (s low)
    const r = fresh(a.n);
    for (let i = 0; i < a.n; i++) {
      const k = i + a.imm;
      r[i] = k < a.n ? a.s[k] : k < 2 * a.n ? a.d[k - a.n] : 0;
    }
    return r;
  },
  PBLENDVB: blendv(1), BLENDVPS: blendv(4), BLENDVPD: blendv(8),
  BLENDPS: blend(4, (a, i) => ((a.imm >> i) & 1) === 1), BLENDPD: blend(8, (a, i) => ((a.imm >> i) & 1) === 1),
  PBLENDW: blend(2, (a, i) => ((a.imm >> i) & 1) === 1),
  PTEST: ptest,
  PMOVSXBW: extend(1, 2, true), PMOVSXBD: extend(1, 4, true), PMOVSXBQ: extend(1, 8, true), PMOVSXWD: extend(2, 4, true),
  PMOVSXWQ: extend(2, 8, true), PMOVSXDQ: extend(4, 8, true), PMOVZXBW: extend(1, 2, false), PMOVZXBD: extend(1, 4, false),
  PMOVZXBQ: extend(1, 8, false), PMOVZXWD: extend(2, 4, false), PMOVZXWQ: extend(2, 8, false), PMOVZXDQ: extend(4, 8, false),
  PMULDQ: (a) => { const r = fresh(16); for (let i = 0; i < 2; i++) put(r, 8, i, get(a.d, 4, 2 * i, true) * get(a.s, 4, 2 * i, true)); return r; },
  PCMPEQQ: lanes64(false, (x, y) => (x === y ? -1n : 0n)), PCMPGTQ: lanes64(true, (x, y) => (x > y ? -1n : 0n)),
  PACKUSDW: pack(4, false),
  PMINSB: minmax(1, true, false), PMINSD: minmax(4, true, false), PMINUW: minmax(2, false, false), PMINUD: minmax(4, false, false),
  PMAXSB: minmax(1, true, true), PMAXSD: minmax(4, true, true), PMAXUW: minmax(2, false, true), PMAXUD: minmax(4, false, true),
  PMULLD: lanes(4, true, Math.imul),
  PHMINPOSUW: (a) => {
    let best = 0;
    for (let i = 1; i < 8; i++) if (lane(a.s, 2, i, false) < lane(a.s, 2, best, false)) best = i;
    const r = fresh(16);
    copyLane(r, 0, a.s, best, 2);
    setLane(r, 2, 1, best);
    return r;
  },
  ROUNDPS: fround(4, false), ROUNDPD: fround(8, false), ROUNDSS: fround(4, true), ROUNDSD: fround(8, true),
  PEXTRB: (a) => lane(a.s, 1, a.imm & 15, false),
  PEXTRD: (a) => lane(a.s, 4, a.imm & 3, true),
  EXTRACTPS: (a) => lane(a.s, 4, a.imm & 3, true),
  PINSRB: (a) => { const r = copy(a.d, 16); r[a.imm & 15] = a.s[0]; return r; },
  PINSRD: (a) => { const r = copy(a.d, 16); copyLane(r, a.imm & 3, a.s, 0, 4); return r; },
  PINSRQ: (a) => { const r = copy(a.d, 16); copyLane(r, a.imm & 1, a.s, 0, 8); return r; },
  PEXTRQ: (a) => { const r = fresh(8); copyLane(r, 0, a.s, a.imm & 1, 8); return r; },
  INSERTPS: (a) => {
    const r = copy(a.d, 16);
    const from = a.srcMem ? 0 : (a.imm >> 6) & 3;
    copyLane(r, (a.imm >> 4) & 3, a.s, from, 4);
    for (let i = 0; i < 4; i++) if ((a.imm >> i) & 1) setLane(r, 4, i, 0);
    return r;
  },
  DPPS: dot(4), DPPD: dot(8),
  MPSADBW: (a) => {
    const r = fresh(16);
    const so = (a.imm & 3) * 4;
    const dOff = ((a.imm >> 2) & 1) * 4;
    for (let i = 0; i < 8; i++) {
      let sum = 0;
      for (let k = 0; k < 4; k++) sum += Math.abs(a.d[dOff + i + k] - a.s[so + k]);
      setLane(r, 2, i, sum);
    }
    return r;
  },
  PCMPESTRI: pcmpstr(true, false), PCMPESTRM: pcmpstr(true, true), PCMPISTRI: pcmpstr(false, false), PCMPISTRM: pcmpstr(false, true),
  CRC32: crc32,
};
Object.assign(SSE_SEMANTICS, SSE4_SEMANTICS);
