// pusha/pushaw and enter whose stack slots meet a read-only or unmapped page (stack-multi-store.c):
// which slots are written and where the fault is, as the CPU gives them. The -m64 build runs natively;
// the -m32 build natively too when this machine runs i386 programs, else the runtimes are held to
// each other and the lines the builds share (the 16-bit enter) to x86-64's. Both runtimes.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { i386RunsNatively } = require('../../../../tools/host-runs-i386.cjs') as { i386RunsNatively: () => boolean };

const CLI = resolve(__dirname, '../../../harness/bin/dbtlab.js');
const dir = testTmpDir('stack-multi-store-');
const build = (bits: 32 | 64): string => {
  const out = join(dir, `stack-multi-store-${bits}`);
  execFileSync('gcc', [`-m${bits}`, '-static', '-O1', '-o', out, resolve(__dirname, 'stack-multi-store.c')]);
  return out;
};
const progs = { 32: build(32), 64: build(64) };
const native64 = execFileSync(progs[64], { encoding: 'latin1' });
const native32 = i386RunsNatively() ? execFileSync(progs[32], { encoding: 'latin1' }) : undefined;
const run = (runtime: string, bits: 32 | 64): string => execFileSync('node', [CLI, 'run', '--runtime', runtime, progs[bits]], { encoding: 'latin1' });
const enterw = (out: string): string[] => out.split('\n').filter((l) => l.includes(' enterw_3 '));
const ours32: Record<string, string> = {};

for (const runtime of ['qemu-style', 'x86tomips-style']) {
  test(`x86-64 enter against a bad page: its slots and the probe of the final stack pointer as natively (${runtime})`, (t) => {
    // the probe's fault, after the slots were written, and a frame that fits
    t.true(native64.includes('read-only lower enter_1 k=0: code 2 addr -16: 08 20 00 50 00 00 00 00 00 08 00 50'));
    t.is(run(runtime, 64), native64);
  });
  test(`i386 pusha and enter against a bad page as natively (${runtime})`, (t) => {
    const ours = (ours32[runtime] = run(runtime, 32));
    t.deepEqual(enterw(ours), enterw(native64));
    if (!native32) {
      t.log('i386 programs do not run natively here: the runtimes are held to each other');
      const other = ours32[runtime === 'qemu-style' ? 'x86tomips-style' : 'qemu-style'];
      if (other) t.is(ours, other);
      return;
    }
    // pusha: the pushes from the top that fit stay written
    t.true(native32.includes('read-only lower pusha32 k=1: code 2 addr -1: a0 a1 a2 55 55 55 55 00 08 00 50 1f 20 00 50 44'));
    t.is(ours, native32);
  });
}
