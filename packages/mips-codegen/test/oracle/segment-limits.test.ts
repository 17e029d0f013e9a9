// Data segment limits and types (modify_ldt's expand-up, expand-down, read-only and page-granular
// segments, a limited %ss): accesses within, at and across the limit (multi-byte operands, MMX/SSE/x87,
// read-modify-write, push/pop of memory), string instructions stopping mid-way, pushes, pops, enter
// and pusha against a limited stack segment: #GP is SIGSEGV and #SS SIGBUS (si_code SI_KERNEL, no
// address), precise. The probe's output in both runtimes must be Linux i386's byte for byte.
import test from 'ava';
import { buildProbe, RUNTIMES, runDbtlab, testTmpDir } from './probe-program';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { linuxI386, runOnLinuxI386, NO_LINUX_I386 } = require('../../../../tools/linux-i386.cjs') as {
  linuxI386: () => 'native' | 'vm' | 'none';
  runOnLinuxI386: (cwd: string, argv: string[]) => { stdout: string; status: number };
  NO_LINUX_I386: string;
};

const dir = testTmpDir('segment-limits-');
const prog = buildProbe(dir, 'segment-limits', 32, ['-O1']);
let expected: string | undefined;

for (const runtime of RUNTIMES) {
  const title = `data segment limits, expand-down and read-only segments: ${runtime} gives what Linux i386 gives`;
  if (linuxI386() === 'none') {
    test.skip(`${title} ${NO_LINUX_I386}`, () => {});
    continue;
  }
  test(title, (t) => {
    if (expected === undefined) {
      const r = runOnLinuxI386(dir, ['./segment-limits-32']);
      t.is(r.status, 0);
      expected = r.stdout;
    }
    t.is(expected.split('\n').length, 267);
    // MMX, SSE2 and x87 operands too: a CPU model with SSE2
    t.is(runDbtlab(runtime, prog, [], 'max'), expected);
  });
}
