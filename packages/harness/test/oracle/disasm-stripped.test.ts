// `dbtlab disasm` against GNU objdump -d on stripped binaries, line for line (objdump's
// `<sym+off>` annotations removed, as dbtlab prints none): the workloads stripped (no symbol
// at all: branch targets print as 0x...), and the distribution's stripped i386 shared
// libraries (dynamic and synthetic @plt symbols: objdump disassembles symbol by symbol and
// prints the PLT's zero padding as `...`).
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { disasmLines } from '../../src/commands/disasm';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const WORKLOADS = join(__dirname, '../../workloads/build');
const LIBS = ['/usr/lib32/libc.so.6', '/usr/lib32/libm.so.6', '/usr/lib32/ld-linux.so.2', '/usr/lib32/libresolv.so.2'];
const tmp = testTmpDir('disasm-stripped-');

function objdumpLines(path: string): string[] {
  const out = execFileSync('objdump', ['-d', '-w', '--no-show-raw-insn', path], { maxBuffer: 1 << 30, encoding: 'latin1' });
  return out
    .split('\n')
    .filter((l) => /^\s*[0-9a-f]+:\t|^\t\.\.\.$/.test(l))
    .map((l) => l.replace(/ ?<[^>]*>/g, '').trimEnd());
}

function compare(path: string): { lines: number; mismatches: string[] } {
  const want = objdumpLines(path);
  const got = disasmLines(readFileSync(path)).map((l) => l.trimEnd());
  const mismatches: string[] = [];
  for (let i = 0; i < Math.max(want.length, got.length); i++) if (want[i] !== got[i]) mismatches.push(`objdump ${JSON.stringify(want[i])} dbtlab ${JSON.stringify(got[i])}`);
  return { lines: want.length, mismatches };
}

test('stripped workloads: every line as objdump -d prints it', (t) => {
  // CI: every fourth workload (they share most of libc)
  const files = readdirSync(WORKLOADS, { withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => e.name)
    .sort()
    .filter((_, i) => process.env.CI !== 'true' || i % 4 === 0);
  t.true(files.length > 0);
  let lines = 0;
  for (const f of files) {
    const path = join(tmp, f);
    copyFileSync(join(WORKLOADS, f), path);
    execFileSync('strip', [path]);
    const r = compare(path);
    lines += r.lines;
    t.deepEqual(r.mismatches.slice(0, 5), [], f);
  }
  t.log(`${files.length} stripped workloads, ${lines} lines`);
});

test('stripped distribution i386 libraries: every line as objdump -d prints it', (t) => {
  const libs = LIBS.filter((l) => existsSync(l));
  t.true(libs.length > 0, 'gcc-multilib provides /usr/lib32');
  for (const lib of libs) {
    const r = compare(lib);
    t.log(`${lib}: ${r.lines} lines`);
    t.deepEqual(r.mismatches.slice(0, 5), [], lib);
  }
});
