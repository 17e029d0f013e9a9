// Fixtures: test/fixtures/<case>/insn.s is assembled with GNU as; expected.objdump is what GNU
// objdump printed for it when the case was accepted (ACCEPT=1 rewrites it from objdump, never
// by hand). Each run checks that objdump still prints exactly that, and that we print it too:
// same length (bytes) and same text (symbols stripped) for every instruction.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeInsn, DecodeError, formatAtt } from '../src/index';
import { execSections } from './oracle/objdump-oracle';

const FIXTURES = join(__dirname, 'fixtures');
const LINE = /^ *([0-9a-f]+):\t([0-9a-f ]+?) *\t(.*)$/;
const tmp = mkdtempSync(join(tmpdir(), 'x86-fixtures-'));

for (const name of readdirSync(FIXTURES).sort()) {
  test(name, (t) => {
    const mode = name.startsWith('x86-64') ? 64 : 32;
    const obj = join(tmp, `${name}.o`);
    execFileSync('as', [mode === 64 ? '--64' : '--32', '-o', obj, join(FIXTURES, name, 'insn.s')]);
    const dump = execFileSync('objdump', ['-d', '-w', obj], { encoding: 'latin1' });
    const listing = dump.slice(dump.indexOf('Disassembly of section'));
    const expectedFile = join(FIXTURES, name, 'expected.objdump');
    if (process.env.ACCEPT) writeFileSync(expectedFile, listing);
    const expected = readFileSync(expectedFile, 'latin1');
    t.is(listing, expected, 'objdump output changed: review, then ACCEPT=1');

    const text = execSections(readFileSync(obj)).find((s) => s.name === '.text');
    if (!text) throw new Error('no .text');
    let n = 0;
    for (const line of expected.split('\n')) {
      const m = LINE.exec(line);
      if (!m) continue;
      const off = parseInt(m[1], 16);
      const text0 = m[3].replace(/ ?<[^>]*>/g, '').trimEnd();
      let got: string;
      let len: number;
      let want = text0;
      try {
        const insn = decodeInsn(text.data, off, off, mode);
        got = formatAtt(insn);
        len = insn.length;
        // with no symbol to name it, objdump writes a branch target as 0x...; we always write bare hex
        if (insn.target !== undefined) want = want.replace(/0x([0-9a-f]+)$/, '$1');
        want = want.replace(/# 0x([0-9a-f]+)$/, '# $1');
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
        got = '(bad)';
        len = e.bytes.length;
      }
      t.is(len, m[2].split(' ').length, `length at ${m[1]}: ${m[2]}`);
      t.is(got, want, `text at ${m[1]}: ${m[2]}`);
      n++;
    }
    t.true(n > 50);
  });
}
