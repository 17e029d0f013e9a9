// The trap flag single step (trap-flag.c): every SIGTRAP a TF-stepped program gets, with its
// eip, si_addr, si_code, trapno and saved flags, over popf, system calls, branches, call/ret,
// a handler clearing TF and a sigreturn setting it. Native is the oracle for each mode; both
// runtimes must print the same.
import test from 'ava';
import { buildProbe, RUNTIMES, runDbtlabAsync, runNative, testTmpDir } from './probe-program';

const dir = testTmpDir('trap-flag-');

for (const bits of [32, 64] as const) {
  const prog = buildProbe(dir, 'trap-flag', bits);
  const native = runNative(prog);
  for (const runtime of RUNTIMES)
    test(`TF single step: native and ${runtime} (-m${bits}) agree`, async (t) => {
      // the native run must itself have stepped (10 traps in the straight-line case)
      t.regex(native, /^straight: 10 traps, a 6, pushf tf 1$/m);
      t.is(await runDbtlabAsync(runtime, prog), native);
    });
}
