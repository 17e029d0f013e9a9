// Code segments other than the flat 32-bit one (modify_ldt's 16-bit code segment, a based 32-bit one,
// a 16-bit data segment): far call/jmp/ret between them and flat code, 16-bit operand and address
// size by default (66/67 for 32-bit), near branches that keep IP to 16 bits (also 66-prefixed ones in
// flat code), faults and traps inside the 16-bit segment and sigreturn back into it. The probe's
// output in both runtimes must be Linux i386's (natively or in the kernel VM) byte for byte.
import test from 'ava';
import { buildProbe, RUNTIMES, runDbtlab, testTmpDir } from './probe-program';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { linuxI386, runOnLinuxI386, NO_LINUX_I386 } = require('../../../../tools/linux-i386.cjs') as {
  linuxI386: () => 'native' | 'vm' | 'none';
  runOnLinuxI386: (cwd: string, argv: string[]) => { stdout: string; status: number };
  NO_LINUX_I386: string;
};

const dir = testTmpDir('code16-probe-');
const prog = buildProbe(dir, 'code16-probe', 32, ['-O1']);
let expected: string | undefined;

for (const runtime of RUNTIMES) {
  const title = `16-bit and based code segments: ${runtime} gives what Linux i386 gives`;
  if (linuxI386() === 'none') {
    test.skip(`${title} ${NO_LINUX_I386}`, () => {});
    continue;
  }
  test(title, (t) => {
    if (expected === undefined) {
      const r = runOnLinuxI386(dir, ['./code16-probe-32']);
      t.is(r.status, 0);
      expected = r.stdout;
    }
    t.is(expected.split('\n').length, 21);
    t.is(runDbtlab(runtime, prog), expected);
  });
}
