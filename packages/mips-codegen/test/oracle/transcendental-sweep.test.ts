/**
 * The x87 transcendental functions of x86-semantics (the helper both runtimes call) against
 * the CPU directly: transcendental-probe.c (an x86-64 build, run natively) executes each
 * instruction on 80-bit operands under the four rounding modes, and every record (st(0),
 * st(1), C1 and the exceptions) must be the reference's exact-value rounding, or a
 * near-boundary case: the rounding of a value within the instruction's measured accuracy of
 * the exact one (x87-forms.ts `nearBoundary`), counted and logged. Operands: random bit
 * patterns per exponent range and the edges where the functions are hardest (multiples of
 * pi/2 up to 2^62, 1 +- a few ulps, tiny and denormal arguments, ratios near 1). CI runs a
 * deterministic sample; the full mode 25 times more. Where the reference models the CPU bit for
 * bit (`exactClass`), every record must be the reference's. The runtimes' plumbing of these
 * instructions (stack, NaNs, C2 beyond 2^63) is insn-diff's x87 suite.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { prng, type Case } from './insn-program';
import { buildProbe, testTmpDir } from './probe-program';
import { ext, fpCase, nearBoundary, sameAs, transcendentalEnds, type Ext } from './x87-forms';

const probe = buildProbe(testTmpDir('transcendental-sweep-'), 'transcendental-probe', 64, ['-O1']);

/** In the probe's order. */
const OPS = ['fsin', 'fcos', 'fsincos', 'fptan', 'f2xm1', 'fyl2x', 'fyl2xp1', 'fpatan'] as const;
type Op = (typeof OPS)[number];
const CI = process.env.CI === 'true';
const PER_OP = CI ? 600 : 15000;
const CWS = [0x37f, 0x77f, 0xb7f, 0xf7f];
const rnd = prng(0x5eed87);

/**
 * The most near-boundary records (the reference differing from the CPU) each instruction may have
 * in this fixed sample, [CI, full]: the counts measured when set, lowered as the models improve, so a
 * model change that makes an instruction worse fails here even inside the accuracy allowance
 */
const NEAR_MAX: Record<Op, [number, number]> = {
  fsin: [0, 7],
  fcos: [0, 7],
  fsincos: [0, 13],
  fptan: [8, 374],
  f2xm1: [21, 527],
  fyl2x: [0, 0],
  fyl2xp1: [0, 1],
  fpatan: [0, 5],
};

/** an 80-bit value from sign, unbiased exponent and 64-bit significand */
const val = (sign: number, e: number, m: bigint): Ext => ext((sign << 15) | (0x3fff + e), Number(m >> 32n), Number(m & 0xffffffffn));
const randomMant = (): bigint => (BigInt((rnd() | 0x80000000) >>> 0) << 32n) | BigInt(rnd());
const randomIn = (lo: number, hi: number, sign = rnd() & 1): Ext => val(sign, lo + (rnd() % (hi - lo + 1)), randomMant());

/** pi/2 as the x87 reduces arguments by it: PI66 * 2^-65 */
const PI66 = (0xc90fdaa22168c234n << 2n) | 3n;

/** k * pi66/2 (the x87's reduction constant) plus d ulps, k >= 1 */
function nearHalfPiMultiple(k: bigint, d: number): Ext {
  const p = k * PI66; // k * pi66/2 * 2^65
  const len = p.toString(2).length;
  const m = (p >> BigInt(len - 64)) + BigInt(d);
  return val(rnd() & 1, len - 66, m);
}

/** the first operand (st(0)) and the second (st(1)) of one case of `op` */
function operands(op: Op, k: number): [Ext, Ext] {
  const other = randomIn(-3, 3);
  const edge = k % 4 === 3; // every fourth case an edge
  switch (op) {
    case 'fsin':
    case 'fcos':
    case 'fsincos':
    case 'fptan':
      if (!edge) return [randomIn(-40, 62), other];
      if (k % 8 === 3) return [nearHalfPiMultiple(BigInt(1 + (rnd() % 2 ** 20)) << BigInt(rnd() % 40), (rnd() % 9) - 4), other];
      return [k % 16 === 7 ? randomIn(-16382, -41) : val(rnd() & 1, -16383, randomMant() >> BigInt(1 + (rnd() % 63))), other]; // tiny, denormal
    case 'f2xm1':
      if (!edge) return [randomIn(-70, -1), other];
      return [k % 8 === 3 ? val(rnd() & 1, -1, (0xffffffffffffffffn - BigInt(rnd() % 16)) | (1n << 63n)) : randomIn(-16382, -71), other];
    case 'fyl2x': {
      if (!edge) return [randomIn(-200, 200, 0), randomIn(-20, 20)];
      const d = BigInt(1 + (rnd() % 8));
      return [k % 8 === 3 ? val(0, 0, (1n << 63n) + d) : val(0, -1, 0xffffffffffffffffn - d), randomIn(-20, 20)];
    }
    case 'fyl2xp1':
      return [edge ? randomIn(-16382, -71) : randomIn(-70, -2), randomIn(-20, 20)];
    case 'fpatan': {
      if (!edge) return [randomIn(-80, 80), randomIn(-80, 80)];
      // y/x near 1 (both quadrants' boundaries), or far apart
      const x = randomIn(-3, 3);
      const y = k % 8 === 3 ? ext((rnd() & 1) << 15 | (x[2] & 0x7fff), x[1], (x[0] + (rnd() % 5) - 2) >>> 0) : randomIn(-16000, 16000);
      return [x, y];
    }
  }
}

/**
 * Classes the reference gives bit for bit (measured); no near-boundary allowance there: fsin,
 * fcos and fsincos of |x| < 2^-4 (the CPU's polynomials, x86-semantics trig-poly.ts), fptan of
 * |x| < 2^-33 (its scaled tiny path), denormals included, and all four where x lies within 2^-34
 * of a multiple of pi/2 (the tiny paths on the reduced argument); fyl2x of every x and fyl2xp1 of
 * |x| < 2^-6: the CPU's logarithm series with its correction polynomial (x86-semantics log-poly.ts,
 * a fit: held out, 0 of 120,000 fyl2x and of 34,000 fyl2xp1 records there differ; fyl2xp1 up to 2^-3
 * still 1 in ~7,000); fpatan of normal operands whose exponents are 10 or more apart (|y/x| beyond
 * ~2^9 or below ~2^-9: 0 of 132,000 records held out, x of either sign, exponent gaps 10 to 40;
 * at a gap of 8 still ~1 in 4,000)
 */
function exactClass(op: Op, st0: Ext, st1: Ext): boolean {
  const exp = st0[2] & 0x7fff;
  if (op === 'fpatan') {
    const exp1 = st1[2] & 0x7fff;
    return exp !== 0 && exp1 !== 0 && exp !== 0x7fff && exp1 !== 0x7fff && Math.abs(exp1 - exp) >= 10;
  }
  if (op === 'fptan') return exp < 0x3fff - 33 || reducedTiny(st0);
  if (['fsin', 'fcos', 'fsincos'].includes(op)) return exp < 0x3fff - 4 || reducedTiny(st0);
  if (op === 'fyl2xp1') return exp < 0x3fff - 6;
  return op === 'fyl2x';
}

/** x within 2^-34 of a multiple of the x87's pi/2 (below 2^63): the CPU's tiny paths on the reduced argument */
function reducedTiny(x: Ext): boolean {
  const e = (x[2] & 0x7fff) - 0x3fff - 63;
  if (e >= 0) return false;
  const m = (BigInt(x[1] >>> 0) << 32n) | BigInt(x[0] >>> 0);
  const p = PI66 << BigInt(Math.max(0, -65 - e)); // pi66/2 and x on the grid 2^min(e, -65)
  const xm = m << BigInt(Math.max(0, e + 65));
  const k = (2n * xm + p) / (2n * p);
  const r = xm - k * p;
  const low = Math.min(e, -65);
  return (r < 0n ? -r : r) < 1n << BigInt(-34 - low);
}

const hex = (e: Ext): string => e[2].toString(16).padStart(4, '0') + (e[1] >>> 0).toString(16).padStart(8, '0') + (e[0] >>> 0).toString(16).padStart(8, '0');
/** an 80-bit hex value as record words [low, high, sign|exponent] */
const words = (h: string): number[] => [parseInt(h.slice(12), 16), parseInt(h.slice(4, 12), 16), parseInt(h.slice(0, 4), 16)];

test('x87 transcendental functions: every CPU record is the exact value rounded, or a near-boundary case within the measured accuracy', (t) => {
  const cases: [Op, Case][] = [];
  for (const op of OPS) for (let k = 0; k < PER_OP; k++) cases.push([op, fpCase(CWS[k % 4], ...operands(op, k))]);
  const input = cases.map(([op, c]) => `${OPS.indexOf(op)} ${c.fpu!.cw.toString(16)} ${hex(c.fpu!.st0 as Ext)} ${hex(c.fpu!.st1 as Ext)}`).join('\n');
  const lines = execFileSync(probe, { input: `${input}\n`, maxBuffer: 1 << 30 }).toString().trim().split('\n');
  t.is(lines.length, cases.length);
  const near = new Map<Op, number>();
  const bad: string[] = [];
  cases.forEach(([op, c], i) => {
    const [r0, r1, sw] = lines[i].split(' ');
    // the record layout of insn-program: st(0) at 10, st(1) at 13, the status word at 16
    const cpu = new Uint32Array(17);
    cpu.set([...words(r0), ...words(r1), parseInt(sw, 16)], 10);
    const exact = transcendentalEnds(op, c, 0)[0];
    const resultSame = exact.st.every(([at, v]) => sameAs(cpu, at, v));
    const c1Same = ((cpu[16] >> 9) & 1) === exact.c1;
    const flagsSame = (cpu[16] & 0x3f) === (exact.flags & 0x3f);
    if (resultSame && c1Same && flagsSame) return;
    if (flagsSame && !exactClass(op, c.fpu!.st0 as Ext, c.fpu!.st1 as Ext) && nearBoundary(op)(c, cpu)) {
      near.set(op, (near.get(op) ?? 0) + 1);
      return;
    }
    bad.push(`${op} cw ${c.fpu!.cw.toString(16)} st0 ${hex(c.fpu!.st0 as Ext)} st1 ${hex(c.fpu!.st1 as Ext)}: cpu ${lines[i]}, reference ${exact.st.map(([at, v]) => `st@${at} ${v.sign ? '-' : ''}${v.exp.toString(16)}:${v.mant.toString(16)}`).join(' ')} C1 ${exact.c1} flags ${exact.flags.toString(16)}`);
  });
  for (const b of bad.slice(0, 20)) t.log(b);
  t.log(`${cases.length} cases; near-boundary (the CPU's approximation rounding the other way) per instruction of ${PER_OP}: ${OPS.map((op) => `${op} ${near.get(op) ?? 0}`).join(', ')}`);
  t.is(bad.length, 0);
  t.deepEqual(
    OPS.filter((op) => (near.get(op) ?? 0) > NEAR_MAX[op][CI ? 0 : 1]),
    [],
    'near-boundary counts above their bound',
  );
});
