// Translated code dies with its mapping (QEMU invalidates a range's TBs on munmap, mremap and
// mmap over it, and drops them when mprotect takes PROT_EXEC away): code run at an address,
// then unmapped, mapped over by other code (MAP_FIXED, one page of two, mremap), moved away or
// made non-executable, with no store to it, must not run again; a chained jump into it goes
// too. fixtures/code-unmap.c (static) and fixtures/dlopen-reuse.c (dynamic: dlclose, then
// another library at the same address). Without linux-user's dropTranslatedCode on unmap,
// 38 of code-unmap's lines differ and the second library returns the first one's results.
// And with the bytes: fixtures/code-alias.c stores code through one mapping of shared memory
// (stores, read(), the code into its own next instruction, another process) and runs it
// through another (mips-host code-pages.ts); before that, 7 of its lines differed (the old TBs ran).
// i386 and x86-64, against their native runs, through both runtimes with and without chaining.
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixture, CLI as cli, testTmpDir } from '../fixture-build';

const dir = testTmpDir('dbtlab-code-unmap-');
const FIXTURES = join(__dirname, '..', 'fixtures');
const CONFIGS = [
  ['qemu-style'],
  ['qemu-style', '--no-chain'],
  ['x86tomips-style'],
  ['x86tomips-style', '--chain'],
];

/** dlopen-reuse for one mode: the program and its two libraries (VALUE 1 and 2). */
function buildDlopen(bits: 32 | 64): string[] {
  const lib = (v: number): string => {
    const so = join(dir, `lib${v}-${bits}.so`);
    execFileSync('gcc', [`-m${bits}`, '-shared', '-fPIC', '-O1', `-DVALUE=${v}`, '-o', so, join(FIXTURES, 'dlopen-reuse-lib.c')]);
    return so;
  };
  const exe = join(dir, `dlopen-reuse${bits}`);
  execFileSync('gcc', [`-m${bits}`, '-O1', '-o', exe, join(FIXTURES, 'dlopen-reuse.c'), '-ldl']);
  return [exe, lib(1), lib(2)];
}

for (const bits of [32, 64] as const) {
  const programs: [string, () => string[], RegExp][] = [
    // the probe writes its libraries into its working directory
    ['code-unmap', () => [buildFixture(dir, 'code-unmap', bits, ['-O1'])], /^second page unmapped\n entry: 3 3 3\n jump to page 2: signal 11 code 1 addr X\+4112\n/m],
    ['dlopen-reuse', () => buildDlopen(bits), /^library 2: 60, at the first one's address: yes\n/m],
    ['code-alias', () => [buildFixture(dir, 'code-alias', bits, ['-O1'])], /^parent, after the child's store: 8 8 8\nchild, after the parent's store: 9 9 9\n/m],
  ];
  for (const [name, build, expected] of programs) {
    test(`${name} (${bits}-bit): no translated code outlives its mapping or its bytes, as natively, both runtimes, chained or not`, (t) => {
      const argv = build();
      const native = spawnSync(argv[0], argv.slice(1), { cwd: mkdtempSync(join(dir, 'cwd-')), env: {}, encoding: 'latin1' });
      t.is(native.status, 0);
      t.regex(native.stdout, expected);
      for (const config of CONFIGS) {
        const r = spawnSync('node', [cli, 'run', '--runtime', ...config, ...argv], { cwd: mkdtempSync(join(dir, 'cwd-')), env: {}, encoding: 'latin1' });
        t.is(r.stdout, native.stdout, config.join(' '));
        t.is(r.stderr, native.stderr, config.join(' '));
        t.is(r.status, native.status, config.join(' '));
      }
    });
  }
}
