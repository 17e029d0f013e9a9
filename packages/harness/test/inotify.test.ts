// inotify (linux-user syscalls/inotify.ts, fsnotify.ts): the events of a program's own calls
// (create, open, read, write, close, chmod, truncate, utimensat, chown, rename, link, symlink,
// mkdir, unlink, rmdir, a watched file or directory moved, replaced, removed, unlinked while
// open), merging, IN_ONESHOT, FIONREAD, short reads, errors, and a blocking read woken by a
// child. fixtures/inotify.c prints no cookies or inode numbers, so its x86-64 native run is the
// oracle for both builds (this host's kernel: IN_OPEN before O_TRUNC's IN_MODIFY, as since 6.x).
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildFixture, CLI as cli, testTmpDir } from './fixture-build';

const dir = testTmpDir('dbtlab-inotify-');
const exe64 = buildFixture(dir, 'inotify', 64, ['-O1']);
const i386 = buildFixture(dir, 'inotify', 32, ['-O1']);
let runs = 0;
/** A fresh empty directory for one run. */
function watched(): string {
  const d = join(dir, `run${runs++}`);
  mkdirSync(d);
  return d;
}
const native = spawnSync(exe64, [watched()], { encoding: 'latin1' });

// each ABI through one runtime (the runtimes share the system calls; CI time is short)
for (const [runtime, mode, exe] of [['qemu-style', 'x86-64', exe64], ['x86tomips-style', 'i386', i386]]) {
  test(`${mode} through ${runtime}: inotify events as natively`, (t) => {
    t.is(native.status, 0);
    t.regex(native.stdout, /wd=1 MOVED_TO cookie=same len=16 name="g"\n/);
    t.regex(native.stdout, /blocking read 32: mask 0x40000100 name from-child\n/);
    const r = spawnSync('node', [cli, 'run', '--runtime', runtime, exe, watched()], { encoding: 'latin1' });
    t.is(r.stderr, '');
    t.is(r.stdout, native.stdout);
    t.is(r.status, 0);
  });
}
