/**
 * Machine speed: warm loops in the code cache, host instructions per second, per engine.
 * Run: pnpm exec ts-node --transpile-only bench/machine.bench.ts   (or `pnpm run bench`)
 * Prints benchmark.js's wall-clock rate and, because this machine is shared, also the rate
 * per second of this process's CPU time over the same runs.
 */
import Benchmark from 'benchmark';
import { Assembler, CODE_CACHE_BASE, ENV_BASE, MipsMachine, REG, type Engine } from '../src/index';

const { v0, v1, a0, a1, t0, t1, t9, ra, s0 } = REG;
const ITER = 200_000;

interface Workload {
  name: string;
  emit: (a: Assembler, helper: number) => void;
}

const WORKLOADS: Workload[] = [
  {
    name: 'alu loop (addiu, xor, sll, bne)',
    emit: (a) => {
      a.li(a0, ITER);
      const l = a.newLabel();
      a.bind(l);
      a.addiu(v0, v0, 3);
      a.xor(v1, v1, v0);
      a.sll(t0, v1, 2);
      a.addiu(a0, a0, -1);
      a.bne(a0, 0, l);
      a.addu(t1, t1, t0); // delay slot
    },
  },
  {
    name: 'memory loop (lw, addiu, sw, ld, daddu)',
    emit: (a) => {
      a.li(a0, ITER);
      a.li(a1, ENV_BASE);
      const l = a.newLabel();
      a.bind(l);
      a.lw(v0, 0, a1);
      a.addiu(v0, v0, 1);
      a.sw(v0, 0, a1);
      a.ld(v1, 8, a1);
      a.daddu(v1, v1, v0);
      a.sd(v1, 8, a1);
      a.addiu(a0, a0, -1);
      a.bne(a0, 0, l);
      a.nop();
    },
  },
  {
    name: 'context switch (24 sd + 24 ld to env per iteration)',
    emit: (a) => {
      a.li(a0, ITER / 10);
      a.li(a1, ENV_BASE);
      const l = a.newLabel();
      a.bind(l);
      for (let k = 0; k < 24; k++) a.sd(2 + (k % 8), 8 * k, a1);
      for (let k = 0; k < 24; k++) a.ld(12 + (k % 8), 8 * k, a1);
      a.addiu(a0, a0, -1);
      a.bne(a0, 0, l);
      a.nop();
    },
  },
  {
    name: '64-bit mix (dsll, dsrl32, daddu, ext, movn, sltu)',
    emit: (a) => {
      a.li(a0, ITER);
      const l = a.newLabel();
      a.bind(l);
      a.dsll(v0, a0, 7);
      a.dsrl32(v1, v0, 3);
      a.daddu(t0, t0, v0);
      a.ext(t1, t0, 3, 12);
      a.sltu(v1, t1, t0);
      a.movn(t0, t1, v1);
      a.addiu(a0, a0, -1);
      a.bgtz(a0, l);
      a.nop();
    },
  },
  {
    name: 'helper call loop (jalr to a TS helper every 8 insns)',
    emit: (a, helper) => {
      a.move(s0, ra);
      a.li(a1, ITER);
      a.li(t9, helper);
      const l = a.newLabel();
      a.bind(l);
      a.addiu(v1, v1, 1);
      a.addiu(a1, a1, -1);
      a.jalr(ra, t9);
      a.move(a0, v1); // delay slot: the argument
      a.addu(t0, t0, v0);
      a.bne(a1, 0, l);
      a.nop();
      a.move(ra, s0);
    },
  },
];

function prepare(engine: Engine, w: Workload): MipsMachine {
  const m = new MipsMachine();
  m.engine = engine;
  const helper = m.registerHelper('inc', (mm) => mm.setReg32(v0, mm.getReg32(a0) + 1));
  const a = new Assembler(CODE_CACHE_BASE);
  w.emit(a, helper);
  a.jr(ra);
  a.nop();
  a.finish();
  m.writeCode(CODE_CACHE_BASE, a.words, a.regions);
  return m;
}

const results: string[] = [];
for (const w of WORKLOADS) {
  for (const engine of (process.env.ENGINES ?? 'interpreter,compiled').split(',') as Engine[]) {
    const m = prepare(engine, w);
    m.run(CODE_CACHE_BASE); // warm: compile blocks
    m.counters.reset();
    m.run(CODE_CACHE_BASE);
    const perRun = m.counters.insns;
    const suite = new Benchmark.Suite();
    let runs = 0;
    suite.add(`${engine.padEnd(11)} ${w.name}`, () => { m.run(CODE_CACHE_BASE); runs++; }, { minSamples: 10, maxTime: 2 });
    const cpu0 = process.cpuUsage();
    suite.on('cycle', (e: Benchmark.Event) => {
      const b = e.target;
      const cpu = process.cpuUsage(cpu0);
      const rate = (perRun / b.stats!.mean) / 1e6;
      const cpuRate = (perRun * runs) / (cpu.user + cpu.system);
      const line = `${String(b.name).padEnd(68)} ${rate.toFixed(1).padStart(7)} M insns/s wall (±${b.stats!.rme.toFixed(1)}%)  ${cpuRate.toFixed(1).padStart(7)} M insns/s CPU`;
      results.push(line);
      console.log(line);
    });
    suite.run();
  }
}
