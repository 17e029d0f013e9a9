// The glibc workloads dynamically linked (workloads/build/dyn/<name>: PIE through
// /lib/ld-linux.so.2 and the host's i386 multiarch libraries, no -L): the native run of the
// dynamic binary prints what the static one printed (ref/<name>), and so does each runtime,
// byte for byte (stdout, stderr, status). CI=true runs every third one through one runtime,
// alternating (the native checks all).
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join, resolve } from 'node:path';
import { runCaptured } from '../../src/capture';
import { createScheme, RUNTIME_NAMES } from '../../src/runtimes';
import { refOutput, WORKLOADS } from '../../src/workloads';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const DYN_DIR = resolve(__dirname, '..', '..', 'workloads', 'build', 'dyn');
const tmp = testTmpDir('dbtlab-dyn-');
const ci = process.env.CI === 'true';

for (const [i, w] of WORKLOADS.filter((x) => x.kind === 'glibc').entries()) {
  const argv0 = `./${w.name}`;
  const ref = refOutput(w.name);
  test(`${w.name} (dynamic): the native run prints ref/${w.name}`, (t) => {
    const n = spawnSync(argv0, [...w.args], { cwd: DYN_DIR, env: {}, input: w.stdin ?? '' });
    t.is(n.status ?? 128 + constants.signals[n.signal!], ref.status);
    t.is(n.stdout.toString('latin1'), ref.stdout.toString('latin1'));
    t.is(n.stderr.toString('latin1'), ref.stderr.toString('latin1'));
  });
  for (const rt of !ci ? RUNTIME_NAMES : i % 3 === 0 ? [RUNTIME_NAMES[(i / 3) % RUNTIME_NAMES.length]] : []) {
    test(`${w.name} (dynamic) through ${rt}: byte-identical to native`, (t) => {
      const stdinFile = join(tmp, `${w.name}.stdin`);
      writeFileSync(stdinFile, w.stdin ?? '');
      const r = runCaptured(createScheme(rt, {}), { elf: argv0, argv: [argv0, ...w.args], envp: [], cwd: DYN_DIR, deterministicClock: true }, stdinFile);
      t.is(r.error, undefined);
      t.is(r.status, ref.status);
      t.is(r.stdout.toString('latin1'), ref.stdout.toString('latin1'));
      t.is(r.stderr.toString('latin1'), ref.stderr.toString('latin1'));
      t.true(r.stats.syscalls > 20, 'start-up through ld.so: openat/mmap2/mprotect per library');
    });
  }
}
