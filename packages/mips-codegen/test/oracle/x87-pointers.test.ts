// The x87 instruction and data pointers (FIP, FCS, FDP, FDS, FOP) in fnstenv and fxsave/fxsave64
// images (x87-pointers.c): a PIE x86-64 build (64-bit addresses, fxsave64's 64-bit FIP and FDP) and
// an i386 build, run natively (the CPU is the oracle) and through both runtimes, line for line.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { i386RunsNatively } = require('../../../../tools/host-runs-i386.cjs') as { i386RunsNatively: () => boolean };

const CLI = resolve(__dirname, '../../../harness/bin/dbtlab.js');
const dir = testTmpDir('x87-pointers-');

for (const bits of [64, 32]) {
  const prog = join(dir, `x87-pointers${bits}`);
  const title = (runtime: string) => `x87 FIP/FCS/FDP/FDS/FOP in fnstenv and fxsave images: the ${bits}-bit build in ${runtime} as natively`;
  if (bits === 32 && !i386RunsNatively()) {
    test.skip(title('both runtimes') + ' (i386 does not run natively here)', () => {});
    continue;
  }
  execFileSync('gcc', [`-m${bits}`, '-O1', '-fpie', '-pie', '-o', prog, resolve(__dirname, 'x87-pointers.c')]);
  const native = execFileSync(prog, { encoding: 'latin1' });
  for (const runtime of ['qemu-style', 'x86tomips-style']) {
    test(title(runtime), (t) => {
      t.true(native.split('\n').length > 14);
      t.is(execFileSync('node', [CLI, 'run', '--runtime', runtime, prog], { encoding: 'latin1' }), native);
    });
  }
}
