import test from 'ava';
import { AF, CF } from '@dbtlab/x86-frontend';
import { BCD_OPS, bcdAdjust } from '../src/bcd';

test('decimal adjustments follow the SDM (its DAA and DAS examples, worked AAA/AAS/AAM/AAD cases)', (t) => {
  const run = (op: string, ax: number, flags: number, base = 10) => {
    const v = bcdAdjust(BCD_OPS.indexOf(op as (typeof BCD_OPS)[number]), ax, flags, base);
    return { ax: v & 0xffff, cf: (v >>> 16) & CF, af: ((v >>> 16) & AF) >> 4 };
  };
  // ADD AL,BL with 79h + 35h = AEh; DAA -> 14h, CF = 1
  t.like(run('DAA', 0xae, 0), { ax: 0x14, cf: 1, af: 1 });
  // SUB AL,BL with 35h - 47h = EEh (CF, AF set); DAS -> 88h, CF = 1
  t.like(run('DAS', 0xee, CF | AF), { ax: 0x88, cf: 1 });
  // ASCII 8 + 9 = 11h in AL (AF set): AAA -> AH += 1, AL = 7
  t.like(run('AAA', 0x0011, AF), { ax: 0x0107, cf: 1, af: 1 });
  t.like(run('AAS', 0x02ff, 0), { ax: 0x0109, cf: 1 });
  t.like(run('AAM', 0x3f, 0), { ax: 0x0603 });
  t.like(run('AAD', 0x0603, 0), { ax: 0x3f });
  t.like(run('AAM', 0xff, 0, 16), { ax: 0x0f0f });
});
