import test from 'ava';
import { bitLength } from '../src/fpu/softfloat';

test('bitLength is exact where the value rounds up to a power of two as a double, and beyond 2^1024', (t) => {
  for (let k = 1; k < 1300; k++) {
    const p = 1n << BigInt(k);
    // p - 1 has k bits although Number(p - 1) may be 2^k; p + 1 has k + 1
    for (const [v, want] of [[p - 1n, k], [p, k + 1], [p + 1n, k + 1], [p - (p >> 60n) - 1n, k]] as const) {
      if (bitLength(v) !== want) t.fail(`bitLength(2^${k} ${v - p}) = ${bitLength(v)}, not ${want}`);
    }
  }
  t.is(bitLength(0n), 0);
  t.is(bitLength(1n), 1);
});
