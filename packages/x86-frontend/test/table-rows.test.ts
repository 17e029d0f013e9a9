// Every row of the table, encoded from its own fields and held against objdump: the table is
// the test generator (v86 style). Each row becomes one instruction (mandatory prefix, VEX/EVEX
// prefix, escape, opcode, a ModRM that satisfies the row), followed by a nop sled so objdump
// stays in step; the decoder must pick that very row, and disassembleRange must print what
// objdump prints for it.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeInsn, disassembleRange, INSN_TABLE, InsnRow, Mode } from '../src/index';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const PREFIX_BYTE = { none: [], '66': [0x66], F3: [0xf3], F2: [0xf2] } as const;
const MAP_BYTES = { one: [], '0f': [0x0f], '0f38': [0x0f, 0x38], '0f3a': [0x0f, 0x3a], wait: [0x9b] } as const;
const MAP_NUMBER = { one: 0, '0f': 1, '0f38': 2, '0f3a': 3, wait: 0 } as const;
const PP = { none: 0, '66': 1, F3: 2, F2: 3 } as const;
const SLED = 16;

/** ModRM forms that satisfy the row: memory [eax] and/or register, with its /digit and rm. */
function modrms(r: InsnRow): number[] {
  if (!r.hasModrm) return [-1];
  const reg = r.reg ?? (r.operands.some((o) => o === 'Sw') ? 3 : 1);
  const rm = r.rm ?? 2;
  const out: number[] = [];
  if (!r.regOnly && r.rm === undefined) out.push((reg << 3) | 0); // (%eax)
  if (!r.memOnly) out.push(0xc0 | (reg << 3) | rm);
  return out;
}

/** VEX.vvvv as encoded (inverted): register 1 when the row has a vvvv operand, else 1111. */
function vvvv(r: InsnRow): number {
  return r.operands.some((o) => o[0] === 'H' || o[0] === 'B') ? 0xe : 0xf;
}

function encode(r: InsnRow, modrm: number, mode: Mode): number[] {
  const w = r.rexW === true;
  const bytes: number[] = [];
  if (r.vex === 'vex') {
    // 3-byte VEX: R X B set (inverted), map, W, vvvv (register 1 if the row reads it, else unused), L, pp
    bytes.push(0xc4, 0xe0 | MAP_NUMBER[r.map], (w ? 0x80 : 0) | (vvvv(r) << 3) | ((r.vexL ?? 0) << 2) | PP[r.prefix ?? 'none']);
  } else if (r.vex === 'evex') {
    // EVEX: R X B R' set (inverted), map; W vvvv 1 pp; z=0 L'L (the row's, else 128) b=0 V'=1 aaa=0
    bytes.push(0x62, 0xf0 | MAP_NUMBER[r.map], (w ? 0x80 : 0) | (vvvv(r) << 3) | 4 | PP[r.prefix ?? 'none'], ((r.vexL ?? 0) << 5) | 8);
  } else {
    if (r.need66) bytes.push(0x66);
    bytes.push(...PREFIX_BYTE[r.prefix ?? 'none']);
    if (w && mode === 64) bytes.push(0x48);
    bytes.push(...MAP_BYTES[r.map]);
  }
  bytes.push(r.opcode);
  if (modrm >= 0) bytes.push(modrm);
  return bytes;
}

for (const mode of [32, 64] as const) {
  test(`every table row in ${mode}-bit mode decodes to itself and prints as objdump does`, (t) => {
    const cases: { row: InsnRow; at: number; bytes: number[] }[] = [];
    const code: number[] = [];
    for (const row of INSN_TABLE) {
      if ((row.mode !== undefined && row.mode !== mode) || (row.vex !== undefined && mode === 32 && row.vex === 'evex')) continue;
      if (row.rexW === true && mode === 32 && row.vex === undefined) continue;
      for (const m of modrms(row)) {
        const bytes = encode(row, m, mode);
        cases.push({ row, at: code.length, bytes });
        code.push(...bytes, ...new Array(SLED).fill(0x90));
      }
    }
    const buf = Uint8Array.from(code);
    const file = join(testTmpDir('x86-rows-'), 'rows.bin');
    writeFileSync(file, buf);
    const dump = execFileSync('objdump', ['-D', '-w', '-b', 'binary', '-m', mode === 64 ? 'i386:x86-64' : 'i386', file], {
      encoding: 'latin1', maxBuffer: 1 << 28,
    });
    const objdump = new Map<number, string>();
    for (const l of dump.split('\n')) {
      const m = /^ *([0-9a-f]+):\t[0-9a-f ]+?\s*\t(.*)$/.exec(l);
      if (m) objdump.set(parseInt(m[1], 16), m[2].trimEnd());
    }
    const ours = new Map(disassembleRange(buf, 0, mode).map((l) => [l.addr, l.text]));
    let checked = 0;
    const failures: string[] = [];
    for (const { row, at, bytes } of cases) {
      const hex = bytes.map((b) => b.toString(16).padStart(2, '0')).join(' ');
      const insn = decodeInsn(buf, at, at, mode);
      // a more specific row declared earlier may claim the encoding (0F 18 /1 is prefetcht0, not the
      // hint-nop catch-all); a later row never may
      if (insn.row !== row && INSN_TABLE.indexOf(insn.row) > INSN_TABLE.indexOf(row)) {
        failures.push(`${hex}: decoded row ${insn.row.op} '${insn.row.att}', expected ${row.op} '${row.att}'`);
        continue;
      }
      // known difference: objdump decodes the MPX forms of the 0F 1A/1B hint nops (bndldx, bndstx)
      if (row.map === '0f' && (row.opcode === 0x1a || row.opcode === 0x1b)) continue;
      // branch targets and rip comments: objdump writes 0x... when there is no symbol
      const want = (objdump.get(at) ?? '(missing)')
        .replace(/^((?:\S+ )*(?:j\w+|call\w?|jmp\w?|loop\w*|xbegin)(?:,p[nt])?\s+)0x([0-9a-f]+)$/, '$1$2')
        .replace(/# 0x([0-9a-f]+)$/, '# $1');
      if (ours.get(at) !== want) failures.push(`${hex} (${row.op}): ours "${ours.get(at)}", objdump "${want}"`);
      checked++;
    }
    t.log(`${checked} encodings from ${INSN_TABLE.length} rows`);
    t.deepEqual(failures, []);
    t.true(checked > 1000);
  });
}
