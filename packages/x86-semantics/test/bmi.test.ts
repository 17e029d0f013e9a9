import test from 'ava';
import { pdep, pext } from '../src/bmi';

test('pdep and pext: the SDM examples and their round trip', (t) => {
    t.is(pdep(0b1011, 0xf0f0), 0xb0);
  t.is(pdep(0xffffffff, 0x80000001), 0x80000001);
  t.is(pdep(0x12345678, 0), 0);
  t.is(pext(0xb0, 0xf0f0), 0b1011);
  t.is(pext(0x80000001, 0x80000001), 3);
  t.is(pext(0xffffffff, 0xffffffff), 0xffffffff);
  for (const [s, m] of [[0xdeadbeef, 0x0ff00ff0], [0x13579bdf, 0xaaaaaaaa], [0xffffffff, 0x80000000]]) {
    const width = m.toString(2).replace(/0/g, '').length;
    t.is(pext(pdep(s, m), m), width === 32 ? s : s & ((1 << width) - 1));
    t.is(pdep(pext(s, m), m), (s & m) >>> 0);
  }
});
