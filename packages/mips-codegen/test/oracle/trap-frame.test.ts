// sigcontext's trapno, err and cr2 for every kind of synchronous exception (trap-frame.c): the same
// for an x86-64 and an i386 process, so a native x86-64 run is the oracle for both builds, through
// both runtimes. The i386-only forms (bound, into, segment loads of i386) are checked against Linux
// itself where it runs i386 programs: natively, or in the kernel VM (tools/kernel-vm.sh).
import test from 'ava';
import { buildProbe, RUNTIMES, runDbtlab, runNative, testTmpDir } from './probe-program';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { i386RunsNatively } = require('../../../../tools/host-runs-i386.cjs') as { i386RunsNatively: () => boolean };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kernelVm = require('../../../../tools/kernel-vm.cjs') as {
  kernelVmAvailable: () => boolean;
  runOnLinux: (cwd: string, argv: string[]) => { stdout: string; status: number };
};

const dir = testTmpDir('trap-frame-');
const prog64 = buildProbe(dir, 'trap-frame', 64);
const prog32 = buildProbe(dir, 'trap-frame', 32);
const native = runNative(prog64);
const dbtlab = (runtime: string, prog: string, ...args: string[]): string => runDbtlab(runtime, prog, args, 'max');

// CI mode runs each build in one runtime (the 64-bit one in qemu-style, the 32-bit one in x86tomips-style)
const sampled = process.env.CI === 'true';
for (const runtime of RUNTIMES) {
  for (const [bits, prog] of [[64, prog64], [32, prog32]] as const) {
    if (sampled && (bits === 64) !== (runtime === 'qemu-style')) continue;
    test(`trapno, err and cr2 of page faults, int n (every vector), traps and bad selectors: the ${bits}-bit build in ${runtime} gives native x86-64's`, (t) => {
      t.true(native.split('\n').length > 250);
      t.is(dbtlab(runtime, prog), native);
    });
  }
  const i386 = i386RunsNatively()
    ? { name: 'native', run: () => runNative(prog32, ['i386']) }
    : kernelVm.kernelVmAvailable()
      ? { name: 'Linux in the kernel VM', run: () => kernelVm.runOnLinux(dir, ['./trap-frame-32', 'i386']).stdout }
      : undefined;
  const title = `trapno and err of the i386-only forms (bound, into, segment loads) in ${runtime}: as ${i386?.name ?? 'Linux (none here: no i386 kernel, no kernel VM)'} gives`;
  if (!i386) test.skip(title, () => {});
  else
    test(title, (t) => {
      const expected = i386.run();
      t.true(expected.split('\n').length > 6);
      t.is(dbtlab(runtime, prog32, 'i386'), expected);
    });
}
