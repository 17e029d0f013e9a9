// Benchmark (benchmark.js, not a timed test): decoded instructions per second over the text of
// /usr/lib32/libc.a (i386) and /usr/lib/x86_64-linux-gnu/libc.a (x86-64), decoding alone and
// decoding plus AT&T formatting. Run: pnpm --filter @dbtlab/x86-frontend bench
import Benchmark from 'benchmark';
import { decodeInsn, DecodeError, formatAtt, Mode } from '../src/index';
import { execSections, readArchive } from '../test/oracle/objdump-oracle';

interface Corpus {
  label: string;
  mode: Mode;
  sections: Uint8Array[];
  insns: number;
}

function corpus(path: string, mode: Mode): Corpus {
  const sections = readArchive(path).flatMap((o) => execSections(o.data).map((s) => s.data));
  return { label: path, mode, sections, insns: sweep(sections, mode, false) };
}

/** Linear sweep over every section; returns the number of instructions decoded. */
function sweep(sections: Uint8Array[], mode: Mode, format: boolean): number {
  let n = 0;
  for (const code of sections) {
    let off = 0;
    while (off < code.length) {
      try {
        const insn = decodeInsn(code, off, off, mode);
        if (format) formatAtt(insn);
        off += insn.length;
        n++;
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
        off++;
      }
    }
  }
  return n;
}

const corpora = [corpus('/usr/lib32/libc.a', 32), corpus('/usr/lib/x86_64-linux-gnu/libc.a', 64)];
const suite = new Benchmark.Suite();
for (const c of corpora) {
  suite.add(`decode ${c.label} (${c.insns} insns)`, () => sweep(c.sections, c.mode, false));
  suite.add(`decode+formatAtt ${c.label} (${c.insns} insns)`, () => sweep(c.sections, c.mode, true));
}
suite
  .on('cycle', (ev: Benchmark.Event) => {
    const b = ev.target as Benchmark.Target & { name: string };
    const insns = Number(/\((\d+) insns\)/.exec(b.name)?.[1]);
    const perSec = (b.hz ?? 0) * insns;
    console.log(`${b.name}: ${(perSec / 1e6).toFixed(2)} M insns/s wall (±${b.stats?.rme.toFixed(1)}%, ${b.stats?.sample.length} runs)`);
  })
  .run();

// wall-clock rates suffer on a loaded machine; the CPU-time rate is the steadier number
for (const c of corpora) {
  for (const format of [false, true]) {
    const start = process.cpuUsage();
    let n = 0;
    for (let k = 0; k < 5; k++) n += sweep(c.sections, c.mode, format);
    const used = process.cpuUsage(start);
    const cpuSec = (used.user + used.system) / 1e6;
    console.log(`${format ? 'decode+formatAtt' : 'decode'} ${c.label}: ${(n / cpuSec / 1e6).toFixed(2)} M insns/s of CPU time`);
  }
}
