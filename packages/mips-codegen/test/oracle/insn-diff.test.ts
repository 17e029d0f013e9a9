/**
 * Instruction-level differential suite: generated i386 programs run every form over edge
 * and random operands on the CPU (the oracle; cpu-oracle.ts says how where the kernel cannot
 * run i386 programs) and through both dbtlab runtimes (the built CLI); the records must be
 * identical (x87 transcendental results: the cases the CPU's ~67-bit microcode rounds the
 * other way are counted and logged, x87-forms.ts). A third part checks that
 * faulting instructions kill the program with the signal Linux delivers.
 */
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { constants } from 'node:os';
import { cpuAnswer, faultSignal } from './cpu-oracle';
import { assemble, buildProgram, caseText, diffRecord, nearBoundaryStats, parseRecords, type Case, type Form } from './insn-program';
import { bmiForms } from './bmi-forms';
import { integerForms } from './int-forms';
import { CLI, RUNTIMES, testTmpDir } from './probe-program';
import { ciSample, compareRecords, runBothRuntimes } from './record-diff';
import { selfRefForms } from './self-ref-forms';
import { x87Forms } from './x87-forms';

const dir = testTmpDir('insn-diff-');

/** Runs `forms` natively and through both runtimes; returns the comparison and which oracle judged how many cases. */
async function differential(name: string, forms: Form[]) {
  const prog = buildProgram(dir, name.replace(/[^a-z0-9]+/gi, '-'), forms);
  const answer = cpuAnswer(dir, name.replace(/[^a-z0-9]+/gi, '-'), forms);
  const oracles = [...answer.casesBy].map(([o, n]) => `${n} cases by ${o}`).join(', ');
  const outs = await runBothRuntimes(prog);
  return { ...compareRecords<Case, Form, Uint32Array>(forms, answer.records, outs.map(parseRecords), diffRecord, caseText, 3), oracles };
}

// CI mode: every form with a quarter of its cases (the self-referencing forms have one to a few dozen: all of them)
for (const [name, forms, minCases, stride] of [['integer', integerForms, 100000, 4], ['x87', x87Forms, 100000, 4], ['self-referencing', selfRefForms, 2000, 1], ['BMI1, BMI2, ADX, MOVBE', bmiForms, 10000, 4]] as const) {
  test(`${name} instructions: native and both runtimes agree on every case`, async (t) => {
    const fs = ciSample(forms(), stride);
    const r = await differential(name, fs);
    for (const l of r.lines.slice(0, 60)) t.log(l);
    if (name === 'x87') {
      // the CPU's microcode is accurate to ~2^-67, not exact: cases it rounds the other way
      const counts = new Map(fs.filter((f) => f.nearBoundary).map((f) => [f.name, [nearBoundaryStats.get(f.name) ?? 0, f.cases.length * RUNTIMES.length]]));
      t.log(`transcendental near-boundary cases (the CPU's approximation, within its accuracy (X87_TRANSCENDENTAL_ACCURACY) of the exact value, rounding the other way or landing on a representable value) / case runs: ${[...counts].map(([k, [n, all]]) => `${k} ${n}/${all}`).join(', ')}`);
    }
    t.log(`${fs.length} forms, ${r.cases} case runs (both runtimes); oracle: ${r.oracles}`);
    t.true(r.cases > (process.env.CI === 'true' ? minCases / stride : minCases));
    t.is(r.mismatches, 0);
  });
}

/** Instructions that fault, with the signal Linux kills the process with. */
const FAULTS: [string, string, string][] = [
  ['ud2', 'ud2', 'SIGILL'],
  ['int3', 'int3', 'SIGTRAP'],
  ['hlt', 'hlt', 'SIGSEGV'],
  ['int $0x81', 'int $0x81', 'SIGSEGV'],
  ['divl by zero', 'movl $5, %eax; xorl %edx, %edx; xorl %ecx, %ecx; divl %ecx', 'SIGFPE'],
  ['idivl overflow', 'movl $0x80000000, %eax; movl $-1, %edx; movl $-1, %ecx; idivl %ecx', 'SIGFPE'],
  ['divb overflow', 'movl $0x1000, %eax; movb $2, %cl; divb %cl', 'SIGFPE'],
  ['divw by zero (memory)', 'movl $0, buf; divw buf', 'SIGFPE'],
  ['aam $0', 'aam $0', 'SIGFPE'],
  ['into with OF', 'movl $0x7fffffff, %eax; incl %eax; into', 'SIGSEGV'],
  ['bound out of range', 'movl $1, buf; movl $3, buf+4; movl $4, %eax; boundl %eax, buf', 'SIGSEGV'],
  ['cli', 'cli', 'SIGSEGV'],
  ['outb', 'outb %al, $0x80', 'SIGSEGV'],
  ['lgdt', 'lgdt buf', 'SIGSEGV'],
  ['mov to %cr0', 'movl %eax, %cr0', 'SIGSEGV'],
  ['ud1', 'ud1 (%eax), %eax', 'SIGILL'],
  ['lock on a register operand', '.byte 0xf0, 0x01, 0xc3', 'SIGILL'],
  ['mov to %cs', 'movw %ax, %cs', 'SIGILL'],
  ['kernel selector into %ds', 'movw $0x18, %ax; movw %ax, %ds', 'SIGSEGV'],
  ['LDT selector popped into %es', 'pushl $0x2f; popl %es', 'SIGSEGV'],
  ['null selector into %ss', 'xorl %eax, %eax; movw %ax, %ss', 'SIGSEGV'],
  ['load from page 0', 'movl 16, %eax', 'SIGSEGV'],
  ['store to text', 'movl $1, _start', 'SIGSEGV'],
  ['x87 load from page 0', 'fldl 16', 'SIGSEGV'],
  ['x87 integer load from page 0', 'fildll 0x20', 'SIGSEGV'],
  ['x87 store to text', 'fldz; fstpl _start', 'SIGSEGV'],
  ['fnstenv to page 0', 'fnstenv 12', 'SIGSEGV'],
  // an unmasked x87 exception traps (#MF) at the next waiting x87 instruction
  ['x87 unmasked zero divide', 'fnstcw buf; andl $~4, buf; fldcw buf; fld1; fdivs buf+4; fstps buf', 'SIGFPE'],
  ['x87 unmasked invalid, fwait', 'fnstcw buf; andl $~1, buf; fldcw buf; fldz; fdivs buf+4; movl $3, %eax; fwait', 'SIGFPE'],
  ['fldcw unmasking a pending exception', 'fld1; fdivs buf+4; fnstcw buf; andl $~4, buf; fldcw buf; fld1', 'SIGFPE'],
];
const NO_FAULTS: [string, string][] = [
  ['into without OF', 'xorl %eax, %eax; into'],
  ['user data selector into every data segment register', 'movw $0x2b, %ax; movw %ax, %ds; movw %ax, %es; movw %ax, %fs; movw %ax, %gs; movw %ax, %ss; pushl $0; popl %fs'],
  ['lock on a memory destination', 'lock addl %eax, buf; lock xchgl buf, %eax'],
  ['bound in range', 'movl $1, buf; movl $3, buf+4; movl $3, %eax; boundl %eax, buf'],
  ['x87 masked zero divide', 'fld1; fdivs buf+4; fstps buf'],
  ['no-wait forms with an exception pending', 'fnstcw buf; andl $~4, buf; fldcw buf; fld1; fdivs buf+4; fnstsw %ax; fnstcw buf; fnclex; fstps buf; fninit'],
];

function faultProgram(name: string, body: string): string {
  return assemble(dir, name.replace(/[^a-z0-9]+/gi, '-'), `  .text\n  .globl _start\n_start:\n  ${body}\n  movl $1, %eax; movl $7, %ebx; int $0x80\n  .data\nbuf: .long 0, 0\n`, 'i386');
}

/**
 * One program running every body in a child of its own (fork, the body, exit(7)); the parent
 * waits for each and writes the wait statuses (4 bytes each, in order): one dbtlab run for all
 * of them. A body sees what its own program gives it (`buf`, the initial x87 and segment state).
 */
function forkingProgram(bodies: string[]): string {
  const text = bodies.flatMap((body, k) => [
    '  movl $2, %eax; int $0x80',
    `  testl %eax, %eax; jnz 1f`,
    `  ${body}`,
    '  movl $1, %eax; movl $7, %ebx; int $0x80',
    `1: movl %eax, %ebx; movl $status+${4 * k}, %ecx; xorl %edx, %edx; movl $7, %eax; int $0x80`,
  ]);
  const write = [`  movl $4, %eax; movl $1, %ebx; movl $status, %ecx; movl $${4 * bodies.length}, %edx; int $0x80`, '  movl $1, %eax; xorl %ebx, %ebx; int $0x80'];
  return assemble(dir, 'faults-forked', ['  .text', '  .globl _start', '_start:', ...text, ...write, '  .data', 'buf: .long 0, 0', `status: .fill ${4 * bodies.length}, 1, 0`, ''].join('\n'), 'i386');
}

/** A wait status as the signal that killed the process ('' when it exited) and the exit status. */
const waitStatus = (w: number): { signal: string; exit: number } => ({
  signal: w & 0x7f ? (Object.entries(constants.signals).find(([, n]) => n === (w & 0x7f))?.[0] ?? `signal ${w & 0x7f}`) : '',
  exit: (w >> 8) & 0xff,
});

test('faulting instructions end the program with the signal Linux delivers', async (t) => {
  const all = [...FAULTS, ...NO_FAULTS.map(([n, b]) => [n, b, ''] as const)];
  const forked = forkingProgram(all.map(([, body]) => body));
  const outs = await runBothRuntimes(forked);
  // the dbtlab CLI's own exit status (128 + the signal, as a shell gives it) for the first case of each outcome
  const cliChecked = new Set<string>();
  for (const [k, [name, body, signal]] of all.entries()) {
    const prog = faultProgram(name, body);
    const native = faultSignal(dir, name.replace(/[^a-z0-9]+/gi, '-'), body, prog);
    t.is(native.signal, signal, `${native.oracle}: ${name}`);
    for (const [r, runtime] of RUNTIMES.entries()) {
      const got = outs[r].length >= 4 * all.length ? waitStatus(outs[r].readUInt32LE(4 * k)) : { signal: 'no status', exit: -1 };
      t.deepEqual(got, { signal, exit: signal ? 0 : 7 }, `${runtime} ${name} (in a forked child)`);
      if (cliChecked.has(`${runtime} ${signal}`)) continue;
      cliChecked.add(`${runtime} ${signal}`);
      const want = signal ? 128 + constants.signals[signal as keyof typeof constants.signals] : 7;
      const cli = spawnSync('node', [CLI, 'run', '--runtime', runtime, prog]);
      t.is(cli.status, want, `${runtime} ${name}: ${cli.stderr.toString().trim()}`);
    }
  }
});
