/**
 * Random MIPS64r2 instructions for the qemu-mips64el differential suite. Each generator returns
 * the instruction twice: as GNU assembler text (numeric registers, no macros) and as a call on
 * our Assembler, so the suite also checks that our encodings equal GNU as's.
 *
 * Register discipline: $30 holds the scratch buffer's centre and is never written; memory
 * operands use it as base with offsets inside the buffer (aligned where the ISA requires).
 * Trapping instructions (add, teq...) are left out: under qemu they would kill the process.
 */
import type { Assembler, Label } from '../../src/index';
import { randInt } from './prng';

export interface RandomInsn {
  readonly text: string;
  readonly emit: (a: Assembler) => void;
}

type Rand = () => number;
/** Scratch buffer half-size: offsets from $30 stay in [-SCRATCH_HALF, SCRATCH_HALF). */
export const SCRATCH_HALF = 2048;
export const BASE_REG = 30;

const dst = (r: Rand): number => { const x = randInt(r, 1, 30); return x === BASE_REG ? 31 : x; };
const src = (r: Rand): number => randInt(r, 0, 31);

type Gen = (r: Rand) => RandomInsn;
const r3 = (name: string): Gen => (r) => {
  const d = dst(r), s = src(r), t = src(r);
  return { text: `${name} $${d},$${s},$${t}`, emit: (a) => (a as unknown as Record<string, (...x: number[]) => void>)[name](d, s, t) };
};
const r2 = (name: string): Gen => (r) => {
  const d = dst(r), t = src(r);
  return { text: `${name} $${d},$${t}`, emit: (a) => (a as unknown as Record<string, (...x: number[]) => void>)[name](d, t) };
};
const imm = (name: string, signed: boolean): Gen => (r) => {
  const t = dst(r), s = src(r);
  const v = signed ? randInt(r, -0x8000, 0x7fff) : randInt(r, 0, 0xffff);
  return { text: `${name} $${t},$${s},${v}`, emit: (a) => (a as unknown as Record<string, (...x: number[]) => void>)[name](t, s, v) };
};
const shift = (name: string): Gen => (r) => {
  const d = dst(r), t = src(r), sa = randInt(r, 0, 31);
  return { text: `${name} $${d},$${t},${sa}`, emit: (a) => (a as unknown as Record<string, (...x: number[]) => void>)[name](d, t, sa) };
};
const muldiv = (name: string): Gen => (r) => {
  const s = src(r), t = src(r);
  // `div $0,s,t` is the real instruction; plain `div s,t` would be GNU's checking macro.
  const text = name.includes('div') ? `${name} $0,$${s},$${t}` : `${name} $${s},$${t}`;
  return { text, emit: (a) => (a as unknown as Record<string, (...x: number[]) => void>)[name](s, t) };
};
const mem = (name: string, align: number): Gen => (r) => {
  const t = name.startsWith('s') ? src(r) : dst(r);
  const off = Math.floor(randInt(r, -SCRATCH_HALF, SCRATCH_HALF - align) / align) * align;
  return { text: `${name} $${t},${off}($${BASE_REG})`, emit: (a) => (a as unknown as Record<string, (...x: number[]) => void>)[name](t, off, BASE_REG) };
};
const bitfield = (name: string, pick: (r: Rand) => [number, number]): Gen => (r) => {
  const t = dst(r), s = src(r);
  const [pos, size] = pick(r);
  return { text: `${name} $${t},$${s},${pos},${size}`, emit: (a) => (a as unknown as Record<string, (...x: number[]) => void>)[name](t, s, pos, size) };
};

/** Straight-line instruction generators, each with a weight. */
export const STRAIGHT: [Gen, number][] = [
  ...'addu subu and or xor nor slt sltu daddu dsubu movn movz mul sllv srlv srav rotrv dsllv dsrlv dsrav drotrv'
    .split(' ').map((n): [Gen, number] => [r3(n), 3]),
  ...'addiu daddiu slti sltiu'.split(' ').map((n): [Gen, number] => [imm(n, true), 4]),
  ...'andi ori xori'.split(' ').map((n): [Gen, number] => [imm(n, false), 3]),
  [(r) => { const t = dst(r), v = randInt(r, 0, 0xffff); return { text: `lui $${t},${v}`, emit: (a) => a.lui(t, v) }; }, 3],
  ...'sll srl sra rotr dsll dsrl dsra drotr dsll32 dsrl32 dsra32 drotr32'.split(' ').map((n): [Gen, number] => [shift(n), 2]),
  ...'mult multu dmult dmultu div divu ddiv ddivu'.split(' ').map((n): [Gen, number] => [muldiv(n), 2]),
  ...'mfhi mflo'.split(' ').map((n): [Gen, number] => [(r) => { const d = dst(r); return { text: `${n} $${d}`, emit: (a) => (a as unknown as Record<string, (x: number) => void>)[n](d) }; }, 3]),
  ...'mthi mtlo'.split(' ').map((n): [Gen, number] => [(r) => { const s = src(r); return { text: `${n} $${s}`, emit: (a) => (a as unknown as Record<string, (x: number) => void>)[n](s) }; }, 1]),
  ...'seb seh wsbh dsbh dshd'.split(' ').map((n): [Gen, number] => [r2(n), 1]),
  ...'clz dclz'.split(' ').map((n): [Gen, number] => [(r) => { const d = dst(r), s = src(r); return { text: `${n} $${d},$${s}`, emit: (a) => (a as unknown as Record<string, (x: number, y: number) => void>)[n](d, s) }; }, 1]),
  [bitfield('ext', (r) => { const p = randInt(r, 0, 31); return [p, randInt(r, 1, 32 - p)]; }), 1],
  [bitfield('ins', (r) => { const p = randInt(r, 0, 31); return [p, randInt(r, 1, 32 - p)]; }), 1],
  [bitfield('dext', (r) => [randInt(r, 0, 31), randInt(r, 1, 32)]), 1],
  [bitfield('dextm', (r) => { const p = randInt(r, 0, 31); return [p, randInt(r, 33, 64 - p)]; }), 1],
  [bitfield('dextu', (r) => { const p = randInt(r, 32, 63); return [p, randInt(r, 1, 64 - p)]; }), 1],
  [bitfield('dins', (r) => { const p = randInt(r, 0, 31); return [p, randInt(r, 1, 32 - p)]; }), 1],
  [bitfield('dinsm', (r) => { const p = randInt(r, 0, 31); return [p, randInt(r, Math.max(1, 33 - p), 64 - p)]; }), 1],
  [bitfield('dinsu', (r) => { const p = randInt(r, 32, 63); return [p, randInt(r, 1, 64 - p)]; }), 1],
  ...([['lb', 1], ['lbu', 1], ['lh', 2], ['lhu', 2], ['lw', 4], ['lwu', 4], ['ld', 8], ['sb', 1], ['sh', 2], ['sw', 4], ['sd', 8]] as const)
    .map(([n, al]): [Gen, number] => [mem(n, al), 3]),
  ...'lwl lwr ldl ldr swl swr sdl sdr'.split(' ').map((n): [Gen, number] => [mem(n, 1), 1]),
  [() => ({ text: 'nop', emit: (a) => a.nop() }), 1],
  [() => ({ text: 'sync', emit: (a) => a.sync() }), 1],
];

/** Forward branch kinds: [text prefix, emitter] given registers; targets are labels later in the sequence. */
export type BranchGen = (r: Rand, label: string, target: Label) => RandomInsn;
export const BRANCHES: [BranchGen, number][] = [
  ...(['beq', 'bne'] as const).map((n): [BranchGen, number] => [(r, l, tl) => {
    const s = src(r), t = rand01(r) ? s : src(r);
    return { text: `${n} $${s},$${t},${l}`, emit: (a) => a[n](s, t, tl) };
  }, 3]),
  ...(['blez', 'bgtz', 'bltz', 'bgez', 'bltzal', 'bgezal'] as const).map((n): [BranchGen, number] => [(r, l, tl) => {
    // bltzal/bgezal with rs = $31 are UNPREDICTABLE (the link overwrites the operand).
    const s = n.endsWith('al') ? randInt(r, 0, 30) : src(r);
    return { text: `${n} $${s},${l}`, emit: (a) => a[n](s, tl) };
  }, 1]),
];

function rand01(r: Rand): boolean {
  return r() < 0.2;
}

export function pickWeighted<T>(r: Rand, items: readonly [T, number][]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = r() * total;
  for (const [it, w] of items) if ((x -= w) < 0) return it;
  return items[items.length - 1][0];
}
