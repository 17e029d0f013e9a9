// Segment-descriptor instructions (lar/lsl/verr/verw, segment loads, arpl, sgdt/sidt/smsw/
// sldt/str, far jmp/call/ret, iret) against Linux's answers for a 32-bit process: the probe's
// report natively and through both runtimes must be identical. Where this kernel runs no i386
// program, the "desc" part runs on Linux in the kernel VM (tools/kernel-vm.sh), and the "far"
// part under qemu-i386: the VM's CPU is QEMU's TCG, whose lcall/lret/iret in compatibility
// mode pop the stack as the kernel (SMAP) and get the process killed (a QEMU bug, measured).
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { buildProbe, CLI, RUNTIMES, runDbtlab, runNative, testTmpDir } from './probe-program';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { i386RunsNatively } = require('../../../../tools/host-runs-i386.cjs') as { i386RunsNatively: () => boolean };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const kernelVm = require('../../../../tools/kernel-vm.cjs') as {
  kernelVmAvailable: () => boolean;
  runOnLinux: (cwd: string, argv: string[]) => { stdout: string; status: number };
};

const dir = testTmpDir('segment-probe-');
const prog = buildProbe(dir, 'segment-probe', 32, ['-O1']);

const native = i386RunsNatively();
const oracles: Record<string, { name: string; run?: () => string }> = {
  desc: native
    ? // on CPU 0, the one dbtlab's guest runs on: lsl of the CPUNODE entry gives the CPU's number
      { name: 'native', run: () => runNative('taskset', ['-c', '0', prog, 'desc']) }
    : kernelVm.kernelVmAvailable()
      ? { name: 'Linux in the kernel VM', run: () => kernelVm.runOnLinux(dir, ['./segment-probe-32', 'desc']).stdout }
      : { name: 'none: neither this kernel nor the kernel VM (tools/kernel-vm.sh fetch) runs i386' },
  far: { name: native ? 'native' : 'qemu-i386', run: () => runNative(prog, ['far']) },
};

for (const [part, oracle] of Object.entries(oracles)) {
  for (const runtime of RUNTIMES) {
    const title = `segment probe "${part}": ${runtime} gives what ${oracle.name} gives`;
    if (!oracle.run) {
      test.skip(title, () => {});
      continue;
    }
    const run = oracle.run;
    test(title, (t) => {
      const expected = run();
      const ours = runDbtlab(runtime, prog, [part], 'max');
      t.true(expected.split('\n').length > (part === 'desc' ? 250 : 60));
      t.is(ours, expected);
    });
  }
}

test('a far jump to the 64-bit code segment is a one-line exit 125 (dbtlab runs one mode per process)', (t) => {
  const r = spawnSync('node', [CLI, 'run', prog, 'long'], { encoding: 'latin1' });
  t.is(r.status, 125);
  t.regex(r.stderr, /^dbtlab: internal error: a far transfer to the 64-bit code segment 0x33 is not supported\n$/);
});
