/**
 * TbState: what one engine knows about its TBs beyond the TranslationBlocks themselves, by TB
 * index: which are invalid, and the chains between them (QEMU's jmp_dest and jmp_list, with
 * exit slot numbers for pointers). A TranslationBlock never changes once made, so a forked
 * engine shares its parent's TB objects and copies only these arrays (a few bytes a TB, not
 * an object graph of ~600 bytes a TB); after the fork each side chains and invalidates on its own.
 *
 *   state.chain(from * 2 + n, to); state.destOf(from * 2 + n) === to; state.forEachIncoming(to, (exit) => ...)
 */
const NONE = -1;

export class TbState {
  private constructor(
    /** 1 for an invalidated TB. */
    private invalid: Uint8Array,
    /** Exit (tb * 2 + n) -> the TB index it is chained to, or NONE. */
    private dest: Int32Array,
    /** TB -> the first exit chained into it, or NONE; next links the others (by exit). */
    private head: Int32Array,
    private next: Int32Array,
  ) {}

  static empty(capacity = 256): TbState {
    return new TbState(new Uint8Array(capacity), new Int32Array(2 * capacity).fill(NONE), new Int32Array(capacity).fill(NONE), new Int32Array(2 * capacity).fill(NONE));
  }

  /** The same state, for a forked engine (TB indices are the same in both). */
  clone(): TbState {
    return new TbState(this.invalid.slice(), this.dest.slice(), this.head.slice(), this.next.slice());
  }

  /** A new TB gets `index` (valid, nothing chained): after a flush, indices start again at 0. */
  add(index: number): void {
    while (index >= this.invalid.length) this.grow();
    this.invalid[index] = 0;
    this.head[index] = NONE;
    this.dest[2 * index] = this.dest[2 * index + 1] = NONE;
    this.next[2 * index] = this.next[2 * index + 1] = NONE;
  }

  isInvalid(index: number): boolean {
    return this.invalid[index] !== 0;
  }

  setInvalid(index: number): void {
    this.invalid[index] = 1;
  }

  /** The TB index exit `exit` is chained to, or -1. */
  destOf(exit: number): number {
    return this.dest[exit];
  }

  chain(exit: number, to: number): void {
    this.dest[exit] = to;
    this.next[exit] = this.head[to];
    this.head[to] = exit;
  }

  /** Exit `exit` goes back to its stub: out of its destination's list. */
  unchain(exit: number): void {
    const to = this.dest[exit];
    if (to === NONE) return;
    this.dest[exit] = NONE;
    if (this.head[to] === exit) this.head[to] = this.next[exit];
    else
      for (let e = this.head[to]; e !== NONE; e = this.next[e])
        if (this.next[e] === exit) {
          this.next[e] = this.next[exit];
          break;
        }
    this.next[exit] = NONE;
  }

  /** Calls f for every exit chained into TB `to`, newest first (f may unchain it). */
  forEachIncoming(to: number, f: (exit: number) => void): void {
    for (let e = this.head[to]; e !== NONE; ) {
      const after = this.next[e];
      f(e);
      e = after;
    }
  }

  private grow(): void {
    const b = TbState.empty(2 * this.invalid.length);
    b.invalid.set(this.invalid);
    b.dest.set(this.dest);
    b.head.set(this.head);
    b.next.set(this.next);
    ({ invalid: this.invalid, dest: this.dest, head: this.head, next: this.next } = b);
  }
}
