// CpuState over an EnvMemory: its cached env page and the hooks that drop it.
import test from 'ava';
import { CpuState, ENV, FLAT_BOUNDS, NULL_BOUNDS, R_CS, R_DS, R_ES, R_FS, R_GS, R_SS, SEG_CODE, SEG_DATA, SEG_LIMITS, SEG_NULL_SHIFT } from '../src/index';

const BASE = 0x3_0000_0000;

/** One 4 KiB page of words at BASE; replace() swaps in another page, as HostMemory.copyPagesTo does, and runs the hooks. */
class OnePage {
  i32: Int32Array = new Int32Array(1024);
  reads = 0;
  private hooks: (() => void)[] = [];
  read32(addr: number): number {
    this.reads++;
    return this.i32[(addr - BASE) >> 2] >>> 0;
  }
  write32(addr: number, v: number): void {
    this.i32[(addr - BASE) >> 2] = v;
  }
  page(addr: number): { i32: Int32Array } | undefined {
    return addr >= BASE && addr < BASE + 4096 ? { i32: this.i32 } : undefined;
  }
  onUnmap(hook: () => void): void {
    this.hooks.push(hook);
  }
  replace(words: Int32Array): void {
    this.i32 = words;
    for (const h of this.hooks) h();
  }
}
test('env reads come from the cached page, see writes, and follow a page that replaced it', (t) => {
  const mem = new OnePage();
  const cpu = new CpuState(mem, BASE);
  cpu.eip = 0x8048000;
  cpu.setSegBase(R_DS, 0x1000);
  t.is(cpu.eip, 0x8048000);
  t.is(cpu.segBase(R_DS), 0x1000);
  cpu.eflagsRest = 0x80000202; // unsigned, as read32 gives it
  t.is(cpu.eflagsRest, 0x80000202);
  t.is(mem.reads, 0);
  const next = new Int32Array(1024);
  next[ENV.eip >> 2] = 0x8049000;
  mem.replace(next);
  t.is(cpu.eip, 0x8049000);
  t.is(cpu.segBase(R_DS), 0);
});

test('a memory without pages, or an env base off a page boundary, reads through read32', (t) => {
  const mem = new OnePage();
  const plain = { read32: (a: number) => mem.read32(a), write32: (a: number, v: number) => mem.write32(a, v) };
  const cpu = new CpuState(plain, BASE);
  cpu.eip = 0x1234;
  t.is(cpu.eip, 0x1234);
  t.true(mem.reads > 0);
  const offPage = new CpuState(mem, BASE + 8);
  mem.reads = 0;
  t.is(offPage.eip, 0);
  t.true(mem.reads > 0);
});

test('segmentState follows every setter of the words it sums, and travels with a copy of env', (t) => {
  const mem = new OnePage();
  const cpu = new CpuState(mem, BASE);
  t.is(cpu.segmentState(), 0);
  // %fs/%gs bases (TLS) and 64-bit bases of them are not part of it
  cpu.setSegBase(R_GS, 0x1000);
  cpu.setSegBase64(R_FS, 0x7f00_0000_1000);
  t.is(cpu.segmentState(), 0);
  for (const seg of [R_ES, R_SS, R_DS]) {
    cpu.setSegBase(seg, 0x10);
    t.is(cpu.segmentState(), SEG_DATA);
    cpu.setSegBase(seg, 0);
    t.is(cpu.segmentState(), 0);
  }
  cpu.setSegBase(R_CS, 0x10);
  t.is(cpu.segmentState(), SEG_CODE);
  cpu.setSegBase64(R_CS, 0);
  t.is(cpu.segmentState(), 0);
  cpu.code16 = true;
  t.is(cpu.segmentState(), SEG_CODE);
  cpu.code16 = false;
  // a 16-bit %ss: lookups compare it with the code segment (TBs are made for one stack size)
  cpu.ss16 = true;
  t.is(cpu.segmentState(), SEG_CODE);
  t.true(cpu.ss16);
  cpu.ss16 = false;
  t.is(cpu.segmentState(), 0);
  for (const seg of [R_ES, R_CS, R_SS, R_DS, R_FS, R_GS]) {
    cpu.setSegBounds(seg, { lo: 0, hi: 0xfff, readOnly: false });
    // a limited %cs makes lookups compare code segments too
    t.is(cpu.segmentState(), SEG_LIMITS | (seg === R_CS ? SEG_CODE : 0));
    cpu.setSegBounds(seg, { ...FLAT_BOUNDS, readOnly: true });
    t.is(cpu.segmentState(), SEG_LIMITS);
    cpu.setSegBounds(seg, FLAT_BOUNDS);
    t.is(cpu.segmentState(), 0);
  }
  // a null selector's bounds: a bit of its own per segment, the neighbours' words untouched
  for (const seg of [R_ES, R_DS, R_FS, R_GS]) {
    cpu.setSegBounds(seg, NULL_BOUNDS);
    t.is(cpu.segmentState(), 1 << (SEG_NULL_SHIFT + seg));
    if (seg > 0) cpu.setSegBounds(seg - 1, FLAT_BOUNDS);
    t.deepEqual(cpu.segBounds(seg), NULL_BOUNDS);
    cpu.setSegBounds(seg, FLAT_BOUNDS);
    t.is(cpu.segmentState(), 0);
  }
  cpu.setSegBase(R_DS, 0x20);
  cpu.setSegBounds(R_SS, { lo: 0x100, hi: 0xffffffff, readOnly: false });
  t.is(cpu.segmentState(), SEG_DATA | SEG_LIMITS);
  // another thread's env swapped in whole (guest-tree), as bytes
  const saved = mem.i32.slice();
  mem.replace(new Int32Array(1024));
  t.is(cpu.segmentState(), 0);
  mem.replace(saved);
  t.is(cpu.segmentState(), SEG_DATA | SEG_LIMITS);
});
