/** Test support: assemble a program, run it on a fresh machine with a chosen engine. */
import { Assembler, CODE_CACHE_BASE, MAX_REGION_BLOCKS, MipsMachine, type Engine } from '../src/index';

/**
 * Execution techniques: the step interpreter, blocks compiled at once, blocks warmed up first
 * (default), and blocks compiled at once forming regions (of up to MAX_REGION_BLOCKS blocks)
 * from their first compiled run.
 */
export interface Mode {
  readonly engine: Engine;
  readonly compileThreshold: number;
  readonly regionThreshold?: number;
  readonly regionBlocks?: number;
}
export const ENGINES: readonly Mode[] = [
  { engine: 'interpreter', compileThreshold: 0 },
  { engine: 'compiled', compileThreshold: 0 },
  { engine: 'compiled', compileThreshold: 2 },
  { engine: 'compiled', compileThreshold: 0, regionThreshold: 1, regionBlocks: MAX_REGION_BLOCKS },
];

export function newMachine(mode: Mode): MipsMachine {
  const m = new MipsMachine();
  m.engine = mode.engine;
  m.compileThreshold = mode.compileThreshold;
  if (mode.regionThreshold !== undefined) m.regionThreshold = mode.regionThreshold;
  if (mode.regionBlocks !== undefined) m.regionBlocks = mode.regionBlocks;
  return m;
}

export interface Setup {
  (m: MipsMachine): void;
}

/** Assembles `body` (a jr ra + nop epilogue is appended), writes it, runs it. */
export function runProgram(mode: Mode, body: (a: Assembler) => void, setup?: Setup): MipsMachine {
  const m = newMachine(mode);
  const a = new Assembler(CODE_CACHE_BASE);
  body(a);
  a.jr(31);
  a.nop();
  a.finish();
  m.writeCode(CODE_CACHE_BASE, a.words, a.regions);
  setup?.(m);
  m.run(CODE_CACHE_BASE);
  return m;
}

/** Runs in every mode, checks they agree on registers and counters, returns the compiled one. */
export function runBoth(body: (a: Assembler) => void, setup?: Setup): MipsMachine {
  const [i, ...others] = ENGINES.map((e) => runProgram(e, body, setup));
  for (const c of others) {
    for (let r = 0; r < 34; r++) {
      if (i.gprLo[r] !== c.gprLo[r] || i.gprHi[r] !== c.gprHi[r]) throw new Error(`engines disagree on register ${r}`);
    }
    if (JSON.stringify(snapshot(i)) !== JSON.stringify(snapshot(c))) throw new Error(`engines disagree on counters: ${JSON.stringify(snapshot(i))} vs ${JSON.stringify(snapshot(c))}`);
  }
  return others[0];
}

export function snapshot(m: MipsMachine): object {
  const c = m.counters;
  return { insns: c.insns, byKind: [...c.byKind], byRegion: [...c.byRegion], helperCalls: c.helperCalls, tbStarts: c.tbStarts, guestInsns: c.guestInsns };
}
