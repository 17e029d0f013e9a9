import test from 'ava';
import { Assembler, AssemblerError, CODE_CACHE_BASE, REG, REGION, encodeJ, disassemble } from '../src/index';
import { runBoth } from './run-program';

// Words as GNU as (mips64el-linux-gnuabi64-as -march=mips64r2) encodes them.
test('encodings match GNU as for a sample', (t) => {
  const a = new Assembler(0);
  a.addu(2, 3, 4);
  a.addiu(2, 2, -1);
  a.daddiu(29, 29, 16);
  a.lw(2, -8, 29);
  a.ld(31, 8, 29);
  a.dextm(2, 3, 4, 40);
  a.dextu(2, 3, 36, 8);
  a.dinsm(2, 3, 4, 40);
  a.dinsu(2, 3, 36, 8);
  a.clz(2, 3);
  a.jalr(31, 25);
  a.rotr(2, 3, 3);
  a.drotrv(2, 3, 4);
  t.deepEqual(a.words.map((w) => w.toString(16).padStart(8, '0')), [
    '00641021', '2442ffff', '67bd0010', '8fa2fff8', 'dfbf0008', '7c623901', '7c623902', '7c625905', '7c625906',
    '70621020', '0320f809', '002310c2', '00831056',
  ]);
});

test('labels: backward and forward branches, unbound label and range errors', (t) => {
  const a = new Assembler(CODE_CACHE_BASE);
  const back = a.newLabel();
  a.bind(back);
  a.nop();
  const fwd = a.newLabel();
  a.beq(1, 2, fwd);
  a.bne(1, 0, back);
  a.bind(fwd);
  a.finish();
  t.is(a.words[1] & 0xffff, 1);
  t.is(a.words[2] & 0xffff, 0xfffd);
  t.is(disassemble(a.words[2], CODE_CACHE_BASE + 8), `bnez\tat,0x${CODE_CACHE_BASE.toString(16)}`);

  const b = new Assembler(0);
  b.beq(0, 0, b.newLabel());
  t.throws(() => b.finish(), { instanceOf: AssemblerError });
  t.throws(() => b.addu(32, 0, 0), { instanceOf: AssemblerError });
  t.throws(() => b.addiu(1, 1, 0x8000), { instanceOf: AssemblerError });
  t.throws(() => b.ext(1, 1, 30, 4), { instanceOf: AssemblerError });
  t.throws(() => b.dextm(1, 1, 0, 32), { instanceOf: AssemblerError });
  t.throws(() => b.jalr(2, 2), { instanceOf: AssemblerError });
});

test('regions tag each word; pc and offset advance', (t) => {
  const a = new Assembler(CODE_CACHE_BASE);
  a.nop();
  a.region = REGION.exit_stub;
  a.nop();
  t.deepEqual(a.regions, [REGION.tb_body, REGION.exit_stub]);
  t.is(a.offset, 2);
  t.is(a.pc, CODE_CACHE_BASE + 8);
  a.patchWord(0, 0x0000000f);
  t.is(a.words[0], 0xf);
});

test('encodeJ targets the delay slot region and rejects others', (t) => {
  const w = encodeJ('j', CODE_CACHE_BASE, CODE_CACHE_BASE + 0x100);
  t.is(disassemble(w, CODE_CACHE_BASE), `j\t0x${(CODE_CACHE_BASE + 0x100).toString(16)}`);
  t.throws(() => encodeJ('jal', CODE_CACHE_BASE, 0x5_0000_0000), { instanceOf: AssemblerError });
  t.throws(() => encodeJ('j', CODE_CACHE_BASE, CODE_CACHE_BASE + 2), { instanceOf: AssemblerError });
});

const LI_VALUES: [number, number][] = [
  [0, 1], [1, 1], [-1, 1], [0x7fff, 1], [-0x8000, 1], [0xffff, 1], [0x10000, 1], [-0x10000, 1],
  [0x12345678, 2], [-0x12345678, 2], [0x7fffffff, 2], [-0x80000000, 1], [0x80000000, 2], [0xffffffff, 3],
  [0x1_0000_0000, 2], [0x3_0000_0002, 3], [2 ** 52 + 1, 4], [-(2 ** 52) - 1, 4], [Number.MAX_SAFE_INTEGER, 4],
  [Number.MIN_SAFE_INTEGER, 4], [0x1234_5678_9abc, 4], [0x5_0000_0008, 3],
];
for (const [v, maxLen] of LI_VALUES) {
  test(`li ${v} loads exactly in <= ${maxLen} insns`, (t) => {
    let len = 0;
    const m = runBoth((a) => { a.li(REG.v0, v); len = a.offset; });
    t.is(m.getReg(REG.v0), BigInt(v));
    t.true(len <= maxLen, `li ${v} took ${len}`);
  });
}

test('li rejects non-integers and values beyond 2^53', (t) => {
  const a = new Assembler(0);
  t.throws(() => a.li(2, 2 ** 53), { instanceOf: AssemblerError });
  t.throws(() => a.li(2, 1.5), { instanceOf: AssemblerError });
});
