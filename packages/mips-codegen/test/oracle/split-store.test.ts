// Stores crossing from a writable page into a read-only or unmapped one (split-store.c): x86 writes
// nothing when any byte faults, and reports the second page's first byte. The x86-64 build run
// natively is the oracle for itself and, line for line, for the i386 build's forms both builds have;
// the i386-only forms (push/pushw/call) are checked against Linux running the i386 build (this kernel, or
// the kernel VM: there only those forms, since the VM's CPU is QEMU's TCG, whose fstpt and fbstp write part
// of a crossing store; natively the whole output).
// Both runtimes.
import test from 'ava';
import { buildProbe, RUNTIMES, runDbtlab, runNative, testTmpDir } from './probe-program';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { linuxI386, NO_LINUX_I386, runOnLinuxI386 } = require('../../../../tools/linux-i386.cjs') as {
  linuxI386: () => 'native' | 'vm' | 'none';
  NO_LINUX_I386: string;
  runOnLinuxI386: (cwd: string, argv: string[]) => { stdout: string; status: number };
};

const dir = testTmpDir('split-store-');
const progs = { i386: buildProbe(dir, 'split-store', 32, ['-O1']), x86_64: buildProbe(dir, 'split-store', 64, ['-O1']) };
const native = runNative(progs.x86_64);
// the forms both builds have: every line but the stack forms and the x86-64-only 64-bit ones
const common = (out: string): string[] => out.split('\n').filter((l) => !/ (push|call)\d+ |64 k=/.test(l));
const stackForms = (out: string): string[] => out.split('\n').filter((l) => / (push|call)\d+ /.test(l));
let linux: string | undefined;

for (const runtime of RUNTIMES) {
  test(`x86-64 stores crossing into a read-only or unmapped page write nothing, as natively (${runtime})`, (t) => {
    const ours = runDbtlab(runtime, progs.x86_64);
    t.true(native.split('\n').length > 150);
    t.true(native.includes('unmapped cmpxchg8b k=5: code 1 addr +0:'));
    t.is(ours, native);
  });
  test(`i386 stores crossing into a read-only or unmapped page write nothing, as x86-64 natively and Linux i386 (${runtime})`, (t) => {
    const ours = runDbtlab(runtime, progs.i386);
    t.deepEqual(common(ours), common(native));
    if (linuxI386() === 'none') {
      t.log(`push/call forms checked for agreement between runtimes only ${NO_LINUX_I386}`);
      return;
    }
    linux ??= runOnLinuxI386(dir, [progs.i386]).stdout;
    t.true(linux.includes('read-only push16 k=1: code 2 addr +0:'));
    if (linuxI386() === 'native') t.is(ours, linux);
    else t.deepEqual(stackForms(ours), stackForms(linux));
  });
}
