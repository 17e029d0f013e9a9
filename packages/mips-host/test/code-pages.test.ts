import test from 'ava';
import { HostMemory, markCode, MemoryFault, PROT_EXEC, PROT_READ, PROT_WRITE, SharedPages, unmarkCode } from '../src';

const RW = PROT_READ | PROT_WRITE;
const RX = PROT_READ | PROT_EXEC;

/** Two memories (two processes) and a second mapping in the first, all over one shared page. */
function aliases() {
  const bytes = new SharedPages(4096);
  const [a, b] = [new HostMemory(), new HostMemory()];
  a.mapShared(0x10000, bytes, RX);
  a.mapShared(0x20000, bytes, RW);
  b.mapShared(0x30000, bytes, RW);
  const writes: string[] = [];
  a.onCodeWrite = (addr, len) => writes.push(`a ${addr.toString(16)} ${len}`);
  b.onCodeWrite = (addr, len) => writes.push(`b ${addr.toString(16)} ${len}`);
  return { a, b, writes };
}

test('code on shared bytes: every mapping, in every memory, faults on stores while one holds code', (t) => {
  const { a, b } = aliases();
  t.false(a.page(0x20000)!.smc);
  markCode(a.page(0x10000)!);
  t.true(a.page(0x20000)!.smc);
  t.true(b.page(0x30000)!.smc);
  t.throws(() => b.write8(0x30004, 1), { instanceOf: MemoryFault, message: /smc/ });
  // a mapping made later (a fork's copy) starts marked
  const c = new HostMemory();
  b.copyPagesTo(c, 0x30000, 0x31000);
  t.true(c.page(0x30000)!.smc);
  unmarkCode(a.page(0x10000)!);
  for (const [m, at] of [[a, 0x10000], [a, 0x20000], [b, 0x30000], [c, 0x30000]] as const) t.false(m.page(at)!.smc);
});

test('a store through one mapping reaches the engines of those that hold code, at the same offsets', (t) => {
  const { a, b, writes } = aliases();
  markCode(a.page(0x10000)!);
  b.codeStored(0x30ff0, 8);
  t.deepEqual(writes, ['a 10ff0 8']);
  // a page of its own reaches only its memory's engine
  b.map(0x40000, 4096, RW);
  markCode(b.page(0x40000)!);
  b.codeStored(0x40010, 4);
  t.deepEqual(writes, ['a 10ff0 8', 'b 40010 4']);
});

test('a memory whose engine is gone holds no code: its marks go at the next store through another mapping', (t) => {
  const { a, b, writes } = aliases();
  markCode(a.page(0x10000)!);
  a.onCodeWrite = undefined;
  b.codeStored(0x30000, 4);
  t.deepEqual(writes, []);
  t.false(b.page(0x30000)!.smc);
});

test('an unmapped mapping no longer marks the others', (t) => {
  const { a, b } = aliases();
  markCode(a.page(0x10000)!);
  a.unmap(0x10000, 4096);
  unmarkCode(b.page(0x30000)!);
  t.false(b.page(0x30000)!.smc);
  t.false(a.page(0x20000)!.smc);
});
