/**
 * A parallel assignment of registers (a helper's arguments into a0..a3) as a sequence of moves:
 * each destination gets the value its source held before any move. A move whose destination
 * another pending move still reads waits; what is left then is cycles, each broken by saving
 * one destination in `temp` (a register that is no destination). Moves already in place
 * (dst === src) are dropped; without conflicts the order is the given one.
 *
 *   sequenceMoves([[a0, a1], [a1, a0]], v0)  ->  [[v0, a0], [a0, a1], [a1, v0]]
 */
export type Move = readonly [dst: number, src: number];

export function sequenceMoves(moves: readonly Move[], temp: number): Move[] {
  const pending = moves.filter(([d, s]) => d !== s).map(([dst, src]) => ({ dst, src }));
  const out: Move[] = [];
  while (pending.length) {
    const i = pending.findIndex((m) => !pending.some((o) => o !== m && o.src === m.dst));
    if (i >= 0) {
      const [m] = pending.splice(i, 1);
      out.push([m.dst, m.src]);
      continue;
    }
    const saved = pending[0].dst;
    out.push([temp, saved]);
    for (const o of pending) if (o.src === saved) o.src = temp;
  }
  return out;
}
