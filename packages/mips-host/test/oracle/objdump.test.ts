/**
 * Oracle: GNU objdump. Every Assembler method is called over many operand combinations (edge
 * values plus seeded random ones); the words go to a raw binary that
 * `mips64el-linux-gnuabi64-objdump -D -b binary -m mips:isa64r2 -EL -M gpr-names=64` disassembles
 * (gpr-names=64: n64 register names, as REG_NAMES). Our disassemble() must print the same text
 * for 100% of the words (whitespace normalised).
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Assembler, CODE_CACHE_BASE, disassemble } from '../../src/index';
import { mulberry32, randInt } from './prng';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

type Arg = 'reg' | 'sa' | 'simm' | 'uimm' | 'label' | 'jtarget' | 'bf' | 'li';

/** Operand shapes of every instruction method (bit fields: pos+size drawn together). */
const METHODS: Record<string, Arg[]> = {};
const add = (names: string, args: Arg[]): void => { for (const n of names.split(' ')) METHODS[n] = args; };
add('addu subu and or xor nor slt sltu daddu dsubu movn movz add sub dadd dsub mul', ['reg', 'reg', 'reg']);
add('addiu daddiu slti sltiu addi daddi', ['reg', 'reg', 'simm']);
add('andi ori xori', ['reg', 'reg', 'uimm']);
add('lui', ['reg', 'uimm']);
add('sll srl sra rotr dsll dsrl dsra drotr dsll32 dsrl32 dsra32 drotr32', ['reg', 'reg', 'sa']);
add('sllv srlv srav rotrv dsllv dsrlv dsrav drotrv', ['reg', 'reg', 'reg']);
add('mult multu dmult dmultu div divu ddiv ddivu teq tne', ['reg', 'reg']);
add('mfhi mflo mthi mtlo jr', ['reg']);
add('lb lbu lh lhu lw lwu ld lwl lwr ldl ldr sb sh sw sd swl swr sdl sdr', ['reg', 'simm', 'reg']);
add('ext dext dextm dextu ins dins dinsm dinsu', ['reg', 'reg', 'bf']);
add('seb seh wsbh dsbh dshd clz dclz jalr', ['reg', 'reg']);
add('sync nop break', []);
add('move', ['reg', 'reg']);
add('beq bne', ['reg', 'reg', 'label']);
add('blez bgtz bltz bgez bltzal bgezal', ['reg', 'label']);
add('j jal', ['jtarget']);
add('li', ['reg', 'li']);

/** Valid (pos, size) ranges per bit-field method, as GNU as accepts them. */
const BITFIELD: Record<string, (r: () => number) => [number, number]> = {
  ext: (r) => { const p = randInt(r, 0, 31); return [p, randInt(r, 1, 32 - p)]; },
  ins: (r) => { const p = randInt(r, 0, 31); return [p, randInt(r, 1, 32 - p)]; },
  dins: (r) => { const p = randInt(r, 0, 31); return [p, randInt(r, 1, 32 - p)]; },
  dext: (r) => [randInt(r, 0, 31), randInt(r, 1, 32)],
  dextm: (r) => { const p = randInt(r, 0, 31); return [p, randInt(r, 33, 64 - p)]; },
  dextu: (r) => { const p = randInt(r, 32, 63); return [p, randInt(r, 1, 64 - p)]; },
  dinsm: (r) => { const p = randInt(r, 0, 31); return [p, randInt(r, Math.max(1, 33 - p), 64 - p)]; },
  dinsu: (r) => { const p = randInt(r, 32, 63); return [p, randInt(r, 1, 64 - p)]; },
};

const EDGE_SIMM = [0, 1, -1, 0x7fff, -0x8000, 4, -4];
const EDGE_UIMM = [0, 1, 0xffff, 0x8000, 0x7fff];
const EDGE_SA = [0, 1, 31, 16];
const EDGE_LI = [0, -1, 0x7fff, -0x8000, 0xffff, 0x10000, 0x7fffffff, -0x80000000, 0x80000000, 0xffffffff,
  0x1_0000_0000, 2 ** 53 - 1, -(2 ** 53) + 1, 0x5_0000_0008, 0x2_0000_1234];

const COMBOS_PER_METHOD = 300;

function emitAll(): Assembler {
  const rand = mulberry32(0x5eed0b1d);
  const a = new Assembler(CODE_CACHE_BASE);
  const labels = Array.from({ length: 64 }, () => a.newLabel());
  let nextLabel = 0;
  const bindSome = (): void => { if (nextLabel < labels.length && rand() < 0.02) a.bind(labels[nextLabel++]); };
  for (const [name, shape] of Object.entries(METHODS)) {
    const combos = shape.length === 0 ? 1 : COMBOS_PER_METHOD;
    for (let i = 0; i < combos; i++) {
      const edge = i < 8;
      const args: unknown[] = [];
      for (const arg of shape) {
        switch (arg) {
          case 'reg': args.push(edge ? [0, 31, 1, 29, 30, 8, 12, 25][i] : randInt(rand, 0, 31)); break;
          case 'sa': args.push(edge ? EDGE_SA[i % EDGE_SA.length] : randInt(rand, 0, 31)); break;
          case 'simm': args.push(edge ? EDGE_SIMM[i % EDGE_SIMM.length] : randInt(rand, -0x8000, 0x7fff)); break;
          case 'uimm': args.push(edge ? EDGE_UIMM[i % EDGE_UIMM.length] : randInt(rand, 0, 0xffff)); break;
          case 'bf': args.push(...BITFIELD[name](rand)); break;
          case 'li': args.push(i < EDGE_LI.length ? EDGE_LI[i] : Math.round((rand() - 0.5) * 2 ** (1 + randInt(rand, 1, 52)))); break;
          case 'label': args.push(rand() < 0.5 && nextLabel > 0 ? labels[randInt(rand, 0, nextLabel - 1)] : labels[Math.min(labels.length - 1, nextLabel + randInt(rand, 0, 3))]); break;
          case 'jtarget': args.push(CODE_CACHE_BASE + 4 * randInt(rand, 0, 0x3ffffff - (CODE_CACHE_BASE % 0x10000000) / 4)); break;
        }
      }
      if (name === 'jalr' && args[0] === args[1]) args[0] = ((args[1] as number) + 1) % 32;
      (a as unknown as Record<string, (...x: unknown[]) => void>)[name](...args);
      bindSome();
    }
  }
  while (nextLabel < labels.length) a.bind(labels[nextLabel++]);
  a.finish();
  return a;
}

test('every Assembler instruction method is exercised', (t) => {
  const infra = new Set(['constructor', 'newLabel', 'bind', 'finish', 'word', 'patchWord', 'emit', 'emitBranch', 'withOffset', 'liStep', 'pc', 'offset']);
  const methods = Object.getOwnPropertyNames(Assembler.prototype).filter((n) => !infra.has(n));
  t.deepEqual(methods.filter((n) => !(n in METHODS)), []);
});

test('disassemble() equals GNU objdump for every emitted word', (t) => {
  const a = emitAll();
  const dir = testTmpDir('mips-objdump-');
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const bin = join(dir, 'words.bin');
  const buf = Buffer.alloc(4 * a.words.length);
  a.words.forEach((w, i) => buf.writeUInt32LE(w, 4 * i));
  writeFileSync(bin, buf);
  const out = execFileSync('mips64el-linux-gnuabi64-objdump', [
    '-D', '-z', '-b', 'binary', '-m', 'mips:isa64r2', '-EL', '-M', 'gpr-names=64',
    `--adjust-vma=0x${CODE_CACHE_BASE.toString(16)}`, bin,
  ], { maxBuffer: 1 << 28 }).toString();
  const theirs = new Map<number, string>();
  for (const line of out.split('\n')) {
    const m = /^\s*([0-9a-f]+):\t([0-9a-f]{8}) \t(.*)$/.exec(line);
    if (m) theirs.set(parseInt(m[1], 16), m[3].replace(/\s+/g, ' ').trim());
  }
  t.is(theirs.size, a.words.length, 'objdump printed one line per word');
  const mismatches: string[] = [];
  a.words.forEach((w, i) => {
    const pc = CODE_CACHE_BASE + 4 * i;
    const ours = disassemble(w, pc).replace(/\s+/g, ' ').trim();
    if (ours !== theirs.get(pc)) mismatches.push(`${w.toString(16).padStart(8, '0')}: ours "${ours}" objdump "${theirs.get(pc)}"`);
  });
  if (mismatches.length) t.log(mismatches.slice(0, 40).join('\n'));
  t.is(mismatches.length, 0, `${mismatches.length} of ${a.words.length} words differ`);
  t.log(`${a.words.length} words compared`);
});
