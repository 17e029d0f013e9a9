// Fuzzing: random byte strings (fixed seed, so the run is the same every time) never make the
// decoder throw anything but DecodeError, and whatever it decodes is self-consistent.
import test from 'ava';
import { decodeInsn, DecodeError, disassembleRange, formatAtt, Mode } from '../src/index';

/** xorshift32: a small deterministic generator */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/** starts that steer random strings into prefixes, escapes, x87, VEX and EVEX */
const STARTS = [[0x0f], [0x0f, 0x38], [0x0f, 0x3a], [0xc4], [0xc5], [0x62], [0x66], [0xf3], [0xf2], [0xf0], [0x48], [0x67],
  [0x9b], [0xd9], [0xdb], [0xdd], [0xdf], [0x66, 0x0f], [0xf3, 0x0f], [0xf2, 0x0f], [0x8f]];
const STRINGS = 200_000;

test('200k random byte strings: only DecodeError, and consistent decodes', (t) => {
  const next = rng(0x5eed);
  const counts = { ok: 0, undefined: 0, truncated: 0 };
  const buf = new Uint8Array(16);
  for (let n = 0; n < STRINGS; n++) {
    const len = 1 + (next() % 16);
    let i = 0;
    if (next() % 4 === 0) for (const b of STARTS[next() % STARTS.length]) buf[i++] = b;
    for (; i < len; i++) buf[i] = next() & 0xff;
    const code = buf.subarray(0, Math.max(len, i));
    const mode: Mode = n & 1 ? 64 : 32;
    try {
      const insn = decodeInsn(code, 0, 0x1000, mode);
      counts.ok++;
      if (insn.length < 1 || insn.length > 15 || insn.length > code.length || insn.bytes.length !== insn.length) {
        t.fail(`bad length ${insn.length} for ${Buffer.from(code).toString('hex')}`);
      }
      if (formatAtt(insn).length === 0 || insn.operands.some((o) => o === undefined)) t.fail(`bad decode ${Buffer.from(code).toString('hex')}`);
    } catch (e) {
      if (!(e instanceof DecodeError)) {
        t.fail(`${mode}-bit ${Buffer.from(code).toString('hex')}: threw ${String(e)}`);
        continue;
      }
      counts[e.kind]++;
      if (e.bytes.length === 0 || e.bytes.length > 16) t.fail(`bad error bytes for ${Buffer.from(code).toString('hex')}`);
    }
  }
  t.log(`decoded ${counts.ok}, undefined ${counts.undefined}, truncated ${counts.truncated}`);
  t.is(counts.ok + counts.undefined + counts.truncated, STRINGS);
  t.true(counts.ok > 0 && counts.undefined > 0 && counts.truncated > 0);
});

test('linear sweep over random pages never throws and covers every byte', (t) => {
  const next = rng(42);
  for (let page = 0; page < 64; page++) {
    const code = Uint8Array.from({ length: 4096 }, () => next() & 0xff);
    for (const mode of [32, 64] as const) {
      const lines = disassembleRange(code, 0x10000, mode);
      let at = 0x10000;
      for (const l of lines) {
        if (l.addr !== at || l.length < 1) t.fail(`gap at ${l.addr.toString(16)}`);
        at += l.length;
      }
      t.is(at, 0x10000 + 4096);
    }
  }
});
