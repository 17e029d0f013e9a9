import test from 'ava';
import { decodeX87Desc, encodeX87Desc, X87_OPS } from '../src/fpu/x87-desc';

test('the x87 descriptor round-trips every operation, operand size, register and segment', (t) => {
  for (let op = 0; op < X87_OPS.length; op++)
    for (const memBits of [0, 16, 32, 64, 80])
      for (let sti = 0; sti < 8; sti++) {
        const d = { op, memBits, sti, destSti: sti % 2 === 1, fop: (op * 37 + sti) & 0x7ff, seg: (op + sti) % 6 };
        t.deepEqual(decodeX87Desc(encodeX87Desc(d)), d);
      }
  t.throws(() => encodeX87Desc({ op: 0, memBits: 48, sti: 0, destSti: false, fop: 0, seg: 3 }), { instanceOf: RangeError });
});
