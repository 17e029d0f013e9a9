// What fldenv and frstor load (x87-envload.c): the whole environment, pointers included, in the
// 32-bit and 16-bit (data16) images, and the #MF (SIGFPE) an image with an unmasked pending
// exception brings at the next waiting instruction (si_addr at the fwait), and images running into an
// unmapped page (SIGSEGV; the FPU and the memory unchanged). The -m32 and -m64 builds run natively (the
// oracle) and through both runtimes, byte for byte.
import test from 'ava';
import { buildProbe, RUNTIMES, runDbtlabAsync, runNative, testTmpDir } from './probe-program';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { i386RunsNatively } = require('../../../../tools/host-runs-i386.cjs') as { i386RunsNatively: () => boolean };

const dir = testTmpDir('x87-envload-');

for (const bits of [64, 32] as const) {
  const title = (runtime: string) => `fldenv/frstor load the whole x87 environment, 16-bit images, #MF after the load, page faults: the ${bits}-bit build in ${runtime} as natively`;
  if (bits === 32 && !i386RunsNatively()) {
    test.skip(title('both runtimes') + ' (i386 does not run natively here)', () => {});
    continue;
  }
  const prog = buildProbe(dir, 'x87-envload', bits, ['-O1']);
  const native = runNative(prog);
  for (const runtime of RUNTIMES)
    test(title(runtime), async (t) => {
      t.regex(native, /fldenv ZE unmasked +signal 8 code 3 at fwait 1/);
      t.regex(native, /fldenv 4 bytes mapped: signal 11 code 1 fcw 037f/);
      t.is(await runDbtlabAsync(runtime, prog), native);
    });
}
