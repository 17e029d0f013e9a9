/**
 * Memory on first touch: what mapping a large range and touching a few pages costs, in time
 * (benchmark.js) and in memory held (the pages that exist, exactly; before first touch every
 * mapped page was allocated, 4 KiB each). End to end, RSS: see the README.
 * Run: pnpm exec ts-node --transpile-only bench/memory.bench.ts   (or `pnpm run bench:memory`)
 */
import Benchmark from 'benchmark';
import { GUEST_BASE, HostMemory, PROT_READ, PROT_WRITE } from '../src/index';

const GiB = 2 ** 30;
const CASES: { name: string; bytes: number; touched: number }[] = [
  { name: 'map 3 GiB, touch 3 pages', bytes: 3 * GiB, touched: 3 },
  { name: 'map 3 GiB, touch 1000 pages', bytes: 3 * GiB, touched: 1000 },
  { name: 'map 1 MiB x 3000 (malloc until failure), touch one page each', bytes: 0, touched: 3000 },
];

function once(c: (typeof CASES)[number]): HostMemory {
  const m = new HostMemory();
  if (c.bytes > 0) {
    m.map(GUEST_BASE, c.bytes, PROT_READ | PROT_WRITE);
    const stride = Math.floor(c.bytes / c.touched / 4096) * 4096;
    for (let i = 0; i < c.touched; i++) m.write8(GUEST_BASE + i * stride, 1);
  } else {
    // top-down first fit, as mmap without a hint allocates
    for (let i = 0; i < c.touched; i++) {
      const a = m.freeGapTopDown(GUEST_BASE + 0x10000, GUEST_BASE + 0xf000_0000, 0x101000)!;
      m.map(a, 0x101000, PROT_READ | PROT_WRITE);
      m.write8(a, 1);
    }
  }
  return m;
}

for (const c of CASES) {
  const m = once(c);
  const held = [...m.touchedPages(0, 2 ** 44)].length;
  const mapped = m.mappedBytes(0, 2 ** 44) / 4096;
  const suite = new Benchmark.Suite();
  suite.add(c.name, () => once(c));
  suite.on('cycle', (e: Benchmark.Event) => {
    const t = e.target as Benchmark.Target & { stats: Benchmark.Stats };
    console.log(`${c.name.padEnd(64)} ${(t.stats.mean * 1000).toFixed(2)} ms (±${t.stats.rme.toFixed(1)}%)  ${held} of ${mapped} mapped pages held (${(held / 256).toFixed(1)} MiB)`);
  });
  suite.run();
}
