// File mappings as a page fault fills them (linux-user mmap.ts fileMappings): MADV_DONTNEED on a
// private mapping reads the file again (its current bytes; an unlinked file's as mapped), on a
// shared one keeps what was stored, after mremap still the file's; /proc/self/maps names each
// (perms with 's' for shared, offset, device and inode, "(deleted)"). fixtures/file-mappings.c
// prints no addresses, so its x86-64 native run is the oracle for both builds (QEMU's
// tests/tcg linux-madvise found the private-file case: dbtlab read zeros).
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixture, CLI as cli, testTmpDir } from './fixture-build';

const dir = testTmpDir('dbtlab-file-mappings-');
const files = join(dir, 'files');
mkdirSync(files);
const exe64 = buildFixture(dir, 'file-mappings', 64, ['-O1']);
const native = spawnSync(exe64, [files], { encoding: 'latin1' });
const i386 = buildFixture(dir, 'file-mappings', 32, ['-O1']);

for (const runtime of ['qemu-style', 'x86tomips-style']) {
  for (const [mode, exe] of [['x86-64', exe64], ['i386', i386]]) {
    test(`${mode} through ${runtime}: MADV_DONTNEED and /proc/self/maps on file mappings as natively`, (t) => {
      t.is(native.status, 0);
      t.regex(native.stdout, /private after: a b 0\n/);
      t.regex(native.stdout, /unlinked maps: rw-p 00000000 same-file .*\/unlinked \(deleted\)\n/);
      const r = spawnSync('node', [cli, 'run', '--runtime', runtime, exe, files], { encoding: 'latin1' });
      t.is(r.stderr, '');
      t.is(r.stdout, native.stdout);
      t.is(r.status, 0);
    });
  }
}
