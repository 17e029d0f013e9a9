import test from 'ava';
import { sequenceMoves, type Move } from '../src/parallel-move';

/** Runs `seq` on registers 0..7 holding 100+r; the value each register ends with. */
function run(seq: Move[]): number[] {
  const regs = Array.from({ length: 8 }, (_, r) => 100 + r);
  for (const [d, s] of seq) regs[d] = regs[s];
  return regs;
}

const TEMP = 7;

test('every assignment of sources 0..6 to destinations 0..3 lands each value where it was asked, touching only destinations and the temp', (t) => {
  let checked = 0;
  for (let code = 0; code < 7 ** 4; code++) {
    for (const n of [1, 2, 3, 4]) {
      const moves: Move[] = [];
      for (let i = 0, c = code; i < n; i++, c = Math.floor(c / 7)) moves.push([i, c % 7]);
      const seq = sequenceMoves(moves, TEMP);
      const after = run(seq);
      for (const [d, s] of moves) if (after[d] !== 100 + s) return t.fail(`${JSON.stringify(moves)}: r${d} = ${after[d]}, not r${s}'s`);
      for (const [d] of seq) if (d !== TEMP && !moves.some(([md]) => md === d)) return t.fail(`${JSON.stringify(moves)} wrote r${d}`);
      checked++;
    }
  }
  t.is(checked, 4 * 7 ** 4);
});

test('without conflicts the moves keep their order; a swap goes through the temp', (t) => {
  t.deepEqual(sequenceMoves([[0, 4], [1, 5], [2, 2]], TEMP), [[0, 4], [1, 5]]);
  t.deepEqual(sequenceMoves([[0, 1], [1, 0]], TEMP), [[TEMP, 0], [0, 1], [1, TEMP]]);
  // a1 <- a0 must read a0 before a0 <- a2 overwrites it (what an in-order sequence got wrong)
  t.deepEqual(sequenceMoves([[0, 2], [1, 0]], TEMP), [[1, 0], [0, 2]]);
});
