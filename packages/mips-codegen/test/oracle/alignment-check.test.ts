// Alignment checking (EFLAGS.AC set by popf or iret, CR0.AM on as Linux keeps it): unaligned integer,
// MMX/SSE, x87 (the fnstenv/fnsave areas at their operand size), fxsave (#AC, then its #GP), string,
// stack and read-modify-write accesses at offsets 0..15 are #AC (SIGBUS BUS_ADRALN, no address,
// trapno 17) where the CPU gives it, the handler running with AC still set.
// The probe's output in both runtimes must be Linux i386's byte for byte.
import test from 'ava';
import { buildProbe, RUNTIMES, runDbtlab, testTmpDir } from './probe-program';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { linuxI386, runOnLinuxI386, NO_LINUX_I386 } = require('../../../../tools/linux-i386.cjs') as {
  linuxI386: () => 'native' | 'vm' | 'none';
  runOnLinuxI386: (cwd: string, argv: string[]) => { stdout: string; status: number };
  NO_LINUX_I386: string;
};

const dir = testTmpDir('alignment-check-');
const prog = buildProbe(dir, 'alignment-check', 32, ['-O1']);
let expected: string | undefined;

for (const runtime of RUNTIMES) {
  const title = `alignment checking with EFLAGS.AC: ${runtime} gives what Linux i386 gives`;
  if (linuxI386() === 'none') {
    test.skip(`${title} ${NO_LINUX_I386}`, () => {});
    continue;
  }
  test(title, (t) => {
    if (expected === undefined) {
      const r = runOnLinuxI386(dir, ['./alignment-check-32']);
      t.is(r.status, 0);
      expected = r.stdout;
    }
    t.is(expected.split('\n').length, 35);
    // MMX, SSE2 and x87 operands too: a CPU model with SSE2
    t.is(runDbtlab(runtime, prog, [], 'max'), expected);
  });
}
