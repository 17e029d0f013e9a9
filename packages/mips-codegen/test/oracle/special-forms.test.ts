// Special-instruction forms in x86-64 mode (special-forms.c): monitor/mwait, RTM, PKU, 3DNow!, the 0f 0d
// prefetch hints, clflush, movnti, cmpxchg8b/16b (every outcome and alignment), xlat, int n, privileged
// forms, far transfers, segment loads, lar/lsl/verr/verw. The CPU and the kernel are the oracle (an x86-64
// build runs natively); both runtimes must agree line for line. The "kernel" part (sgdt..smsw as Linux's
// UMIP emulation answers them, int $0x80 from 64-bit code) needs Linux with ia32 emulation: this kernel,
// or the kernel VM.
import test from 'ava';
import { sameAsCpu } from './hypervisor';
import { buildProbe, RUNTIMES, runDbtlab, runNative, testTmpDir } from './probe-program';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { linuxI386, NO_LINUX_I386, runOnLinuxI386 } = require('../../../../tools/linux-i386.cjs') as {
  linuxI386: () => 'native' | 'vm' | 'none';
  NO_LINUX_I386: string;
  runOnLinuxI386: (cwd: string, argv: string[]) => { stdout: string; status: number };
};

const dir = testTmpDir('special-forms-');
const prog = buildProbe(dir, 'special-forms', 64);
const native = runNative(prog);

for (const runtime of RUNTIMES) {
  test(`special x86-64 forms: signals, registers, flags and memory as the CPU and kernel give (${runtime})`, (t) => {
    const ours = runDbtlab(runtime, prog);
    t.true(native.split('\n').length > 200);
    sameAsCpu(t, ours, native);
  });
}

let linuxOutput: string | undefined;
const kernelTitle = (runtime: string) => `64-bit process: sgdt/sidt/sldt/str/smsw and int $0x80 as Linux gives them (${runtime})`;
for (const runtime of RUNTIMES) {
  if (linuxI386() === 'none') {
    test.skip(`${kernelTitle(runtime)} ${NO_LINUX_I386}`, () => {});
    continue;
  }
  test(kernelTitle(runtime), (t) => {
    const linux = (linuxOutput ??= runOnLinuxI386(dir, ['./special-forms-64', 'kernel']).stdout);
    const ours = runDbtlab(runtime, prog, ['kernel']);
    t.true(linux.split('\n').length > 14);
    t.is(ours, linux);
  });
}
