import test from 'ava';
import { REG } from '../src/index';
import { runBoth } from './run-program';

const { v0, v1, a0, a1, t0 } = REG;
const hex = (v: bigint): string => '0x' + BigInt.asUintN(64, v).toString(16);

/** Runs one two-operand instruction on a0 = x, a1 = y; returns v0 (and the machine). */
function op2(emit: (a: import('../src/index').Assembler) => void, x: bigint, y: bigint) {
  return runBoth(emit, (m) => { m.setReg(a0, x); m.setReg(a1, y); });
}

const cases: [string, (a: import('../src/index').Assembler) => void, bigint, bigint, bigint][] = [
  ['addu wraps and sign-extends', (a) => a.addu(v0, a0, a1), 0x7fffffffn, 1n, -0x80000000n],
  ['addu reads low halves only', (a) => a.addu(v0, a0, a1), 0x1_0000_0005n, 0x2_0000_0003n, 8n],
  ['subu', (a) => a.subu(v0, a0, a1), 0n, 1n, -1n],
  ['daddu carries', (a) => a.daddu(v0, a0, a1), 0xffffffffn, 1n, 0x1_0000_0000n],
  ['daddu wraps 64', (a) => a.daddu(v0, a0, a1), -1n, 1n, 0n],
  ['dsubu borrows', (a) => a.dsubu(v0, a0, a1), 0x1_0000_0000n, 1n, 0xffffffffn],
  ['and', (a) => a.and(v0, a0, a1), 0xff00ff00ff00ff00n, 0x0ff00ff00ff00ff0n, 0x0f000f000f000f00n],
  ['or', (a) => a.or(v0, a0, a1), 0x1_0000_0000n, 1n, 0x1_0000_0001n],
  ['xor', (a) => a.xor(v0, a0, a1), -1n, 0xffn, -0x100n],
  ['nor', (a) => a.nor(v0, a0, a1), 0n, 0n, -1n],
  ['slt signed 64', (a) => a.slt(v0, a0, a1), -1n, 0n, 1n],
  ['slt high halves equal', (a) => a.slt(v0, a0, a1), 0x1_8000_0000n, 0x1_7fff_ffffn, 0n],
  ['sltu unsigned 64', (a) => a.sltu(v0, a0, a1), 0n, -1n, 1n],
  ['sltu low halves', (a) => a.sltu(v0, a0, a1), 0x7fff_ffffn, 0x8000_0000n, 1n],
  ['movn moves on non-zero', (a) => { a.li(v0, 7); a.movn(v0, a0, a1); }, 5n, 0x1_0000_0000n, 5n],
  ['movz keeps on non-zero', (a) => { a.li(v0, 7); a.movz(v0, a0, a1); }, 5n, 0x1_0000_0000n, 7n],
  ['sll sign-extends', (a) => a.sll(v0, a0, 31), 1n, 0n, -0x80000000n],
  ['srl of negative word', (a) => a.srl(v0, a0, 4), -1n, 0n, 0x0fffffffn],
  ['srl 0 sign-extends the low word', (a) => a.srl(v0, a0, 0), 0x0000_0001_8000_0000n, 0n, -0x80000000n],
  ['sra', (a) => a.sra(v0, a0, 4), -0x100n, 0n, -0x10n],
  // ISA: UNPREDICTABLE for an input that is not sign-extended; QEMU shifts the whole register
  ['sra of a 64-bit value (as QEMU)', (a) => a.sra(v0, a0, 4), 0x1_0000_0100n, 0n, 0x1000_0010n],
  ['srav of a 64-bit value (as QEMU)', (a) => a.srav(v0, a0, a1), 0x7fff_ffff_ffff_ffffn, 20n, 0x7ff_ffff_ffffn],
  ['addu with $zero copies the register whole (as QEMU)', (a) => a.addu(v0, a0, 0), 0x1_2345_6789n, 0n, 0x1_2345_6789n],
  ['subu of $zero copies the register whole (as QEMU)', (a) => a.subu(v0, a0, 0), 0x1_2345_6789n, 0n, 0x1_2345_6789n],
  ['subu from $zero negates the low word', (a) => a.subu(v0, 0, a0), 0x1_0000_0001n, 0n, -1n],
  ['rotr', (a) => a.rotr(v0, a0, 8), 0x12345678n, 0n, 0x78123456n],
  ['sllv uses low 5 bits', (a) => a.sllv(v0, a0, a1), 1n, 33n, 2n],
  ['rotrv', (a) => a.rotrv(v0, a0, a1), 0x80000001n, 1n, -0x40000000n],
  ['dsll', (a) => a.dsll(v0, a0, 4), 0x0123_4567_89ab_cdefn, 0n, 0x1234_5678_9abc_def0n],
  ['dsll32', (a) => a.dsll32(v0, a0, 4), 0xfn, 0n, 0xf0_0000_0000n],
  ['dsrl', (a) => a.dsrl(v0, a0, 4), -1n, 0n, 0x0fff_ffff_ffff_ffffn],
  ['dsra32', (a) => a.dsra32(v0, a0, 31), -0x8000_0000_0000_0000n, 0n, -1n],
  ['drotr', (a) => a.drotr(v0, a0, 4), 0x1n, 0n, 0x1000_0000_0000_0000n],
  ['drotr32', (a) => a.drotr32(v0, a0, 0), 0x1111_1111_2222_2222n, 0n, 0x2222_2222_1111_1111n],
  ['dsrav', (a) => a.dsrav(v0, a0, a1), -0x100n, 68n, -0x10n],
  ['addiu negative', (a) => a.addiu(v0, a0, -1), 0n, 0n, -1n],
  ['daddiu crosses 32 bits', (a) => a.daddiu(v0, a0, -1), 0x1_0000_0000n, 0n, 0xffffffffn],
  ['slti', (a) => a.slti(v0, a0, -5), -6n, 0n, 1n],
  ['sltiu sign-extended immediate', (a) => a.sltiu(v0, a0, -1), 0x1_0000_0000n, 0n, 1n],
  ['andi zero-extends', (a) => a.andi(v0, a0, 0xffff), -1n, 0n, 0xffffn],
  ['ori keeps the high half', (a) => a.ori(v0, a0, 0x8000), -0x1_0000_0000n, 0n, -0xffff8000n],
  ['lui sign-extends', (a) => a.lui(v0, 0x8000), 0n, 0n, -0x80000000n],
  ['mul', (a) => a.mul(v0, a0, a1), -3n, 0x7fffffffn, -0x7ffffffdn],
  ['clz', (a) => a.clz(v0, a0), 0x10000n, 0n, 15n],
  ['dclz', (a) => a.dclz(v0, a0), 0x10000n, 0n, 47n],
  ['seb', (a) => a.seb(v0, a0), 0x80n, 0n, -0x80n],
  ['seh', (a) => a.seh(v0, a0), 0x1_7fffn, 0n, 0x7fffn],
  ['wsbh', (a) => a.wsbh(v0, a0), 0x1122_3344n, 0n, 0x2211_4433n],
  ['dsbh', (a) => a.dsbh(v0, a0), 0x1122_3344_5566_7788n, 0n, 0x2211_4433_6655_8877n],
  ['dshd', (a) => a.dshd(v0, a0), 0x1111_2222_3333_4444n, 0n, 0x4444_3333_2222_1111n],
  ['ext', (a) => a.ext(v0, a0, 4, 8), 0xabcn, 0n, 0xabn],
  ['ext 32 sign-extends', (a) => a.ext(v0, a0, 0, 32), 0xffff_ffffn, 0n, -1n],
  ['dext', (a) => a.dext(v0, a0, 8, 32), 0x1234_5678_9an, 0n, 0x1234_5678n],
  ['dextm', (a) => a.dextm(v0, a0, 4, 60), -1n, 0n, 0x0fff_ffff_ffff_ffffn],
  ['dextu', (a) => a.dextu(v0, a0, 32, 16), 0xabcd_0000_0000n, 0n, 0xabcdn],
  ['ins', (a) => { a.move(v0, a1); a.ins(v0, a0, 8, 8); }, 0xffn, 0x1234_5678n, 0x1234_ff78n],
  ['ins sign-extends bit 31', (a) => { a.move(v0, a1); a.ins(v0, a0, 31, 1); }, 1n, 0n, -0x80000000n],
  ['dins', (a) => { a.move(v0, a1); a.dins(v0, a0, 0, 16); }, 0xbeefn, -1n, -0x10000n + 0xbeefn],
  ['dinsm', (a) => { a.move(v0, a1); a.dinsm(v0, a0, 16, 40); }, 0n, -1n, -0x100_0000_0000_0000n + 0xffffn],
  ['dinsu', (a) => { a.move(v0, a1); a.dinsu(v0, a0, 48, 16); }, 0x1234n, 0n, 0x1234_0000_0000_0000n],
];

for (const [name, emit, x, y, want] of cases) {
  test(name, (t) => {
    const m = op2(emit, x, y);
    t.is(hex(m.getReg(v0)), hex(want));
  });
}

test('writes to $zero are discarded', (t) => {
  const m = runBoth((a) => { a.addiu(0, 0, 5); a.addu(v0, 0, 0); });
  t.is(m.getReg(0), 0n);
  t.is(m.getReg(v0), 0n);
});

test('mult / multu / mfhi / mflo', (t) => {
  const m = runBoth((a) => { a.mult(a0, a1); a.mfhi(v0); a.mflo(v1); a.multu(a0, a1); a.mfhi(t0); }, (mm) => {
    mm.setReg(a0, -2n);
    mm.setReg(a1, 0x7fffffffn);
  });
  // -2 * 0x7fffffff = -0xfffffffe: hi = -1, lo = 2; unsigned 0xfffffffe * 0x7fffffff = 0x7ffffffe_80000002
  t.is(m.getReg(v0), -1n);
  t.is(m.getReg(v1), 2n);
  t.is(m.getReg(t0), 0x7ffffffen);
});

test('dmult / dmultu / ddiv / ddivu', (t) => {
  const m = runBoth((a) => {
    a.dmult(a0, a1); a.mfhi(v0); a.mflo(v1);
    a.dmultu(a0, a1); a.mfhi(t0);
    a.ddiv(a0, a1); a.mflo(REG.t1); a.mfhi(REG.t2);
    a.ddivu(a0, a1); a.mflo(REG.t3);
  }, (mm) => { mm.setReg(a0, -7n); mm.setReg(a1, 2n); });
  t.is(m.getReg(v0), -1n);
  t.is(m.getReg(v1), -14n);
  t.is(m.getReg(t0), 1n); // (2^64 - 7) * 2 >> 64
  t.is(m.getReg(REG.t1), -3n);
  t.is(m.getReg(REG.t2), -1n);
  t.is(m.getReg(REG.t3), (2n ** 64n - 7n) / 2n);
});

test('div / divu truncate and sign-extend', (t) => {
  const m = runBoth((a) => { a.div(a0, a1); a.mflo(v0); a.mfhi(v1); a.divu(a0, a1); a.mflo(t0); }, (mm) => {
    mm.setReg(a0, -7n);
    mm.setReg(a1, 2n);
  });
  t.is(m.getReg(v0), -3n);
  t.is(m.getReg(v1), -1n);
  t.is(m.getReg(t0), 0x7ffffffcn);
});

test('mthi / mtlo / hi / lo accessors', (t) => {
  const m = runBoth((a) => { a.mthi(a0); a.mtlo(a1); }, (mm) => { mm.setReg(a0, -5n); mm.setReg(a1, 0x1_0000_0000n); });
  t.is(m.hi, -5n);
  t.is(m.lo, 0x1_0000_0000n);
});

test('trapping add raises integer-overflow', (t) => {
  const err = t.throws(() => op2((a) => a.add(v0, a0, a1), 0x7fffffffn, 1n));
  t.is((err as import('../src/index').MachineFault).kind, 'integer-overflow');
});

test('teq raises trap, tne does not when equal', (t) => {
  t.notThrows(() => op2((a) => a.tne(a0, a1), 3n, 3n));
  const err = t.throws(() => op2((a) => a.teq(a0, a1), 3n, 3n));
  t.is((err as import('../src/index').MachineFault).kind, 'trap');
});
