/**
 * The guest's randomness (AT_RANDOM bytes, getrandom): a fixed-seed generator, so that a
 * program runs the same instructions on every run and counts are reproducible. Linux gives
 * unpredictable bytes here; no program can tell a fixed seed from bad luck. Seed: GUEST_RANDOM_SEED.
 */
export const GUEST_RANDOM_SEED = 0x9e3779b9;

export class GuestRandom {
  private state: number;
  constructor(seed = GUEST_RANDOM_SEED) {
    this.state = seed >>> 0;
  }
  /** splitmix32 */
  private next32(): number {
    this.state = (this.state + 0x9e3779b9) >>> 0;
    let z = this.state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  }
  fill(out: Uint8Array): Uint8Array {
    for (let i = 0; i < out.length; i += 4) {
      const v = this.next32();
      for (let k = 0; k < 4 && i + k < out.length; k++) out[i + k] = (v >>> (8 * k)) & 0xff;
    }
    return out;
  }
}
