/**
 * BMI1, BMI2, ADX, MOVBE, and TZCNT/LZCNT/POPCNT forms of the differential suite, register and
 * memory operands, over edge and random values and the control values each form reads
 * (bit indexes, start/length pairs, shift counts, rotation immediates). Flags the SDM defines
 * are compared, and those it leaves undefined too when the oracle CPU is the one whose
 * choices the translator reproduces (AMD: PF from the result, AF clear; bextr AF set, SF clear).
 */
import { readFileSync } from 'node:fs';
import { prng, type Case, type Form } from './insn-program';
import { AF, CC_FLAGS, CF, OF, PF, SF, ZF } from '@dbtlab/x86-frontend';

const rnd = prng(0xb31);
const EDGES = [0, 1, 2, 3, 0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffe, 0xffffffff];
const VALUES = [...EDGES, 0xf0f0f0f0, 0x0ff00ff0, ...Array.from({ length: 8 }, rnd)];
/** Bit indexes and counts: only the low byte (bzhi) or five bits (shifts) count, the rest must be ignored. */
const INDEXES = [0, 1, 7, 8, 16, 31, 32, 33, 63, 64, 200, 255, 0x1234510, 0xffffff1f, 0x80000020];
const STARTS = [0, 1, 4, 16, 31, 32, 40, 255];
const LENGTHS = [0, 1, 8, 16, 31, 32, 33, 64, 255];

function cpuIsAmd(): boolean {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8').includes('AuthenticAMD');
  } catch {
    return false;
  }
}
const AMD = cpuIsAmd();
/** The compared flags: the defined ones, plus the undefined ones where the oracle is AMD. */
const flags = (defined: number, undefinedOnAmd: number) => (): number => defined | (AMD ? undefinedOnAmd : 0);

/** a in ebx and memop, b in ecx, both over VALUES (or `bs`), each with flags clear and set. */
function pairCases(bs: number[] = VALUES, flagSets = [0, CC_FLAGS]): Case[] {
  const cases: Case[] = [];
  let k = 0;
  for (const a of VALUES)
    for (const b of bs) cases.push({ regs: [rnd(), a, b, rnd(), rnd(), rnd()], flags: flagSets[k++ % flagSets.length], mem: [a, rnd(), 0] });
  return cases;
}

/** One value in ebx and memop; each flag set. */
function columnCases(flagSets: number[]): Case[] {
  const cases: Case[] = [];
  for (const a of VALUES) for (const f of flagSets) cases.push({ regs: [rnd(), a, rnd(), rnd(), rnd(), rnd()], flags: f, mem: [a, rnd(), 0] });
  return cases;
}

/** Both register and memory forms of a three-operand op: `op %ecx, SRC, %eax`. */
function threeOp(op: string, cases: Case[], mask: () => number, srcIsRm: boolean): Form[] {
  // srcIsRm: the r/m operand is the value (bzhi, bextr, shifts: `op %ecx, r/m, %eax`); else it is
  // the second source (andn, pdep, pext, mulx: `op r/m, %ebx, %eax`)
  return srcIsRm
    ? [
        { name: `${op} %ecx,%ebx,%eax`, asm: `${op} %ecx, %ebx, %eax`, cases, flagMask: mask },
        { name: `${op} %ecx,mem,%eax`, asm: `${op} %ecx, memop, %eax`, cases: cases.filter((_, i) => i % 2 === 0), flagMask: mask },
      ]
    : [
        { name: `${op} %ebx,%ecx,%eax`, asm: `${op} %ebx, %ecx, %eax`, cases, flagMask: mask },
        { name: `${op} mem,%ecx,%eax`, asm: `${op} memop, %ecx, %eax`, cases: cases.filter((_, i) => i % 2 === 0), flagMask: mask },
      ];
}

function bmi1(): Form[] {
  const forms: Form[] = [...threeOp('andn', pairCases(), flags(SF | ZF | CF | OF, PF | AF), false)];
  const ctl: number[] = [];
  for (const s of STARTS) for (const l of LENGTHS) ctl.push(s | (l << 8) | (ctl.length % 3 === 0 ? 0xabcd0000 : 0));
  forms.push(...threeOp('bextr', pairCases(ctl), flags(ZF | CF | OF, PF | AF | SF), true));
  for (const [op, defined] of [['blsi', ZF | SF | CF | OF], ['blsmsk', ZF | SF | CF | OF], ['blsr', ZF | SF | CF | OF]] as const) {
    const mask = flags(defined, PF | AF);
    forms.push({ name: `${op} %ebx,%eax`, asm: `${op} %ebx, %eax`, cases: columnCases([0, CC_FLAGS]), flagMask: mask });
    forms.push({ name: `${op} mem,%eax`, asm: `${op} memop, %eax`, cases: columnCases([CC_FLAGS]), flagMask: mask });
  }
  return forms;
}

function bmi2(): Form[] {
  const forms: Form[] = [...threeOp('bzhi', pairCases(INDEXES), flags(ZF | SF | CF | OF, PF | AF), true)];
  const untouched = () => CC_FLAGS;
  for (const op of ['shlx', 'shrx', 'sarx']) forms.push(...threeOp(op, pairCases(INDEXES), untouched, true));
  for (const op of ['pdep', 'pext']) forms.push(...threeOp(op, pairCases(), untouched, false));
  // mulx: EDX times r/m; high half to the destination, low half to the vvvv register
  const mulx = pairCases().map((c) => ({ ...c, regs: [c.regs[0], c.regs[1], c.regs[2], c.regs[1], c.regs[4], c.regs[5]] }));
  forms.push(
    { name: 'mulx %ecx,%ebx,%eax', asm: 'mulx %ecx, %ebx, %eax', cases: mulx, flagMask: untouched },
    { name: 'mulx mem,%ebx,%eax', asm: 'mulx memop, %ebx, %eax', cases: mulx.filter((_, i) => i % 2 === 0), flagMask: untouched },
    { name: 'mulx %ecx,%eax,%eax', asm: 'mulx %ecx, %eax, %eax', cases: mulx.filter((_, i) => i % 3 === 0), flagMask: untouched },
    { name: 'mulx %edx,%edx,%ecx', asm: 'mulx %edx, %edx, %ecx', cases: mulx.filter((_, i) => i % 3 === 0), flagMask: untouched },
  );
  for (const n of [0, 1, 8, 16, 31, 32, 33, 255]) {
    forms.push({ name: `rorx $${n},%ebx,%eax`, asm: `rorx $${n}, %ebx, %eax`, cases: columnCases([0, CC_FLAGS]), flagMask: untouched });
  }
  forms.push({ name: 'rorx $13,mem,%eax', asm: 'rorx $13, memop, %eax', cases: columnCases([CC_FLAGS]), flagMask: untouched });
  return forms;
}

function adx(): Form[] {
  const forms: Form[] = [];
  const flagSets = [0, CF, OF, CF | OF, CC_FLAGS, CC_FLAGS & ~CF, CC_FLAGS & ~OF];
  for (const op of ['adcx', 'adox']) {
    forms.push({ name: `${op} %ebx,%eax`, asm: `${op} %ebx, %eax`, cases: pairCases(VALUES, flagSets).map((c) => ({ ...c, regs: [c.regs[2], ...c.regs.slice(1)] })), flagMask: () => CC_FLAGS });
    forms.push({ name: `${op} mem,%ecx`, asm: `${op} memop, %ecx`, cases: pairCases(VALUES, flagSets).filter((_, i) => i % 2 === 0), flagMask: () => CC_FLAGS });
    // a chain: the carry out of one is the carry into the next
    forms.push({ name: `${op} chain`, asm: `${op} %ebx, %eax; ${op} %ecx, %edx; ${op} %eax, %esi`, cases: pairCases(VALUES, flagSets).filter((_, i) => i % 3 === 0), flagMask: () => CC_FLAGS });
  }
  forms.push({ name: 'adcx/adox interleaved', asm: 'adcx %ebx, %eax; adox %ecx, %edx; adcx %ecx, %esi; adox %ebx, %edi', cases: pairCases(VALUES, flagSets).filter((_, i) => i % 3 === 0), flagMask: () => CC_FLAGS });
  return forms;
}

function movbe(): Form[] {
  const cases = columnCases([0, CC_FLAGS]);
  return [
    { name: 'movbe mem,%eax', asm: 'movbe memop, %eax', cases, flagMask: () => CC_FLAGS },
    { name: 'movbe mem+1,%ax', asm: 'movbe memop+1, %ax', cases, flagMask: () => CC_FLAGS },
    { name: 'movbe %ebx,mem', asm: 'movbe %ebx, memop', cases, flagMask: () => CC_FLAGS },
    { name: 'movbe %bx,mem+2', asm: 'movbe %bx, memop+2', cases, flagMask: () => CC_FLAGS },
  ];
}

function counts(): Form[] {
  const forms: Form[] = [];
  for (const [op, defined, undef] of [['tzcnt', CF | ZF, PF | AF | SF | OF], ['lzcnt', CF | ZF, PF | AF | SF | OF], ['popcnt', CC_FLAGS, 0]] as const)
    for (const [s, dst, src] of [['l', '%eax', '%ebx'], ['w', '%ax', '%bx']] as const) {
      const mask = flags(defined, undef);
      forms.push({ name: `${op}${s} ${src},${dst}`, asm: `${op}${s} ${src}, ${dst}`, cases: columnCases([0, CC_FLAGS]), flagMask: mask });
      forms.push({ name: `${op}${s} mem,${dst}`, asm: `${op}${s} memop, ${dst}`, cases: columnCases([CC_FLAGS]), flagMask: mask });
    }
  return forms;
}

export function bmiForms(): Form[] {
  return [...bmi1(), ...bmi2(), ...adx(), ...movbe(), ...counts()];
}
