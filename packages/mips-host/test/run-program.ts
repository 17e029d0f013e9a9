/** Test support: assemble a program, run it on a fresh machine with a chosen engine. */
import { Assembler, CODE_CACHE_BASE, MipsMachine, type Engine } from '../src/index';

export const ENGINES: readonly Engine[] = ['interpreter', 'compiled'];

export interface Setup {
  (m: MipsMachine): void;
}

/** Assembles `body` (a jr ra + nop epilogue is appended), writes it, runs it. */
export function runProgram(engine: Engine, body: (a: Assembler) => void, setup?: Setup): MipsMachine {
  const m = new MipsMachine();
  m.engine = engine;
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

/** Runs on both engines, checks they agree on registers and counters, returns the compiled one. */
export function runBoth(body: (a: Assembler) => void, setup?: Setup): MipsMachine {
  const [i, c] = ENGINES.map((e) => runProgram(e, body, setup));
  for (let r = 0; r < 34; r++) {
    if (i.gprLo[r] !== c.gprLo[r] || i.gprHi[r] !== c.gprHi[r]) throw new Error(`engines disagree on register ${r}`);
  }
  if (JSON.stringify(snapshot(i)) !== JSON.stringify(snapshot(c))) throw new Error(`engines disagree on counters: ${JSON.stringify(snapshot(i))} vs ${JSON.stringify(snapshot(c))}`);
  return c;
}

export function snapshot(m: MipsMachine): object {
  const c = m.counters;
  return { insns: c.insns, byKind: [...c.byKind], byRegion: [...c.byRegion], helperCalls: c.helperCalls, tbStarts: c.tbStarts, guestInsns: c.guestInsns };
}
