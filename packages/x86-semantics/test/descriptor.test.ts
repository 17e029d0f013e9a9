import test from 'ava';
import { codeSegmentLoad, dataSegmentLoad, descriptorBase, descriptorLimit, selectorAccess, type Descriptor } from '../src/descriptor';

// x86-64 Linux's GDT entries as GDT_ENTRY_INIT(flags, 0, 0xfffff) builds them
const entry = (flags: number, limit = 0xfffff, base = 0): Descriptor => [
  ((base & 0xffff) << 16) | (limit & 0xffff),
  (((base >>> 16) & 0xff) | ((flags & 0xf0ff) << 8) | (limit & 0xf0000) | (base & 0xff000000)) >>> 0,
];
const USER32_CS = entry(0xc0fb);
const USER_DS = entry(0xc0f3);
const USER_CS = entry(0xa0fb);
const KERNEL_CS = entry(0xa09b);
const CPUNODE = entry(0x40f5, 0);

test('lar/lsl/verr/verw of the user entries give what the CPU gives natively (lar includes limit bits 19:16)', (t) => {
  t.deepEqual(selectorAccess('LAR', 0x23, USER32_CS), { zf: true, value: 0x00cffb00 });
  t.deepEqual(selectorAccess('LSL', 0x20, USER32_CS), { zf: true, value: 0xffffffff });
  t.deepEqual(selectorAccess('LAR', 0x33, USER_CS), { zf: true, value: 0x00affb00 });
  t.deepEqual(selectorAccess('LAR', 0x7b, CPUNODE), { zf: true, value: 0x0040f500 });
  t.deepEqual(selectorAccess('LSL', 0x7b, CPUNODE), { zf: true, value: 0 });
  t.true(selectorAccess('VERR', 0x23, USER32_CS).zf);
  t.false(selectorAccess('VERW', 0x23, USER32_CS).zf, 'code is never writable');
  t.true(selectorAccess('VERW', 0x2b, USER_DS).zf);
  t.true(selectorAccess('VERR', 0x7b, CPUNODE).zf);
  t.false(selectorAccess('VERW', 0x7b, CPUNODE).zf, 'read-only data');
});

test('DPL 0, the null selector, system and absent descriptors fail every check at CPL 3', (t) => {
  for (const op of ['LAR', 'LSL', 'VERR', 'VERW'] as const) {
    t.false(selectorAccess(op, 0x10, KERNEL_CS).zf);
    t.false(selectorAccess(op, 0x3, USER_DS).zf, 'null selector');
    t.false(selectorAccess(op, 0x38, [0, 0]).zf, 'all-zero descriptor');
    t.false(selectorAccess(op, 0x84, undefined).zf, 'beyond the table');
  }
});

test('far transfers load %cs only from a flat 32-bit DPL 3 code segment with RPL 3', (t) => {
  t.is(codeSegmentLoad(0x23, USER32_CS), 'ok');
  t.is(codeSegmentLoad(0x20, USER32_CS), 'gp', 'ret to RPL 0');
  t.is(codeSegmentLoad(0x2b, USER_DS), 'gp', 'data');
  t.is(codeSegmentLoad(0x13, KERNEL_CS), 'gp', 'DPL 0');
  t.is(codeSegmentLoad(0x3, undefined), 'gp');
  t.deepEqual(codeSegmentLoad(0x33, USER_CS), { unsupported: 'a far transfer to the 64-bit code segment 0x33' });
});

test('data segment loads: null except into %ss, readable code, writable data for %ss', (t) => {
  t.is(dataSegmentLoad(3, 0, undefined), 'ok');
  t.is(dataSegmentLoad(2, 0, undefined), 'gp');
  t.is(dataSegmentLoad(4, 0x23, USER32_CS), 'ok');
  t.is(dataSegmentLoad(2, 0x23, USER32_CS), 'gp');
  t.is(dataSegmentLoad(2, 0x28, USER_DS), 'gp', 'RPL 0 into %ss');
  t.is(dataSegmentLoad(2, 0x2b, USER_DS), 'ok');
  t.is(dataSegmentLoad(5, 0x7b, CPUNODE), 'ok');
  t.is(dataSegmentLoad(2, 0x7b, CPUNODE), 'gp');
  t.is(dataSegmentLoad(3, 0x10, KERNEL_CS), 'gp');
});

test('base and limit with granularity', (t) => {
  const d = entry(0x40f3, 0x12345, 0x12345678);
  t.is(descriptorBase(d), 0x12345678);
  t.is(descriptorLimit(d), 0x12345);
  t.is(descriptorLimit(entry(0xc0f3, 0xabcde)), 0xabcdefff);
});
