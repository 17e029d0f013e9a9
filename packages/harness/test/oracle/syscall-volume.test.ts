// Tens of thousands of system calls in one run, through every runtime configuration. Each
// qemu-style system call is an unwind out of the code cache: whatever an unwind leaks (the
// host stack frame of the prologue leaked 96 bytes each, and 256 KiB ran out after ~2,700
// calls) shows up here as a crash. The program checks itself: it prints how many of its
// getpid()/write() pairs succeeded.
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const CLI = resolve(__dirname, '../../bin/dbtlab.js');
const PAIRS = 20000;
const prog = join(testTmpDir('syscall-volume-'), 'syscall-loop');
execFileSync('gcc', ['-m32', '-static', '-O1', '-o', prog, resolve(__dirname, '../fixtures/syscall-loop.c')]);

for (const flags of [['--runtime', 'qemu-style'], ['--runtime', 'qemu-style', '--no-chain'], ['--runtime', 'x86tomips-style']]) {
  test(`${2 * PAIRS} system calls run to the end: ${flags.join(' ')}`, (t) => {
    const r = spawnSync('node', [CLI, 'run', ...flags, prog, String(PAIRS)], { encoding: 'utf8' });
    t.is(r.stderr, '');
    t.is(r.stdout, `${PAIRS} ${PAIRS}\n`);
    t.is(r.status, 0);
  });
}
