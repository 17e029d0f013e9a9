// %es/%ss/%ds/%fs/%gs with bases of their own (modify_ldt descriptors), through every addressing
// form and override prefix (segment-forms.ts generates the program): the base each access uses, as
// the CPU picks it. i386, held to native when this machine runs i386 programs, else the runtimes to
// each other. Both runtimes (-cpu max: the SSE2 forms). CI runs every case too: one process of 905.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { segmentProgram } from './segment-forms';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { i386RunsNatively } = require('../../../../tools/host-runs-i386.cjs') as { i386RunsNatively: () => boolean };

const CLI = resolve(__dirname, '../../../harness/bin/dbtlab.js');
const dir = testTmpDir('segment-bases-');
const src = join(dir, 'segment-bases.c');
const prog = join(dir, 'segment-bases');
writeFileSync(src, segmentProgram());
execFileSync('gcc', ['-m32', '-static', '-O1', '-o', prog, src]);
const native = i386RunsNatively() ? execFileSync(prog, { encoding: 'latin1' }) : undefined;
const ours: Record<string, string> = {};

for (const runtime of ['qemu-style', 'x86tomips-style']) {
  test(`every addressing form adds the base of its segment, default or override, as natively (${runtime})`, (t) => {
    const out = (ours[runtime] = execFileSync('node', [CLI, 'run', '--runtime', runtime, '-cpu', 'max', prog], { encoding: 'latin1' }));
    if (!native) {
      t.log('i386 programs do not run natively here: the runtimes are held to each other');
      const other = ours[runtime === 'qemu-style' ? 'x86tomips-style' : 'qemu-style'];
      if (other) t.is(out, other);
      t.true(out.split('\n').length > 800);
      return;
    }
    t.true(native.split('\n').length > 800);
    t.is(out, native);
  });
}
