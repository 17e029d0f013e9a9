// Fixtures: test/fixtures/<case>/insn.s is assembled with GNU as; expected.objdump is what GNU
// objdump printed for it when the case was accepted (ACCEPT=1 rewrites it from objdump, never
// by hand). Each run checks that objdump still prints exactly that, and that we print it too:
// disassembleRange gives the same lines: boundaries, lengths and text (symbols stripped).
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { disassembleRange } from '../src/index';
import { execSections } from './oracle/objdump-oracle';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const FIXTURES = join(__dirname, 'fixtures');
const LINE = /^ *([0-9a-f]+):\t([0-9a-f ]+?) *\t(.*)$/;
const BRANCH_0X = /^((?:\S+ )*(?:j\w+|call\w?|jmp\w?|loop\w*|xbegin)(?:,p[nt])?\s+)0x([0-9a-f]+)$/;
const tmp = testTmpDir('x86-fixtures-');

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
    const ours = disassembleRange(text.data, 0, mode);
    const theirs = expected.split('\n').map((l) => LINE.exec(l)).filter((m): m is RegExpExecArray => m !== null);
    t.deepEqual(ours.map((l) => l.addr.toString(16)), theirs.map((m) => m[1]), 'instruction boundaries');
    let n = 0;
    for (const [i, m] of theirs.entries()) {
      // symbols stripped; with no symbol to name it objdump writes an address as 0x..., we write bare hex
      const want = m[3].replace(/ ?<[^>]*>/g, '').trimEnd().replace(BRANCH_0X, '$1$2').replace(/# 0x([0-9a-f]+)$/, '# $1');
      t.is(ours[i]?.length, m[2].split(' ').length, `length at ${m[1]}: ${m[2]}`);
      t.is(ours[i]?.text, want, `text at ${m[1]}: ${m[2]}`);
      n++;
    }
    t.true(n > 20);
  });
}
