// The FPU/SSE state of i386 signal frames against Linux's own i386 ABI (this kernel or
// the kernel VM of tools/kernel-vm.sh): test/fixtures/i386-sigframe-fpu.c prints the fsave header and fxsave
// image of an rt and a plain frame and changes ST0, the control word, XMM5 and MXCSR in them;
// dbtlab's output through both runtimes must equal the kernel's byte for byte.
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { linuxI386, NO_LINUX_I386, runOnLinuxI386 } = require('../../../../tools/linux-i386.cjs') as {
  linuxI386: () => 'native' | 'vm' | 'none';
  NO_LINUX_I386: string;
  runOnLinuxI386: (cwd: string, argv: string[]) => { stdout: string; stderr: string; status: number };
};
const cli = join(__dirname, '..', '..', 'bin', 'dbtlab.js');
const define = linuxI386() !== 'none' ? test : test.skip;

define(`i386 rt and plain frames carry the fsave header and fxsave image as Linux lays them out, and sigreturn restores them${linuxI386() === 'none' ? ` ${NO_LINUX_I386}` : ''}`, (t) => {
  const dir = testTmpDir('dbtlab-sigfpu-');
  const exe = join(dir, 'i386-sigframe-fpu');
  execFileSync('gcc', ['-m32', '-static', '-O2', '-fno-pie', '-no-pie', join(__dirname, '..', 'fixtures', 'i386-sigframe-fpu.c'), '-o', exe]);
  const linux = runOnLinuxI386(dir, [exe]);
  t.is(linux.status, 0);
  t.regex(linux.stdout, /^rt frame: sig 11 code 1 addr 0x1000 uc_flags 0\n {2}fpstate - context 132/);
  for (const runtime of ['qemu-style', 'x86tomips-style']) {
    const r = spawnSync('node', [cli, 'run', '--runtime', runtime, '--cpu', 'core2duo', exe], { cwd: dir, encoding: 'latin1' });
    t.is(r.stderr, '', runtime);
    t.is(r.stdout, linux.stdout, runtime);
    t.is(r.status, linux.status, runtime);
  }
});
