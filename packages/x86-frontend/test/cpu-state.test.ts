// CpuState over an EnvMemory: its cached env page and the hooks that drop it.
import test from 'ava';
import { CpuState, ENV, R_DS } from '../src/index';

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
