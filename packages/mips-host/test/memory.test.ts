import test from 'ava';
import { GUEST64_BASE, GUEST_BASE, GuestMemory, HostMemory, MemoryFault, PROT_READ, PROT_WRITE, SharedPages } from '../src';

const GiB = 2 ** 30;
const RW = PROT_READ | PROT_WRITE;
const touched = (m: HostMemory, addr: number, len: number): number[] => [...m.touchedPages(addr, len)].map(([a]) => a);

test('a mapping costs nothing until touched: 3 GiB mapped, three pages touched, three pages held', (t) => {
  const m = new HostMemory();
  const base = 0x1_0000_0000;
  m.map(base, 3 * GiB, RW);
  t.deepEqual(touched(m, base, 3 * GiB), []);
  m.write8(base + 5, 1);
  m.write32(base + GiB, 0x12345678);
  t.is(m.read8(base + 3 * GiB - 1), 0, 'untouched memory reads as zeros');
  t.deepEqual(touched(m, base, 3 * GiB), [base, base + GiB, base + 3 * GiB - 4096]);
  t.is(m.read32(base + GiB), 0x12345678);
  t.true(m.isRangeMapped(base, 3 * GiB));
  t.is(m.mappedBytes(base, base + 4 * GiB), 3 * GiB);
});

test('unmap and protect split areas; touched pages keep their contents and follow the new protection', (t) => {
  const m = new HostMemory();
  m.map(0x10000, 0x10000, RW);
  m.write8(0x14000, 7);
  t.true(m.protect(0x13000, 0x2000, PROT_READ));
  t.is(m.protAt(0x12000), RW);
  t.is(m.protAt(0x14000), PROT_READ);
  t.is(m.protAt(0x15000), RW);
  t.is(m.read8(0x14000), 7);
  t.throws(() => m.write8(0x14000, 1), { instanceOf: MemoryFault, message: /protection/ });
  m.unmap(0x12000, 0x4000);
  t.false(m.isMapped(0x14000));
  t.deepEqual(touched(m, 0, 2 ** 32), []);
  t.true(m.isMapped(0x11000));
  t.true(m.isMapped(0x16000));
  t.false(m.isRangeMapped(0x10000, 0x10000));
  t.true(m.isRangeFree(0x12000, 0x4000));
  t.false(m.protect(0x11000, 0x2000, RW), 'part of the range is unmapped');
  t.throws(() => m.read8(0x13000), { instanceOf: MemoryFault, message: /unmapped/ });
});

test('freeGapTopDown: the highest free gap of the length asked inside the bounds', (t) => {
  const m = new HostMemory();
  const lo = 0x10000, hi = 0xc000_0000;
  t.is(m.freeGapTopDown(lo, hi, 0x2000), hi - 0x2000);
  m.map(hi - 0x3000, 0x3000, RW);
  m.map(hi - 0x6000, 0x2000, RW); // a one-page hole at hi - 0x4000
  t.is(m.freeGapTopDown(lo, hi, 0x1000), hi - 0x4000);
  t.is(m.freeGapTopDown(lo, hi, 0x2000), hi - 0x8000);
  m.map(lo, hi - 0x6000 - lo, RW);
  t.is(m.freeGapTopDown(lo, hi, 0x1000), hi - 0x4000);
  t.is(m.freeGapTopDown(lo, hi, 0x2000), undefined);
});

test('freeGapBottomUp: the lowest free gap of the length asked inside the bounds', (t) => {
  const m = new HostMemory();
  const lo = 0x4000_0000, hi = 0x8000_0000;
  t.is(m.freeGapBottomUp(lo, hi, 0x2000), lo);
  m.map(lo - 0x1000, 0x3000, RW); // across lo
  m.map(lo + 0x3000, 0x2000, RW); // a one-page hole at lo + 0x2000
  t.is(m.freeGapBottomUp(lo, hi, 0x1000), lo + 0x2000);
  t.is(m.freeGapBottomUp(lo, hi, 0x2000), lo + 0x5000);
  m.map(lo + 0x5000, hi - lo - 0x6000, RW); // only the last page stays free
  t.is(m.freeGapBottomUp(lo, hi, 0x1000), lo + 0x2000);
  m.map(lo + 0x2000, 0x1000, RW);
  t.is(m.freeGapBottomUp(lo, hi, 0x1000), hi - 0x1000);
  t.is(m.freeGapBottomUp(lo, hi, 0x2000), undefined);
  m.map(0x1000, 0x1000, RW); // below the bounds: irrelevant
  t.is(m.freeGapBottomUp(lo, hi, 0x1000), hi - 0x1000);
});

test('GuestMemory: an i386 guest wraps modulo 2^32, an x86-64 guest has the 47-bit space and nothing beyond', (t) => {
  const g32 = new GuestMemory(new HostMemory());
  g32.map(0, 0x1000, RW);
  g32.write32(0x1_0000_0004, 0x11223344); // wraps to 4
  t.is(g32.read32(4), 0x11223344);
  t.is(g32.host.read32(GUEST_BASE + 4), 0x11223344);

  const g64 = new GuestMemory(new HostMemory(), 64);
  const stack = 0x7fff_ffff_e000;
  g64.map(stack, 0x1000, RW);
  g64.write32(stack + 8, 0x55667788);
  t.is(g64.read32(stack + 8), 0x55667788);
  t.is(g64.host.read32(GUEST64_BASE + stack + 8), 0x55667788);
  t.is(g64.guestAddress(GUEST64_BASE + stack), stack);
  t.false(g64.isMapped(stack - 2 ** 32)); // no wrap to the low half
  t.true(g64.isMapped(stack));
  t.false(g64.isMapped(2 ** 47));
  t.is(g64.prot(-1), undefined);
  const err = t.throws(() => g64.read8(2 ** 47), { instanceOf: MemoryFault });
  t.is(err.kind, 'unmapped');
  t.throws(() => g64.writeBytes(2 ** 64 - 4096, Uint8Array.of(1)), { instanceOf: MemoryFault });
});

test('shared pages exist from their first touch through any mapping: a fork and a second mapping see them, an untouched page stays shared', (t) => {
  const seg = new SharedPages(2 * GiB);
  const a = new HostMemory(), b = new HostMemory();
  a.mapShared(0x1000_0000, seg, RW);
  b.mapShared(0x2000_0000, seg, PROT_READ);
  t.is(seg.resident, 0);
  a.write8(0x1000_0000 + 5 * 4096 + 7, 42);
  t.is(seg.resident, 1);
  t.is(b.read8(0x2000_0000 + 5 * 4096 + 7), 42);
  const child = new HostMemory();
  a.copyPagesTo(child, 0x1000_0000, 0x1000_0000 + 2 * GiB);
  child.write8(0x1000_0000 + 9 * 4096, 1); // untouched before the fork: still the segment's page
  t.is(b.read8(0x2000_0000 + 9 * 4096), 1);
  t.is(seg.resident, 2);
  a.unmap(0x1000_0000 + 4096, 4096); // a hole splits the range; pages after it keep their place
  a.write8(0x1000_0000 + 20 * 4096, 3);
  t.is(b.read8(0x2000_0000 + 20 * 4096), 3);
  t.is(seg.resident, 3);
});

test("a fork's copy is copy-on-write: both sides read the same bytes until one writes, each write stays its own, protection and smc marks are each page's own", (t) => {
  const a = new HostMemory();
  const base = 0x1000_0000;
  a.map(base, 3 * 4096, RW);
  a.write32(base, 0x11111111);
  a.write32(base + 4096, 0x22222222);
  const shared = a.page(base)!.data;
  const child = new HostMemory();
  t.is(a.copyPagesTo(child, base, base + 3 * 4096), 2);
  t.is(child.page(base)!.data, shared, 'no bytes copied at the fork');
  child.write32(base, 0x33333333);
  t.is(a.read32(base), 0x11111111);
  t.is(child.read32(base), 0x33333333);
  t.is(a.page(base)!.data, shared, 'the last sharer writes in place');
  a.write8(base + 4096, 0x44);
  t.is(a.read32(base + 4096), 0x22222244);
  t.is(child.read32(base + 4096), 0x22222222);
  // the kernel-side writers copy too
  const grand = new HostMemory();
  child.copyPagesTo(grand, base, base + 3 * 4096);
  grand.pokeBytes(base + 2, Uint8Array.of(0x55));
  t.is(child.read32(base), 0x33333333);
  t.is(grand.read32(base), 0x33553333);
  const page = child.page(base)!;
  child.copyPagesTo(grand, base, base + 4096);
  page.own();
  page.data[0] = 0x66;
  t.is(grand.read8(base), 0x33);
  // protection and smc marks are not shared
  child.protect(base, 4096, PROT_READ);
  a.page(base)!.smc = true;
  t.is(grand.protAt(base), RW);
  t.false(grand.page(base)!.smc);
  t.throws(() => child.write8(base, 1), { instanceOf: MemoryFault, message: /protection/ });
  t.throws(() => a.write8(base, 1), { instanceOf: MemoryFault, message: /smc/ });
});

test('after an unmap (an exec or exit of the other side) the survivor of a shared page writes it in place', (t) => {
  const a = new HostMemory();
  const base = 0x1000_0000;
  a.map(base, 4096, RW);
  a.write8(base, 1);
  const bytes = a.page(base)!.data;
  const child = new HostMemory();
  a.copyPagesTo(child, base, base + 4096);
  child.unmap(base, 4096);
  a.write8(base, 2);
  t.is(a.page(base)!.data, bytes);
  t.is(a.read8(base), 2);
});
