// Debian's own interpreters, dynamically linked, running scripts that exercise what their users rely
// on (interpreters/: python3.11 with math, struct, random, hashlib through OpenSSL, json, re, datetime,
// pickle, bignums, float formatting, threads and a subprocess, and through the system interface:
// timers and signals, fork, socketpair and select, mmap, locks, compression modules; perl with
// regexes, sprintf of floats, pack/unpack, hashes, fork, pipe and wait; sqlite3 with a file database
// in WAL mode; lua5.4 with integers, patterns, coroutines, string.pack, files and io.popen) in an
// unpacked Debian root of each architecture (./debian-root). Oracle: the same command natively in a chroot into that root, in the
// same directory (the host's /tmp bound at /tmp, so that even the working directory the program reads
// is the same path, used by both runs). stdout, stderr and exit status byte for byte.
// CI=true runs the perl script on i386 through one runtime (about 30 s of CPU); a full run takes
// about 35 minutes of CPU (python-modules alone about 4 per run).
import test from 'ava';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCaptured } from '../../src/capture';
import { createScheme, RUNTIME_NAMES } from '../../src/runtimes';
import { ARCHES, canChroot, debianRoot, nativeInRoot, type Arch } from './debian-root';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const PACKAGES = [
  'dash',
  'perl-base',
  'sqlite3',
  'lua5.4',
  'liblua5.4-0',
  'python3.11-minimal',
  'libpython3.11-minimal',
  'libpython3.11-stdlib',
  'media-types',
  ...['libexpat1', 'zlib1g', 'libssl3', 'libffi8', 'libbz2-1.0', 'liblzma5', 'libsqlite3-0', 'libncursesw6'],
  ...['libuuid1', 'libcrypt1', 'libnsl2', 'libtirpc3', 'libdb5.3'],
];
const ENV = ['PATH=/usr/bin:/bin', 'LC_ALL=C', 'TZ=UTC', 'HOME=/'];
const SCRIPTS = join(__dirname, 'interpreters');

/** [name, script (copied into the run's directory), argv]. */
const PROGRAMS: Array<[string, string, string[]]> = [
  ['perl', 'perl-core.pl', ['/usr/bin/perl', 'perl-core.pl']],
  ['sqlite3', 'sqlite-core.sql', ['/usr/bin/sqlite3', 'db.sqlite', '.read sqlite-core.sql']],
  ['lua5.4', 'lua-core.lua', ['/usr/bin/lua5.4', 'lua-core.lua']],
  ['python3.11', 'python-modules.py', ['/usr/bin/python3.11', 'python-modules.py']],
  ['python3.11', 'python-system.py', ['/usr/bin/python3.11', 'python-system.py']],
];
/** [program index, arch, runtime index] CI runs. */
const CI_RUNS: Array<[number, Arch, number]> = [[0, 'i386', 0]];

const root = (arch: Arch): string => debianRoot('interpreters', arch, PACKAGES);
const tmp = testTmpDir('dbtlab-interpreters-');

/** DIR under the host's /tmp (the same path in the chroot), emptied, holding only the script. */
function freshDir(dir: string, script: string): string {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  copyFileSync(join(SCRIPTS, script), join(dir, script));
  return dir;
}

const runs: Array<[number, Arch, number]> =
  process.env.CI === 'true' ? CI_RUNS : PROGRAMS.flatMap((_, i) => ARCHES.flatMap((a) => RUNTIME_NAMES.map((_r, k): [number, Arch, number] => [i, a, k])));
for (const [i, arch, k] of runs) {
  const [name, script, argv] = PROGRAMS[i];
  const runtime = RUNTIME_NAMES[k];
  const define = canChroot ? test : test.skip;
  define(`${arch} ${name} ${script} through ${runtime}${canChroot ? '' : ' [needs root for chroot]'}`, (t) => {
    // one directory for both runs, emptied in between: even the working directory they read is the same
    const dir = join(tmp, `${arch}-${script}-${runtime}`);
    const n = nativeInRoot(root(arch), ['/proc', '/dev', '/tmp'], freshDir(dir, script), ENV, argv, `${dir}.io`);
    const r = runCaptured(createScheme(runtime), { elf: argv[0], argv, envp: ENV, sysroot: root(arch), cwd: freshDir(dir, script) });
    t.is(r.error, undefined);
    t.is(r.stdout.toString('latin1'), n.stdout);
    t.is(r.stderr.toString('latin1'), n.stderr);
    t.is(r.status, n.status);
  });
}
