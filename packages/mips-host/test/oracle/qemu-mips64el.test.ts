/**
 * Oracle: qemu-mips64el. Seeded random instruction sequences (ALU, shifts, mult/div, bit
 * fields, loads and stores to a scratch buffer, forward branches, j/jal and jr/jalr through a
 * jump table, all with delay slots) are written as GNU assembler
 * text, assembled by mips64el-linux-gnuabi64-as/ld into static ELFs and run under qemu. Each
 * sequence starts from 31 registers + HI/LO loaded from a table and ends by storing all of
 * them to a dump area, which the ELF writes to stdout at the end. Our machine runs the very
 * words of the ELF (its .text at the same address, its .data at the same address) with every
 * engine mode; every dumped register must equal qemu's. The same instructions emitted through our
 * Assembler must equal GNU as's words.
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { rmSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Assembler, CODE_CACHE_BASE, PROT_READ, PROT_WRITE, disassemble, encodeJ, type Label } from '../../src/index';
import { ENGINES, newMachine, type Mode } from '../run-program';
import { mulberry32, randInt } from './prng';
import { BASE_REG, BRANCHES, SCRATCH_HALF, STRAIGHT, pickWeighted, type RandomInsn } from './random-insns';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const ELFS = 4;
const SEQS_PER_ELF = 3000;
const DATA = 0x10000000;
/** $30 = DATA + 2048: scratch is [DATA, DATA + 4096); bookkeeping right after it. */
const BASE = DATA + SCRATCH_HALF;
const RA_OFF = 2048, SAVE1_OFF = 2056, TP_OFF = 2064, DP_OFF = 2072, DUMPBASE_OFF = 2080;
/** Jump table (label addresses for jr/jalr), right after the bookkeeping dwords. */
const JT_OFF = 2096, JT_MAX = Math.floor((0x7fff - JT_OFF) / 8);
const SLOTS = 34; // $0..$31, HI, LO
const STRIDE = SLOTS * 8;

interface Program {
  text: string[];
  asm: Assembler;
  /** Per sequence: its random instructions as text (for failure reports) and initial values. */
  seqs: { lines: string[]; init: bigint[] }[];
  /** Word index of the first nop at `done`. */
  done: number;
}

function randomValue(r: () => number): bigint {
  const x = r();
  const u64 = (): bigint => (BigInt(randInt(r, 0, 0xffffffff)) << 32n) | BigInt(randInt(r, 0, 0xffffffff));
  if (x < 0.15) return BigInt(randInt(r, -16, 16));
  if (x < 0.3) return BigInt(randInt(r, -0x80000000, 0x7fffffff));
  if (x < 0.4) {
    const edges = [0n, -1n, 0x7fffffffn, -0x80000000n, 0x80000000n, 0xffffffffn, -(1n << 63n), (1n << 63n) - 1n, 1n << 32n];
    return edges[randInt(r, 0, edges.length - 1)];
  }
  return BigInt.asIntN(64, u64());
}

/** Emits the same line as text and through our Assembler. */
class Dual {
  readonly text: string[] = [];
  constructor(readonly asm: Assembler) {}
  insn(i: RandomInsn): void {
    this.text.push(i.text);
    i.emit(this.asm);
  }
  raw(text: string, emit: (a: Assembler) => void): void {
    this.insn({ text, emit });
  }
}

function buildProgram(seed: number): Program {
  const r = mulberry32(seed);
  const asm = new Assembler(CODE_CACHE_BASE);
  const d = new Dual(asm);
  const seqs: Program['seqs'] = [];
  /** Labels whose addresses the jump table holds, and j/jal words to patch once labels are bound. */
  const jumpTable: { name: string }[] = [];
  const jPatches: { at: number; kind: 'j' | 'jal'; label: Label }[] = [];
  d.text.push('.set noreorder', '.set noat', '.text', '.globl _start', '_start:');
  d.raw(`lui $30,${DATA >>> 16}`, (a) => a.lui(30, DATA >>> 16));
  d.raw(`ori $30,$30,${SCRATCH_HALF}`, (a) => a.ori(30, 30, SCRATCH_HALF));
  d.raw(`sd $31,${RA_OFF}($30)`, (a) => a.sd(31, RA_OFF, 30));
  for (let s = 0; s < SEQS_PER_ELF; s++) {
    const init = Array.from({ length: SLOTS }, (_, k) => (k === 0 || k === BASE_REG ? 0n : randomValue(r)));
    // prologue: HI/LO, advance the table pointer, then every register but $30, $1 last
    d.raw(`ld $1,${TP_OFF}($30)`, (a) => a.ld(1, TP_OFF, 30));
    d.raw('ld $2,256($1)', (a) => a.ld(2, 256, 1));
    d.raw('mthi $2', (a) => a.mthi(2));
    d.raw('ld $2,264($1)', (a) => a.ld(2, 264, 1));
    d.raw('mtlo $2', (a) => a.mtlo(2));
    d.raw(`daddiu $2,$1,${STRIDE}`, (a) => a.daddiu(2, 1, STRIDE));
    d.raw(`sd $2,${TP_OFF}($30)`, (a) => a.sd(2, TP_OFF, 30));
    for (let k = 2; k < 32; k++) if (k !== BASE_REG) d.raw(`ld $${k},${8 * k}($1)`, (a) => a.ld(k, 8 * k, 1));
    d.raw('ld $1,8($1)', (a) => a.ld(1, 8, 1));

    // the random body: straight-line instructions and forward branches with their delay slots
    const len = randInt(r, 6, 20);
    const labels = new Map<number, { name: string; label: Label }>();
    const labelAt = (j: number): { name: string; label: Label } => {
      let l = labels.get(j);
      if (!l) labels.set(j, (l = { name: `S${s}_${j}`, label: asm.newLabel() }));
      return l;
    };
    const lines: string[] = [];
    const bindHere = (j: number): void => {
      const l = labels.get(j);
      if (l) {
        d.text.push(`${l.name}:`);
        asm.bind(l.label);
        lines.push(`${l.name}:`);
      }
    };
    // Decide the items first so labels exist before the branches that use them are emitted.
    // Control transfers: conditional branches, j/jal, and jr/jalr through a register loaded
    // from the jump table; all forward, each followed by its delay slot.
    type Transfer = 'branch' | 'j' | 'jal' | 'jr' | 'jalr';
    const plan: { branchTo?: number; kind?: Transfer }[] = [];
    for (let i = 0; i < len; i++) {
      if (i < len - 1 && r() < 0.15) {
        const x = r();
        const kind: Transfer = x < 0.6 ? 'branch' : x < 0.7 ? 'j' : x < 0.8 ? 'jal' : jumpTable.length >= JT_MAX ? 'branch' : x < 0.9 ? 'jr' : 'jalr';
        plan.push({ branchTo: randInt(r, i + 2, len), kind });
        plan.push({});
        i++;
      } else plan.push({});
    }
    plan.forEach((p) => { if (p.branchTo !== undefined) labelAt(p.branchTo); });
    plan.forEach((p, i) => {
      bindHere(i);
      let insn: RandomInsn;
      if (p.branchTo === undefined) insn = pickWeighted(r, STRAIGHT)(r);
      else {
        const target = labelAt(p.branchTo);
        const kind = p.kind!;
        if (kind === 'branch') insn = pickWeighted(r, BRANCHES)(r, target.name, target.label);
        else if (kind === 'j' || kind === 'jal') {
          // our side: a placeholder, patched with encodeJ once the label has an address
          insn = { text: `${kind} ${target.name}`, emit: (a) => { jPatches.push({ at: a.offset, kind, label: target.label }); a.word(0); } };
        } else {
          const reg = randInt(r, 1, 29);
          const off = JT_OFF + 8 * jumpTable.length;
          jumpTable.push({ name: target.name });
          const ld: RandomInsn = { text: `ld $${reg},${off}($30)`, emit: (a) => a.ld(reg, off, 30) };
          d.insn(ld);
          lines.push(ld.text);
          let link = randInt(r, 1, 31);
          if (link === reg || link === 30) link = 31;
          insn = kind === 'jr'
            ? { text: `jr $${reg}`, emit: (a) => a.jr(reg) }
            : { text: `jalr $${link},$${reg}`, emit: (a) => a.jalr(link, reg) };
        }
      }
      d.insn(insn);
      lines.push(insn.text);
    });
    bindHere(plan.length);

    // dump: every register, HI, LO to the next dump slot
    d.raw(`sd $1,${SAVE1_OFF}($30)`, (a) => a.sd(1, SAVE1_OFF, 30));
    d.raw(`ld $1,${DP_OFF}($30)`, (a) => a.ld(1, DP_OFF, 30));
    for (let k = 2; k < 32; k++) d.raw(`sd $${k},${8 * k}($1)`, (a) => a.sd(k, 8 * k, 1));
    d.raw('mfhi $2', (a) => a.mfhi(2));
    d.raw('sd $2,256($1)', (a) => a.sd(2, 256, 1));
    d.raw('mflo $2', (a) => a.mflo(2));
    d.raw('sd $2,264($1)', (a) => a.sd(2, 264, 1));
    d.raw(`ld $2,${SAVE1_OFF}($30)`, (a) => a.ld(2, SAVE1_OFF, 30));
    d.raw('sd $2,8($1)', (a) => a.sd(2, 8, 1));
    d.raw(`daddiu $1,$1,${STRIDE}`, (a) => a.daddiu(1, 1, STRIDE));
    d.raw(`sd $1,${DP_OFF}($30)`, (a) => a.sd(1, DP_OFF, 30));
    seqs.push({ lines, init });
  }
  // done: restore $ra; the two nops become `jr ra; nop` on our machine, qemu writes and exits
  d.raw(`ld $31,${RA_OFF}($30)`, (a) => a.ld(31, RA_OFF, 30));
  const done = asm.offset;
  d.raw('nop', (a) => a.nop());
  d.raw('nop', (a) => a.nop());
  d.raw('li $2,5001', (a) => a.li(2, 5001));
  d.raw('li $4,1', (a) => a.li(4, 1));
  d.raw(`ld $5,${DUMPBASE_OFF}($30)`, (a) => a.ld(5, DUMPBASE_OFF, 30));
  d.raw(`li $6,${SEQS_PER_ELF * STRIDE}`, (a) => a.li(6, SEQS_PER_ELF * STRIDE));
  d.raw('syscall', (a) => a.word(0x0000000c));
  d.raw('li $2,5058', (a) => a.li(2, 5058));
  d.raw('li $4,0', (a) => a.li(4, 0));
  d.raw('syscall', (a) => a.word(0x0000000c));
  asm.finish();
  for (const p of jPatches) asm.patchWord(p.at, encodeJ(p.kind, CODE_CACHE_BASE + 4 * p.at, CODE_CACHE_BASE + 4 * p.label.index));

  const scratch = Array.from({ length: 2 * SCRATCH_HALF }, () => randInt(r, 0, 255));
  d.text.push('.data', 'scratch:');
  for (let i = 0; i < scratch.length; i += 32) d.text.push(`.byte ${scratch.slice(i, i + 32).join(',')}`);
  d.text.push('book:', '.dword 0', '.dword 0', '.dword table', '.dword dump', '.dword dump', '.dword 0', 'jt:');
  for (const { name } of jumpTable) d.text.push(`.dword ${name}`);
  d.text.push('.align 3', 'table:');
  for (const { init } of seqs) d.text.push(`.dword ${init.map((v) => '0x' + BigInt.asUintN(64, v).toString(16)).join(',')}`);
  d.text.push('dump:', `.space ${SEQS_PER_ELF * STRIDE}`);
  return { text: d.text, asm, seqs, done };
}

interface Built {
  elf: string;
  textWords: Uint32Array;
  data: Uint8Array;
}

function buildElf(dir: string, p: Program, n: number): Built {
  const src = join(dir, `seq${n}.s`);
  writeFileSync(src, p.text.join('\n') + '\n');
  const obj = join(dir, `seq${n}.o`), elf = join(dir, `seq${n}`);
  execFileSync('mips64el-linux-gnuabi64-as', ['-march=mips64r2', '-mabi=64', '-EL', '-mno-shared', src, '-o', obj]);
  execFileSync('mips64el-linux-gnuabi64-ld', ['-static', `-Ttext=0x${CODE_CACHE_BASE.toString(16)}`, `-Tdata=0x${DATA.toString(16)}`, '-e', '_start', obj, '-o', elf]);
  const textBin = join(dir, `seq${n}.text`), dataBin = join(dir, `seq${n}.data`);
  execFileSync('mips64el-linux-gnuabi64-objcopy', ['-O', 'binary', '-j', '.text', elf, textBin]);
  execFileSync('mips64el-linux-gnuabi64-objcopy', ['-O', 'binary', '-j', '.data', elf, dataBin]);
  const t = readFileSync(textBin);
  return { elf, textWords: new Uint32Array(t.buffer.slice(t.byteOffset, t.byteOffset + t.length)), data: new Uint8Array(readFileSync(dataBin)) };
}

function runOurs(b: Built, done: number, mode: Mode): { dump: Uint8Array; counters: string } {
  const m = newMachine(mode);
  m.mem.map(DATA, b.data.length, PROT_READ | PROT_WRITE);
  m.mem.pokeBytes(DATA, b.data);
  const words = Array.from(b.textWords);
  // the two nops after `ld $31` at done: become jr ra; nop (qemu goes on to write + exit)
  if (words[done] !== 0 || words[done + 1] !== 0) throw new Error('layout: expected the two nops at done');
  const patch = new Assembler(0);
  patch.jr(31);
  words[done] = patch.words[0];
  m.writeCode(CODE_CACHE_BASE, words, new Array<number>(words.length).fill(0));
  m.run(CODE_CACHE_BASE);
  const dumpBase = Number(m.mem.read64(BASE + DUMPBASE_OFF));
  return { dump: m.mem.readBytes(dumpBase, SEQS_PER_ELF * STRIDE), counters: JSON.stringify(m.counters) };
}

const REG_LABEL = (k: number): string => (k < 32 ? `$${k}` : k === 32 ? 'HI' : 'LO');

test('random sequences: our machine equals qemu-mips64el, our Assembler equals GNU as', (t) => {
  const dir = testTmpDir('mips-qemu-');
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  let compared = 0;
  for (let n = 0; n < ELFS; n++) {
    const p = buildProgram(0xdb7 + n);
    const b = buildElf(dir, p, n);

    // our encodings vs GNU as, word for word
    // (ld pads .text to 16 bytes with zero words)
    t.true(b.textWords.length >= p.asm.words.length && b.textWords.subarray(p.asm.words.length).every((w) => w === 0), 'same words, then padding');
    const badWords: string[] = [];
    p.asm.words.forEach((w, i) => {
      if (w !== b.textWords[i]) badWords.push(`word ${i}: ours ${disassemble(w, CODE_CACHE_BASE + 4 * i)} as ${disassemble(b.textWords[i], CODE_CACHE_BASE + 4 * i)}`);
    });
    if (badWords.length) t.log(badWords.slice(0, 20).join('\n'));
    t.is(badWords.length, 0);

    const theirs = new Uint8Array(execFileSync('qemu-mips64el', ['-cpu', 'MIPS64R2-generic', b.elf], { maxBuffer: 1 << 28 }));
    t.is(theirs.length, SEQS_PER_ELF * STRIDE, 'qemu wrote the whole dump');
    const [interp, ...others] = ENGINES.map((e) => runOurs(b, p.done, e));
    for (const o of others) {
      t.is(o.counters, interp.counters, 'every engine counts the same');
      t.deepEqual(Buffer.from(o.dump), Buffer.from(interp.dump), 'every engine computes the same');
    }
    const compiled = others[0];

    const tv = new DataView(theirs.buffer), ov = new DataView(compiled.dump.buffer);
    const failures: string[] = [];
    for (let s = 0; s < SEQS_PER_ELF; s++) {
      const diffs: string[] = [];
      for (let k = 1; k < SLOTS; k++) {
        const want = tv.getBigInt64(s * STRIDE + 8 * k, true), got = ov.getBigInt64(s * STRIDE + 8 * k, true);
        if (want !== got) diffs.push(`${REG_LABEL(k)}: qemu 0x${BigInt.asUintN(64, want).toString(16)} ours 0x${BigInt.asUintN(64, got).toString(16)}`);
      }
      if (diffs.length && failures.length < 5) {
        const init = p.seqs[s].init.map((v, k) => `${REG_LABEL(k)}=0x${BigInt.asUintN(64, v).toString(16)}`).join(' ');
        failures.push(`elf ${n} sequence ${s}:\n  ${p.seqs[s].lines.join('\n  ')}\n  init ${init}\n  ${diffs.join('\n  ')}`);
      }
      if (diffs.length === 0) compared++;
    }
    if (failures.length) t.log(failures.join('\n'));
    t.is(failures.length, 0);
  }
  t.is(compared, ELFS * SEQS_PER_ELF);
  t.log(`${compared} sequences equal to qemu-mips64el (${ELFS} ELFs)`);
});
