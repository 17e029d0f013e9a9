// x86-64 signal frames against the real kernel on this machine: a page fault, ud2, a divide
// by zero, int3, kill() by a raw syscall and a handler that drops the FPU state, each with
// every general register, XMM0-15, MXCSR and the x87 stack loaded with known values; the
// handler prints siginfo and the whole ucontext (registers, eflags, err/trapno/cr2, masks,
// the fxsave image and the frame's layout) and changes registers, flags, XMM5, MXCSR and ST0,
// which rt_sigreturn must bring back. Then an alternate-stack handler. Output byte-identical
// to the native run through both runtimes.
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const dir = testTmpDir('dbtlab-x64sig-');
const prog = join(dir, 'x86-64-sigframe');
execFileSync('gcc', ['-m64', '-static', '-O2', '-fno-pie', '-no-pie', join(__dirname, 'fixtures', 'x86-64-sigframe.c'), '-o', prog]);
const cli = join(__dirname, '..', 'bin', 'dbtlab.js');
const native = spawnSync(prog, [], { encoding: 'latin1' });

for (const runtime of ['qemu-style', 'x86tomips-style']) {
  test(`x86-64 signal frames through ${runtime}: the handler sees and restores what the kernel gives`, (t) => {
    t.is(native.status, 0);
    t.regex(native.stdout, /^kind 0: sig 11 signo 11 errno 0 code 1 addr 0x1000\n/);
    const r = spawnSync('node', [cli, 'run', '--runtime', runtime, prog], { encoding: 'latin1' });
    t.is(r.stderr, '');
    t.is(r.stdout, native.stdout);
    t.is(r.status, native.status);
  });
}
