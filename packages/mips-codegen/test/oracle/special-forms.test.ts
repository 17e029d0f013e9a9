// Special-instruction forms in x86-64 mode (special-forms.c): monitor/mwait, RTM, PKU, 3DNow!, the 0f 0d
// prefetch hints, clflush, movnti, cmpxchg8b/16b (every outcome and alignment), xlat, int n, privileged
// forms, far transfers, segment loads, lar/lsl/verr/verw. The CPU and the kernel are the oracle (an x86-64
// build runs natively); both runtimes must agree line for line. The "kernel" part (sgdt..smsw as Linux's
// UMIP emulation answers them, int $0x80 from 64-bit code) needs Linux with ia32 emulation: this kernel,
// or the kernel VM.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { sameAsCpu } from './hypervisor';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { linuxI386, NO_LINUX_I386, runOnLinuxI386 } = require('../../../../tools/linux-i386.cjs') as {
  linuxI386: () => 'native' | 'vm' | 'none';
  NO_LINUX_I386: string;
  runOnLinuxI386: (cwd: string, argv: string[]) => { stdout: string; status: number };
};

const CLI = resolve(__dirname, '../../../harness/bin/dbtlab.js');
const dir = testTmpDir('special-forms-');
const prog = join(dir, 'special-forms');
execFileSync('gcc', ['-m64', '-static', '-O0', '-o', prog, resolve(__dirname, 'special-forms.c')]);
const native = execFileSync(prog, { encoding: 'latin1' });

for (const runtime of ['qemu-style', 'x86tomips-style']) {
  test(`special x86-64 forms: signals, registers, flags and memory as the CPU and kernel give (${runtime})`, (t) => {
    const ours = execFileSync('node', [CLI, 'run', '--runtime', runtime, prog], { encoding: 'latin1' });
    t.true(native.split('\n').length > 200);
    sameAsCpu(t, ours, native);
  });
}

let linuxOutput: string | undefined;
const kernelTitle = (runtime: string) => `64-bit process: sgdt/sidt/sldt/str/smsw and int $0x80 as Linux gives them (${runtime})`;
for (const runtime of ['qemu-style', 'x86tomips-style']) {
  if (linuxI386() === 'none') {
    test.skip(`${kernelTitle(runtime)} ${NO_LINUX_I386}`, () => {});
    continue;
  }
  test(kernelTitle(runtime), (t) => {
    const linux = (linuxOutput ??= runOnLinuxI386(dir, ['./special-forms', 'kernel']).stdout);
    const ours = execFileSync('node', [CLI, 'run', '--runtime', runtime, prog, 'kernel'], { encoding: 'latin1' });
    t.true(linux.split('\n').length > 14);
    t.is(ours, linux);
  });
}
