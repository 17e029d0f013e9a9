// Real Debian i386 programs, dynamically linked, from an unpacked sysroot (tools/i386-sysroot.sh:
// apt-get download + dpkg-deb -x + ldconfig -r, built once in the temporary directory, never
// committed) run with -L through both runtimes. Oracles: the same binary run natively through
// the sysroot's own ld.so (--library-path), and qemu-i386 -L. stdout, stderr and status byte
// for byte. CI=true runs three of them, each through one runtime (alternately).
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCaptured } from '../../src/capture';
import { nativeCommand } from '../../src/commands/compare';
import { createScheme, RUNTIME_NAMES } from '../../src/runtimes';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const SYSROOT = join(tmpdir(), 'dbtlab-i386-sysroot');
execFileSync('bash', [resolve(__dirname, '../../../../tools/i386-sysroot.sh'), SYSROOT], { stdio: ['ignore', 'ignore', 'inherit'] });

// fixed input: 3000 lines of "word number word" from a linear congruential generator
const work = testTmpDir('dbtlab-sysroot-run-');
const WORDS = ['apple', 'pear', 'fig', 'kiwi', 'plum', 'lime', 'date', 'yuzu', 'sloe', 'quince', 'Banana', 'cherry'];
let seed = 12345;
const next = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8;
const lines = Array.from({ length: 3000 }, () => `${WORDS[next() % WORDS.length]} ${next() % 100000} ${WORDS[next() % WORDS.length]}`);
writeFileSync(join(work, 'in.txt'), `${lines.join('\n')}\n`);
mkdirSync(join(work, 'tree', 'b', 'c'), { recursive: true });
for (const f of ['a.conf', 'b/x.conf', 'b/c/y.conf', 'b/z.txt']) writeFileSync(join(work, 'tree', f), f);

const ci = process.env.CI === 'true';
const PROGRAMS: Array<[string, string[]]> = [
  ['/usr/bin/sort', ['in.txt']],
  ['/usr/bin/sort', ['-t', ' ', '-k2,2n', '-k1,1', 'in.txt']],
  ['/usr/bin/sort', ['-u', '-k3', 'in.txt']],
  ['/usr/bin/uniq', ['-c', 'in.txt']],
  ['/usr/bin/wc', ['in.txt']],
  ['/usr/bin/cut', ['-d', ' ', '-f', '3,1', 'in.txt']],
  ['/usr/bin/md5sum', ['in.txt']],
  ['/usr/bin/tr', ['a-z', 'A-Z']],
  ['/bin/grep', ['-c', 'an', 'in.txt']],
  ['/bin/grep', ['-n', '-E', '^(fig|kiwi) [0-9]{5} ', 'in.txt']],
  ['/bin/sed', ['-e', 's/\\([a-z]*\\) \\([0-9]*\\)/\\2:\\1/', '-n', '-e', '1~17p', 'in.txt']],
  ['/usr/bin/gawk', ['{ n[$1]++; s += $2 } END { for (w in n) printf "%s %d\\n", w, n[w]; printf "%.4f\\n", s / NR }', 'in.txt']],
  ['/usr/bin/find', ['tree', '-name', '*.conf']],
  ['/bin/ls', ['-a', '-R', 'tree', '/no/such/dir']],
];
/** The ones CI runs (the rest take minutes each on a loaded 2-core machine). */
const CI_PROGRAMS = new Set([1, 12, 13]);

for (const [i, [prog, args]] of PROGRAMS.entries()) {
  if (ci && !CI_PROGRAMS.has(i)) continue;
  const label = `${prog} ${args.join(' ').slice(0, 40)}`;
  // stdin for tr: the input file
  const stdinFile = prog.endsWith('/tr') ? join(work, 'in.txt') : undefined;
  const stdin = stdinFile ? { input: Buffer.from(`${lines.join('\n')}\n`) } : { input: '' };
  const native = () => {
    const [cmd, argv] = nativeCommand(prog, args, SYSROOT);
    return spawnSync(cmd, argv, { cwd: work, env: {}, ...stdin });
  };
  const runtimes = ci ? [RUNTIME_NAMES[i % RUNTIME_NAMES.length]] : RUNTIME_NAMES;
  test(`${label}: native (its own ld.so) and qemu-i386 -L agree`, (t) => {
    const n = native();
    const q = spawnSync('qemu-i386', ['-L', SYSROOT, join(SYSROOT, prog), ...args], { cwd: work, env: {}, ...stdin });
    t.is(n.status, q.status);
    t.is(n.stdout.toString('latin1'), q.stdout.toString('latin1'));
    t.true(n.stdout.length + n.stderr.length > 0);
  });
  for (const rt of runtimes) {
    test(`${label}: through ${rt} -L, byte-identical to native`, (t) => {
      const n = native();
      const r = runCaptured(createScheme(rt, {}), { elf: prog, argv: [prog, ...args], envp: [], sysroot: SYSROOT, cwd: work, deterministicClock: true }, stdinFile);
      t.is(r.error, undefined);
      t.is(r.status, n.status ?? undefined);
      t.is(r.stdout.toString('latin1'), n.stdout.toString('latin1'));
      // the program names itself in its messages: argv[0] is the same path in both
      t.is(r.stderr.toString('latin1').replaceAll(prog, 'PROG'), n.stderr.toString('latin1').replaceAll(join(SYSROOT, prog), 'PROG'));
    });
  }
}
