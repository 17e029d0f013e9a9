// The fixed link through which workloads run (/tmp/dbtlab-<hash of the build directory>): made
// once per checkout, and the links of deleted checkouts are removed when a new one is made.
import test from 'ava';
import { existsSync, lstatSync, readlinkSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { stableWorkloadDir } from '../src/experiments/run-workload';
import { testTmpDir } from './fixture-build';

test('a new checkout gets its link; links to deleted checkouts go, live ones stay', (t) => {
  const gone = testTmpDir('dbtlab-link-gone-');
  const live = testTmpDir('dbtlab-link-live-');
  const build = testTmpDir('dbtlab-link-build-');
  const goneLink = stableWorkloadDir(gone);
  const liveLink = stableWorkloadDir(live);
  rmSync(gone, { recursive: true });
  t.true(lstatSync(goneLink).isSymbolicLink());
  // a stray link of the same shape that is not a checkout's stays unless it dangles
  const stray = `/tmp/dbtlab-${'0'.repeat(8)}f`;
  rmSync(stray, { force: true });
  symlinkSync('/', stray);
  try {
    const link = stableWorkloadDir(build);
    t.regex(link, /^\/tmp\/dbtlab-[0-9a-f]{9}$/);
    t.is(readlinkSync(link), build);
    t.is(stableWorkloadDir(build), link, 'the same link on the next call');
    t.false(existsSync(goneLink) || isLink(goneLink), 'the deleted checkout\'s link is removed');
    t.is(readlinkSync(liveLink), live);
    t.is(readlinkSync(stray), '/');
    unlinkSync(link);
  } finally {
    unlinkSync(stray);
    rmSync(liveLink, { force: true });
  }
});

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}
