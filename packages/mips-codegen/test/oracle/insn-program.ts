/**
 * Builds the i386 test programs of the instruction-level differential suite: each form (one
 * instruction, or a short sequence, in AT&T syntax) runs over a table of cases; a case sets
 * the registers, a memory operand and EFLAGS, the form runs, and a record of the registers,
 * memory and EFLAGS after it is appended to a buffer that the program writes to stdout at
 * the end. The same record stream from a native run and from a dbtlab run is compared case
 * by case, so every mismatch names its instruction, inputs and both outputs.
 *
 * Case layout (CASE_BYTES): eax ebx ecx edx esi edi, mem[3] (12 bytes at `memop`), eflags,
 * then the x87 part: control word, st(1) and st(0) inputs (12 bytes each, 10 used).
 * Record layout (RECORD_BYTES): eax ebx ecx edx esi edi, mem[3], eflags, then st(0) and
 * st(1) after (12 bytes each), the x87 status word.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

export const CASE_WORDS = 17;
export const CASE_BYTES = 4 * CASE_WORDS;
export const RECORD_WORDS = 17;
export const RECORD_BYTES = 4 * RECORD_WORDS;

/** A register/memory value: a number, or an assembler expression (a symbol's address). */
export type Val = number | string;

export interface Case {
  /** eax ebx ecx edx esi edi */
  regs: Val[];
  mem?: Val[];
  flags: number;
  /** x87 cases: control word, then st(0) and st(1) as 80-bit values (3 words each, low first) */
  fpu?: { cw: number; st0: number[]; st1: number[] };
}

export interface Form {
  /** label shown in mismatch reports */
  name: string;
  /** the instruction(s) under test */
  asm: string;
  cases: Case[];
  /** EFLAGS bits to compare after a case (defined by the architecture for these inputs) */
  flagMask(c: Case): number;
  /** registers (0..5) whose value after the case is architecturally undefined */
  undefRegs?(c: Case): number[];
  /** x87 status-word bits to compare (x87 forms) */
  swMask?: number;
  /** code run after the flags were saved and before the record is written (may use any register but %ebp) */
  post?: string;
  /** code run before the case is loaded */
  pre?: string;
  /** the form uses the x87: load st(1), st(0) and the control word before it, store them after */
  x87?: boolean;
  /**
   * x87 transcendental forms: the CPU's record is one its microcode's accuracy allows near a
   * rounding boundary (x87-forms.ts): then a difference in st(0), st(1) or C1 only is counted
   * in `nearBoundaryStats`, not a mismatch.
   */
  nearBoundary?(c: Case, cpu: Uint32Array): boolean;
}

/** Cases per form whose only difference is a near-boundary rounding (reported by the suite). */
export const nearBoundaryStats = new Map<string, number>();

const hex = (v: Val): string => (typeof v === 'number' ? `0x${(v >>> 0).toString(16)}` : v);

/**
 * How a program talks to the machine it runs on: the i386 build is the one dbtlab runs; the
 * x86-64 build of the same forms gives the CPU's own answer where i386 cannot run natively
 * (cpu-oracle.ts): only the scaffolding differs (flags through pushq/popfq, write/exit by
 * `syscall`), the forms are the same text, assembled for 64-bit mode.
 */
export type ProgramAbi = 'i386' | 'x86-64';

/** The assembly source of a program running `forms` (gcc -m32/-m64 -nostdlib entry _start). */
export function programSource(forms: Form[], abi: ProgramAbi = 'i386'): string {
  const i386 = abi === 'i386';
  const text: string[] = [];
  const data: string[] = [];
  let total = 0;
  forms.forEach((f, k) => {
    total += f.cases.length;
    data.push(`cases_${k}:`);
    for (const c of f.cases) {
      const regs = c.regs.map(hex);
      while (regs.length < 6) regs.push('0');
      const mem = (c.mem ?? [0, 0, 0]).map(hex);
      while (mem.length < 3) mem.push('0');
      const fpu = c.fpu ? [c.fpu.cw, ...pad3(c.fpu.st1), ...pad3(c.fpu.st0)] : [0x37f, 0, 0, 0, 0, 0, 0];
      data.push(`  .long ${[...regs, ...mem, hex(c.flags), ...fpu.map(hex)].join(', ')}`);
    }
    text.push(
      `# form ${k}: ${f.name}`,
      `  movl $cases_${k}, %ebp`,
      `  movl $${f.cases.length}, left`,
      `1:`,
      f.pre ?? '',
      `  movl 24(%ebp), %eax; movl %eax, memop`,
      `  movl 28(%ebp), %eax; movl %eax, memop+4`,
      `  movl 32(%ebp), %eax; movl %eax, memop+8`,
      f.x87 ? `  fninit; fldcw 40(%ebp); fldt 44(%ebp); fldt 56(%ebp)` : '',
      i386 ? `  pushl 36(%ebp); popfl` : `  movl 36(%ebp), %eax; pushq %rax; popfq`,
      `  movl 0(%ebp), %eax; movl 4(%ebp), %ebx; movl 8(%ebp), %ecx`,
      `  movl 12(%ebp), %edx; movl 16(%ebp), %esi; movl 20(%ebp), %edi`,
      `  ${f.asm}`,
      i386 ? `  pushfl; popl sav+36` : `  pushfq; popq %r11; movl %r11d, sav+36`,
      `  movl %eax, sav; movl %ebx, sav+4; movl %ecx, sav+8; movl %edx, sav+12; movl %esi, sav+16; movl %edi, sav+20`,
      f.x87 ? `  fnstsw %ax; movl %eax, sav+64; fstpt sav+40; fstpt sav+52; fninit` : '',
      `  cld`,
      `  movl memop, %eax; movl %eax, sav+24; movl memop+4, %eax; movl %eax, sav+28; movl memop+8, %eax; movl %eax, sav+32`,
      f.post ?? '',
      `  call record`,
      `  addl $${CASE_BYTES}, %ebp`,
      `  decl left`,
      `  jnz 1b`,
    );
  });
  return [
    '  .text',
    '  .globl _start',
    '_start:',
    '  cld',
    ...text,
    ...writeOutAndExit(abi),
    'record:',
    '  movl outp, %edi; movl $sav, %esi',
    `  movl $${RECORD_WORDS}, %ecx; rep movsl`,
    '  movl %edi, outp',
    '  ret',
    '  .data',
    '  .balign 16',
    'memop: .long 0, 0, 0, 0',
    'left: .long 0',
    'fsel: .long 0',
    'outp: .long out',
    'sav: .fill 80, 1, 0',
    'buf: .fill 256, 1, 0',
    // a stack for forms that move %esp/%ebp (self-ref-forms.ts): %esp = stk+512 at the instruction
    'savesp: .long 0',
    'saveebp: .long 0',
    'stkesp: .long 0',
    '  .balign 16',
    // room below it: enter $0x1234 moves %esp that far below stk+512, and the CPU checks that a write there would not fault
    '  .fill 8192, 1, 0',
    'stk: .fill 1024, 1, 0',
    ...XTAB,
    ...data,
    '  .bss',
    `out: .skip ${RECORD_BYTES * total + 16}`,
    '',
  ].join('\n');
}

/** The end of every program: write(1, out, outp - out) in 64 KiB pieces (outp's low 32 bits: the programs are static, below 4 GiB), exit(0). */
export function writeOutAndExit(abi: ProgramAbi): string[] {
  return abi === 'i386'
    ? [
        '  movl $out, %ecx',
        '2: movl outp, %edx; subl %ecx, %edx; jz 3f',
        '  cmpl $65536, %edx; jbe 4f; movl $65536, %edx',
        '4: movl $4, %eax; movl $1, %ebx; pushl %ecx; int $0x80; popl %ecx',
        '  testl %eax, %eax; jle 3f; addl %eax, %ecx; jmp 2b',
        '3: movl $1, %eax; xorl %ebx, %ebx; int $0x80',
      ]
    : [
        '  movl $out, %esi',
        '2: movl outp, %edx; subl %esi, %edx; jz 3f',
        '  cmpl $65536, %edx; jbe 4f; movl $65536, %edx',
        '4: movl $1, %eax; movl $1, %edi; syscall',
        '  testl %eax, %eax; jle 3f; addl %eax, %esi; jmp 2b',
        '3: movl $60, %eax; xorl %edi, %edi; syscall',
      ];
}

/** `xtab`: 256 known bytes for xlat and memory-source forms. */
export const XTAB = ['xtab:', ...Array.from({ length: 32 }, (_, i) => `  .byte ${Array.from({ length: 8 }, (_, j) => ((i * 8 + j) * 7 + 3) & 0xff).join(', ')}`)];

function pad3(v: number[]): number[] {
  const r = v.slice(0, 3);
  while (r.length < 3) r.push(0);
  return r;
}

/** Assembles and links a program (gcc -m32 or -m64, -static -nostdlib); throws gcc's error. */
export function buildProgram(dir: string, name: string, forms: Form[], abi: ProgramAbi = 'i386'): string {
  return assemble(dir, name, programSource(forms, abi), abi);
}

/** Writes DIR/NAME.S and links it as DIR/NAME (entry _start, no libraries); throws gcc's error. */
export function assemble(dir: string, name: string, source: string, abi: ProgramAbi): string {
  const src = `${dir}/${name}.S`;
  const out = `${dir}/${name}`;
  writeFileSync(src, source);
  execFileSync('gcc', [abi === 'i386' ? '-m32' : '-m64', '-static', '-nostdlib', '-fno-pie', '-no-pie', '-o', out, src], { stdio: 'pipe' });
  return out;
}

export interface Record {
  words: Uint32Array;
}

/** Splits a program's stdout into records (one per case, in order). */
export function parseRecords(out: Buffer): Uint32Array[] {
  const n = Math.floor(out.length / RECORD_BYTES);
  const recs: Uint32Array[] = [];
  for (let i = 0; i < n; i++) {
    const w = new Uint32Array(RECORD_WORDS);
    for (let j = 0; j < RECORD_WORDS; j++) w[j] = out.readUInt32LE(i * RECORD_BYTES + 4 * j);
    recs.push(w);
  }
  return recs;
}

const REG_NAMES = ['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi'];

/** The differences between two records of a case, after the form's masks ('' when equal). */
export function diffRecord(f: Form, c: Case, want: Uint32Array, got: Uint32Array): string {
  const diffs: string[] = [];
  const undef = new Set(f.undefRegs?.(c) ?? []);
  for (let r = 0; r < 6; r++) {
    if (undef.has(r) || (f.x87 && r === 0)) continue;
    if (want[r] !== got[r]) diffs.push(`${REG_NAMES[r]} want ${hx(want[r])} got ${hx(got[r])}`);
  }
  for (let m = 0; m < 3; m++) if (want[6 + m] !== got[6 + m]) diffs.push(`mem[${m}] want ${hx(want[6 + m])} got ${hx(got[6 + m])}`);
  const fm = f.flagMask(c);
  if ((want[9] & fm) !== (got[9] & fm)) diffs.push(`eflags&${hx(fm)} want ${hx(want[9] & fm)} got ${hx(got[9] & fm)}`);
  if (f.x87) {
    const others = diffs.length;
    for (const [name, at] of [['st0', 10], ['st1', 13]] as const) {
      const w = x87Text(want, at);
      const g = x87Text(got, at);
      if (w !== g) diffs.push(`${name} want ${w} got ${g}`);
    }
    const sm = f.swMask ?? 0xffff;
    const swDiff = (want[16] ^ got[16]) & sm;
    if (swDiff) diffs.push(`fsw&${hx(sm)} want ${hx(want[16] & sm)} got ${hx(got[16] & sm)}`);
    if (diffs.length > others && others === 0 && (swDiff & ~C1) === 0 && f.nearBoundary?.(c, want)) {
      nearBoundaryStats.set(f.name, (nearBoundaryStats.get(f.name) ?? 0) + 1);
      return '';
    }
  }
  return diffs.join('; ');
}

const C1 = 0x200;

const hx = (v: number): string => `0x${(v >>> 0).toString(16)}`;

/** An 80-bit value in a record as sign/exponent:significand hex. */
export function x87Text(w: Uint32Array, at: number): string {
  return `${(w[at + 2] & 0xffff).toString(16).padStart(4, '0')}:${w[at + 1].toString(16).padStart(8, '0')}${w[at].toString(16).padStart(8, '0')}`;
}

export function caseText(c: Case): string {
  const regs = c.regs.map((v, i) => `${REG_NAMES[i]}=${typeof v === 'number' ? hx(v) : v}`).join(' ');
  const mem = c.mem ? ` mem=${c.mem.map((v) => (typeof v === 'number' ? hx(v) : v)).join(',')}` : '';
  const fpu = c.fpu
    ? ` cw=${hx(c.fpu.cw)} st0=${x87Text(Uint32Array.from(pad3(c.fpu.st0)), 0)} st1=${x87Text(Uint32Array.from(pad3(c.fpu.st1)), 0)}`
    : '';
  return `${regs}${mem} flags=${hx(c.flags)}${fpu}`;
}

/** Deterministic 32-bit PRNG (mulberry32) for the random operands. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}
