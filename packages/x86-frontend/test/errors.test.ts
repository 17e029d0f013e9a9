// Bad input: undefined opcodes and truncated instructions give a typed DecodeError with the
// address and the bytes; the disassembler prints "(bad)" over the bytes objdump consumes.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeInsn, DecodeError, disassembleRange, Mode } from '../src/index';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const bytes = (hex: string): Uint8Array => Uint8Array.from(Buffer.from(hex.replace(/ /g, ''), 'hex'));

function decodeError(hex: string, mode: Mode = 32, addr = 0x8048000): DecodeError {
  const e = (() => {
    try {
      decodeInsn(bytes(hex), 0, addr, mode);
    } catch (err) {
      return err;
    }
    return undefined;
  })();
  if (!(e instanceof DecodeError)) throw new Error(`expected a DecodeError for ${hex}, got ${String(e)}`);
  return e;
}

test('truncated instructions report kind, address and the bytes there are', (t) => {
  for (const hex of ['8b', '8b 44', '8b 44 24', 'e8 00 00', '0f', '66', 'c7 05 00 00 00 00 01', '0f 38', 'c5 fd 74']) {
    const e = decodeError(hex, hex.startsWith('c5') ? 64 : 32);
    t.is(e.kind, 'truncated', hex);
    t.is(e.addr, 0x8048000);
    t.deepEqual(Array.from(e.bytes), Array.from(bytes(hex)), hex);
  }
  t.regex(decodeError('8b 44').message, /truncated instruction at 0x8048000: 8b 44/);
});

test('undefined opcodes report the prefix and opcode bytes', (t) => {
  const cases: [string, string][] = [['0f 04', '0f 04'], ['ff ff', 'ff'], ['8c f0', '8c f0'],
    ['66 0f 38 ff c0', '66 0f 38 ff'], ['c4 e0 78 00 c0', 'c4'], ['fe d0', 'fe']];
  for (const [hex, consumed] of cases) {
    const e = decodeError(hex, hex.startsWith('c4') ? 64 : 32);
    t.is(e.kind, 'undefined', hex);
    t.deepEqual(Array.from(e.bytes), Array.from(bytes(consumed)), hex);
  }
  t.regex(decodeError('0f 04').message, /undefined instruction at 0x8048000: 0f 04/);
});

test('an instruction longer than 15 bytes is undefined', (t) => {
  t.is(decodeError('66'.repeat(15) + '90').kind, 'undefined');
  t.notThrows(() => decodeInsn(bytes('66'.repeat(13) + '90'), 0, 0, 32));
});

test('mode-specific encodings', (t) => {
  t.is(decodeError('06', 64).kind, 'undefined'); // push %es does not exist in 64-bit mode
  t.is(decodeError('ce', 64).kind, 'undefined'); // into
  t.notThrows(() => decodeInsn(bytes('ce'), 0, 0, 32));
  t.is(decodeError('d6', 64).kind, 'undefined'); // salc: executed in 32-bit mode, objdump's (bad) there too
  t.is(decodeInsn(bytes('d6'), 0, 0, 32).op, 'SALC');
});

test('disassembleRange prints (bad) where objdump does, with the same lengths', (t) => {
  const code = bytes('d6 0f 04 8c f0 01 d8 0f 0b 06 0f 0e d0 8c');
  const dir = testTmpDir('x86-bad-');
  const file = join(dir, 'code.bin');
  writeFileSync(file, code);
  const objdump = execFileSync('objdump', ['-D', '-w', '-b', 'binary', '-m', 'i386', file], { encoding: 'latin1' })
    .split('\n')
    .map((l) => /^ *([0-9a-f]+):\t([0-9a-f ]+?) *\t(.*)$/.exec(l))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ addr: parseInt(m[1], 16), length: m[2].split(' ').length, text: m[3].trimEnd() }));
  const ours = disassembleRange(code, 0, 32).map((l) => ({ ...l }));
  t.deepEqual(ours.map((l) => [l.addr, l.length]), objdump.map((l) => [l.addr, l.length]));
  // the same text, except that objdump spells segment register 6 as %? where we print (bad)
  t.deepEqual(ours.map((l) => (l.addr === 3 ? 'mov    %?,%eax' : l.text)), objdump.map((l) => l.text));
  t.deepEqual(ours.filter((l) => l.text === '(bad)').map((l) => l.addr), [0, 1, 3]);
  t.deepEqual(ours.slice(-2).map((l) => l.text), ['.byte 0xd0', '.byte 0x8c']);
});
