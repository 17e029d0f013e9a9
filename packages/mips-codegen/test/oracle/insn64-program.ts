/**
 * Builds the x86-64 programs of the 64-bit instruction-level suite (insn64-diff): as
 * insn-program.ts does for i386, each form runs over a table of cases that set rax rbx rcx rdx
 * rsi rdi r8 r9, three memory quadwords at `memop` and RFLAGS; after the form a record of those
 * registers (all 64 bits: a 32-bit write must have zero-extended), the memory and RFLAGS is
 * appended to a buffer written to stdout at the end. The same static non-PIE binary runs on the
 * CPU and through dbtlab, so symbol addresses in cases and records are the same in both.
 *
 * Case and record layout (12 quadwords): the eight registers, memop[3], rflags.
 */
import { assemble, writeOutAndExit, XTAB } from './insn-program';

export const QWORDS = 12;
const BYTES = 8 * QWORDS;
export const REG64_NAMES = ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'r8', 'r9'];

/** A value: a 64-bit number, or an assembler expression (a symbol's address). */
export type Val64 = bigint | string;

export interface Case64 {
  regs: Val64[];
  mem?: Val64[];
  flags: number;
}

export interface Form64 {
  name: string;
  /** the instruction(s) under test (local labels 5-9: 1-4 are the scaffolding's); may use r10-r14 freely, not r15 (the case pointer) nor rsp unless restored */
  asm: string;
  cases: Case64[];
  /** RFLAGS bits the architecture defines after this case */
  flagMask(c: Case64): number;
  /** registers (0..7) whose value after the case is architecturally undefined */
  undefRegs?(c: Case64): number[];
}

const lit = (v: Val64): string => (typeof v === 'bigint' ? `0x${BigInt.asUintN(64, v).toString(16)}` : v);

/** The assembly source of the program running `forms` (gcc -m64 -static -nostdlib, entry _start). */
export function program64Source(forms: Form64[]): string {
  const text: string[] = [];
  const data: string[] = [];
  let total = 0;
  const regs = ['%rax', '%rbx', '%rcx', '%rdx', '%rsi', '%rdi', '%r8', '%r9'];
  forms.forEach((f, k) => {
    total += f.cases.length;
    data.push(`cases_${k}:`);
    for (const c of f.cases) {
      const r = c.regs.map(lit);
      while (r.length < 8) r.push('0');
      const m = (c.mem ?? []).map(lit);
      while (m.length < 3) m.push('0');
      data.push(`  .quad ${[...r, ...m, `0x${c.flags.toString(16)}`].join(', ')}`);
    }
    text.push(
      `# form ${k}: ${f.name}`,
      `  movl $cases_${k}, %r15d`,
      `  movl $${f.cases.length}, left`,
      `1:`,
      `  movq 64(%r15), %rax; movq %rax, memop; movq 72(%r15), %rax; movq %rax, memop+8; movq 80(%r15), %rax; movq %rax, memop+16`,
      `  pushq 88(%r15); popfq`,
      ...regs.map((r, i) => `  movq ${8 * i}(%r15), ${r}`),
      `  ${f.asm}`,
      `  pushfq; popq sav+88`,
      ...regs.map((r, i) => `  movq ${r}, sav+${8 * i}`),
      `  cld`,
      `  movq memop, %rax; movq %rax, sav+64; movq memop+8, %rax; movq %rax, sav+72; movq memop+16, %rax; movq %rax, sav+80`,
      `  movq outp, %rdi; movl $sav, %esi; movl $${QWORDS}, %ecx; rep movsq; movq %rdi, outp`,
      `  addq $${BYTES}, %r15`,
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
    ...writeOutAndExit('x86-64'),
    '  .data',
    '  .balign 16',
    'pad: .fill 64, 1, 0x5a',
    'memop: .quad 0, 0, 0, 0',
    'left: .long 0',
    '  .balign 8',
    'outp: .quad out',
    'savesp: .quad 0',
    'sav: .fill 96, 1, 0',
    // a stack for forms that move %rsp/%rbp: its contents are known, its addresses the same in both runs
    '  .balign 16',
    'stk: .fill 2048, 1, 0',
    'stktop:',
    ...XTAB,
    ...data,
    '  .bss',
    `out: .skip ${BYTES * total + 16}`,
    '',
  ].join('\n');
}

/** Assembles and links the program; throws gcc's error. */
export function buildProgram64(dir: string, name: string, forms: Form64[]): string {
  return assemble(dir, name, program64Source(forms), 'x86-64');
}

/** Splits a program's stdout into records (one per case, in order). */
export function parseRecords64(out: Buffer): BigUint64Array[] {
  const recs: BigUint64Array[] = [];
  for (let i = 0; i + BYTES <= out.length; i += BYTES) {
    const w = new BigUint64Array(QWORDS);
    for (let j = 0; j < QWORDS; j++) w[j] = out.readBigUInt64LE(i + 8 * j);
    recs.push(w);
  }
  return recs;
}

const hx = (v: bigint): string => `0x${v.toString(16)}`;

/** The differences between two records of a case after the form's masks ('' when equal). */
export function diffRecord64(f: Form64, c: Case64, want: BigUint64Array, got: BigUint64Array): string {
  const diffs: string[] = [];
  const undef = new Set(f.undefRegs?.(c) ?? []);
  for (let r = 0; r < 8; r++) if (!undef.has(r) && want[r] !== got[r]) diffs.push(`${REG64_NAMES[r]} want ${hx(want[r])} got ${hx(got[r])}`);
  for (let m = 0; m < 3; m++) if (want[8 + m] !== got[8 + m]) diffs.push(`mem[${m}] want ${hx(want[8 + m])} got ${hx(got[8 + m])}`);
  const fm = BigInt(f.flagMask(c));
  if ((want[11] & fm) !== (got[11] & fm)) diffs.push(`rflags&${hx(fm)} want ${hx(want[11] & fm)} got ${hx(got[11] & fm)}`);
  return diffs.join('; ');
}

export function caseText64(c: Case64): string {
  const regs = c.regs.map((v, i) => `${REG64_NAMES[i]}=${typeof v === 'bigint' ? hx(BigInt.asUintN(64, v)) : v}`).join(' ');
  const mem = c.mem ? ` mem=${c.mem.map((v) => (typeof v === 'bigint' ? hx(BigInt.asUintN(64, v)) : v)).join(',')}` : '';
  return `${regs}${mem} flags=0x${c.flags.toString(16)}`;
}
