// This machine's own dynamic x86-64 programs (coreutils, with /lib64/ld-linux-x86-64.so.2 and
// the host's libraries, no -L) on fixed inputs, run natively (the oracle) and through both
// runtimes: stdout, stderr and exit status byte for byte. CI runs every other case, qemu-style only.
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const dir = testTmpDir('dbtlab-host64-');
const cli = join(__dirname, '..', '..', 'bin', 'dbtlab.js');
writeFileSync(join(dir, 'words'), 'pear\napple\nfig\n10\n9\nApple\nbanana\n');
writeFileSync(join(dir, 'b'), 'second file\n');

/** [label, argv, stdin]: every path relative to the temporary directory. */
const CASES: Array<[string, string[], string]> = [
  ['true', ['/bin/true'], ''],
  ['false', ['/bin/false'], ''],
  ['echo', ['/bin/echo', '-e', 'a\\tb', 'c'], ''],
  ['cat', ['/bin/cat', 'words', '-', 'b'], 'from stdin\n'],
  ['cat of a missing file', ['/bin/cat', 'missing'], ''],
  ['sort', ['/usr/bin/sort', 'words'], ''],
  ['sort -n -r from stdin', ['/usr/bin/sort', '-n', '-r'], '3\n11\n2\n'],
  ['ls', ['/bin/ls', '-a', '.'], ''],
];
const ci = process.env.CI === 'true';
const runtimes = ci ? ['qemu-style'] : ['qemu-style', 'x86tomips-style'];
// the C locale in both runs: the host's locale files would otherwise decide sort order and messages
const env = { PATH: '/usr/bin:/bin', LC_ALL: 'C' };

for (const [label, argv, input] of ci ? CASES.filter((_, i) => i % 2 === 0) : CASES) {
  for (const runtime of runtimes) {
    test(`${label} (host x86-64 dynamic) through ${runtime}`, (t) => {
      const opts = { cwd: dir, encoding: 'latin1' as const, input, env };
      const native = spawnSync(argv[0], argv.slice(1), opts);
      const ours = spawnSync(process.execPath, [cli, 'run', '--runtime', runtime, ...argv], opts);
      t.is(ours.stdout, native.stdout);
      t.is(ours.stderr, native.stderr);
      t.is(ours.status, native.status);
    });
  }
}
