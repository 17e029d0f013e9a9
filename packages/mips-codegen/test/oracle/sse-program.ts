/**
 * The SSE/MMX part of the instruction-level differential suite. The oracle is this machine's
 * own CPU: the generated C program (one inline-asm block per form, the same text in both
 * modes) is built for x86-64, which runs natively, and for i386, which runs through dbtlab;
 * SSE semantics do not depend on the mode. Each case loads MXCSR (rounding mode, DAZ, FTZ;
 * every exception masked), an XMM (or MMX) destination, a source register and a 16-byte
 * memory operand, runs the form, and records the destination, the memory, MXCSR, EFLAGS and
 * a general register (RECORD_BYTES, written raw; recordText formats one).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { prng } from './insn-program';

/** How a form's operands are spelled: %[d] %[s] xmm, %[md] %[ms] mmx, %[m] memory, %k[g] a 32-bit register. */
export interface SseForm {
  name: string;
  asm: string;
  /** floating point: run under every MXCSR control setting */
  fp: boolean;
  mmx?: boolean;
  /** the form sets EFLAGS (record them; otherwise they are the surrounding C code's, which differs by mode) */
  flags?: boolean;
}

const next = prng(0x55e);
/** uniform in [0, 1) */
const rnd = (): number => next() / 0x100000000;

const f32 = (v: number): number => {
  const b = new DataView(new ArrayBuffer(4));
  b.setFloat32(0, v, true);
  return b.getUint32(0, true);
};
/** Edge single values (bit patterns): zeros, ones, ties, denormals, extremes, infinities, NaNs. */
const F32_EDGES = [
  0, 0x80000000, f32(1), f32(-1), f32(1.5), f32(0.1), f32(-3.75), f32(1e30), f32(-1e-30), 0x00000001, 0x007fffff, 0x00800000,
  0x7f7fffff, 0xff7fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000, 0x7f800001, 0x7fa00000, 0x4f000000, 0xcf000000,
  0x4effffff, 0x3f000000, 0x3fc00000, 0x40200000, 0x00400000, 0x80000001, 0x33800000, 0x4b800001,
];
/** Edge double values as [lo, hi] words. */
const F64_EDGES: [number, number][] = [
  [0, 0], [0, 0x80000000], [0, 0x3ff00000], [0, 0xbff00000], [0, 0x3ff80000], [0x9999999a, 0x3fb99999], [1, 0], [0xffffffff, 0x000fffff],
  [0, 0x00100000], [0xffffffff, 0x7fefffff], [0, 0x7ff00000], [0, 0xfff00000], [0, 0x7ff80000], [0, 0xfff80000], [1, 0x7ff00000],
  [0, 0x7ff40000], [0, 0x41e00000], [0, 0xc1e00000], [0xffc00000, 0x41dfffff], [0, 0x3fe00000], [0, 0x40040000], [1, 0x3ff00000],
  [0, 0x36a00000], [0x20000000, 0x47efffff], [0xe0000000, 0x380fffff], [0, 0xc3e00000], [0x12345678, 0xc0934567],
];
const INT_EDGES = [0, 1, 0xffffffff, 0x7fffffff, 0x80000000, 0x7f7f7f7f, 0x80808080, 0x00ff00ff, 0xff00ff00, 0x8000, 0x7fff, 0x12345678, 0xfedcba98];

/** One 16-byte vector as four little-endian words. */
type Vec = [number, number, number, number];

function vectors(count: number): Vec[] {
  const out: Vec[] = [];
  const pick = <T>(l: readonly T[]): T => l[Math.floor(rnd() * l.length)];
  for (let i = 0; i < count; i++) {
    const kind = i % 4;
    let v: Vec;
    if (kind === 0) v = [pick(F32_EDGES), pick(F32_EDGES), pick(F32_EDGES), pick(F32_EDGES)];
    else if (kind === 1) v = [...pick(F64_EDGES), ...pick(F64_EDGES)] as Vec;
    else if (kind === 2) v = [pick(INT_EDGES), pick(INT_EDGES), pick(INT_EDGES), pick(INT_EDGES)];
    else v = [0, 0, 0, 0].map(() => Math.floor(rnd() * 0x100000000)) as Vec;
    out.push(v.map((x) => x >>> 0) as Vec);
  }
  return out;
}

/** MXCSR values: all exceptions masked; each rounding mode, then DAZ, FTZ and both under nearest. */
export const MXCSR_CASES = [0x1f80, 0x3f80, 0x5f80, 0x7f80, 0x1fc0, 0x9f80, 0x9fc0, 0xdf80];

const hex = (v: number): string => `0x${(v >>> 0).toString(16)}u`;

/** Writes and builds the program for `forms` twice; returns [native x86-64, i386] paths. */
export function buildSseProgram(dir: string, name: string, forms: SseForm[], nVectors: number): [string, string] {
  const vecs = vectors(nVectors);
  const lines: string[] = [
    '#include <stdio.h>',
    '#include <string.h>',
    '#include <immintrin.h>',
    'typedef union { unsigned w[4]; __m128i x; __m64 q; } __attribute__((aligned(16))) V;',
    // maskmovq/maskmovdqu's target: static data lies below 4 GiB in both builds, so %edi reaches it
    'V mbuf;',
    // fxsave/fxrstor's 512-byte image
    'V fxbuf[32];',
    `static const unsigned VEC[${vecs.length}][4] = {${vecs.map((v) => `{${v.map(hex).join(',')}}`).join(',\n')}};`,
    `static const unsigned MX[${MXCSR_CASES.length}] = {${MXCSR_CASES.map(hex).join(',')}};`,
    // binary records (the test formats the ones it reports): printf's formatting was most of the program's run through dbtlab
    'static void rec(const V *d, const V *m, unsigned mx, unsigned long fl, unsigned g) {',
    '  unsigned r[11] = { d->w[3], d->w[2], d->w[1], d->w[0], m->w[3], m->w[2], m->w[1], m->w[0], mx, (unsigned)fl, g };',
    '  fwrite(r, 4, 11, stdout);',
    '}',
  ];
  forms.forEach((f, k) => {
    const nmx = f.fp ? MXCSR_CASES.length : 1;
    const dreg = f.mmx ? '[md] "+y" (d.q)' : '[d] "+x" (d.x)';
    const sreg = f.mmx ? '[ms] "y" (s.q)' : '[s] "x" (s.x)';
    lines.push(
      `static void form${k}(void) { /* ${f.name} */`,
      `  for (int i = 0; i < ${vecs.length}; i++) for (int j = 0; j < ${vecs.length}; j += 3) for (int k = 0; k < ${nmx}; k++) {`,
      '    V d, s, m; unsigned mx = MX[k], mxo = 0, g = VEC[j][1]; unsigned long fl;',
      '    memcpy(d.w, VEC[i], 16); memcpy(s.w, VEC[j], 16); memcpy(m.w, VEC[(i + j) % ' + vecs.length + '], 16);',
      `    __asm__ volatile("ldmxcsr %[mx]\\n\\t${f.asm.replace(/"/g, '\\"')}\\n\\tstmxcsr %[mxo]\\n\\tpushf\\n\\tpop %[fl]"`,
      `      : ${dreg}, [m] "+m" (m), [mxo] "=m" (mxo), [fl] "=r" (fl), [g] "+r" (g)`,
      `      : ${sreg}, [mx] "m" (mx) : "cc", "eax", "ecx", "edx", "edi", "memory");`,
      f.mmx ? '    __asm__ volatile("emms");' : '',
      `    rec(&d, &m, mxo, fl & ${f.flags ? '0x8d5' : '0'}, g);`,
      '  }',
      '}',
    );
  });
  lines.push('int main(void) {', ...forms.map((_, k) => `  form${k}();`), '  return 0;', '}');
  const src = join(dir, `${name}.c`);
  writeFileSync(src, lines.join('\n'));
  const native = join(dir, `${name}-64`);
  const i386 = join(dir, `${name}-32`);
  const flags = ['-O1', '-w', '-msse4.2', '-mno-avx', '-static', src];
  execFileSync('gcc', ['-m64', '-mno-red-zone', '-o', native, ...flags], { stdio: 'pipe' });
  execFileSync('gcc', ['-m32', '-fno-pie', '-no-pie', '-o', i386, ...flags], { stdio: 'pipe' });
  return [native, i386];
}

/** Bytes of one record: the destination and the memory operand (high word first), MXCSR, EFLAGS, the general register. */
export const RECORD_BYTES = 44;

/** Record `i` of a program's output as text: destination, memory, MXCSR, EFLAGS, the general register, in hex. */
export function recordText(out: Buffer, i: number): string {
  const w = (k: number): string => out.readUInt32LE(i * RECORD_BYTES + 4 * k).toString(16).padStart(8, '0');
  return `${w(0)}${w(1)}${w(2)}${w(3)} ${w(4)}${w(5)}${w(6)}${w(7)} ${w(8)} ${w(9).slice(5)} ${w(10)}`;
}

/** The number of records form `f` writes (vectors x every third vector x MXCSR settings). */
export const formCases = (f: SseForm, nVectors: number): number => nVectors * Math.ceil(nVectors / 3) * (f.fp ? MXCSR_CASES.length : 1);
