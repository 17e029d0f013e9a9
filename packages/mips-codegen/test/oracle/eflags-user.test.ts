// NT, AC and ID, the EFLAGS bits user code may change besides the arithmetic ones and DF/TF:
// popf/popfw (the 16-bit form keeps the upper half), a system call, a signal's saved context and
// sigreturn (which takes AC but not NT or ID from it), iret with NT set (#GP: no task return in
// IA-32e mode). -m64 held to native x86-64, -m32 to Linux i386 (natively or in the kernel VM).
import test from 'ava';
import { buildProbe, RUNTIMES, runDbtlab, runNative, testTmpDir } from './probe-program';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { linuxI386, runOnLinuxI386, NO_LINUX_I386 } = require('../../../../tools/linux-i386.cjs') as {
  linuxI386: () => 'native' | 'vm' | 'none';
  runOnLinuxI386: (cwd: string, argv: string[]) => { stdout: string; status: number };
  NO_LINUX_I386: string;
};

const dir = testTmpDir('eflags-user-');
const oracles: Record<32 | 64, () => string> = {
  64: () => runNative(buildProbe(dir, 'eflags-user', 64, ['-O1'])),
  32: () => {
    buildProbe(dir, 'eflags-user', 32, ['-O1']);
    const r = runOnLinuxI386(dir, ['./eflags-user-32']);
    if (r.status !== 0) throw new Error(`eflags-user-32 exited ${r.status} on Linux i386`);
    return r.stdout;
  },
};
const expected: Partial<Record<32 | 64, string>> = {};

for (const bits of [32, 64] as const) {
  for (const runtime of RUNTIMES) {
    const title = `NT, AC and ID through popf, popfw, system calls, signals and iret (-m${bits}, ${runtime}) as natively`;
    if (bits === 32 && linuxI386() === 'none') {
      test.skip(`${title} ${NO_LINUX_I386}`, () => {});
      continue;
    }
    test(title, (t) => {
      const want = (expected[bits] ??= oracles[bits]());
      t.is(want.split('\n').length, bits === 32 ? 18 : 15);
      t.is(runDbtlab(runtime, `${dir}/eflags-user-${bits}`), want);
    });
  }
}
