// Every workload in every configuration against the committed golden counts
// (test/oracle/record-golden-counts.ts): guest-level counts and host instructions by kind and
// region must be identical. CI=true runs one configuration per workload, in rotation.
import test from 'ava';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runCaptured } from '../../src/capture';
import { goldenCounts, goldenRequests, type GoldenFile } from '../../src/experiments/golden-counts';
import { configLabel, findConfig } from '../../src/experiments/grid';
import { runPool } from '../../src/experiments/run-pool';
import { runWorkload } from '../../src/experiments/run-workload';
import { createScheme } from '../../src/runtimes';
import { workloadPath } from '../../src/workloads';

const golden = JSON.parse(readFileSync(join(__dirname, 'golden-counts.json'), 'utf8')) as GoldenFile;
const requests = goldenRequests(process.env.CI === 'true');
const rows = runPool(requests);

for (const [i, r] of requests.entries()) {
  const label = `${r.workload} (${configLabel(r.config)})`;
  test(`${label}: counts equal the golden counts`, async (t) => {
    const row = (await rows)[i];
    t.deepEqual(goldenCounts(row), golden[configLabel(r.config)]?.[r.workload], label);
  });
}

test('dir-list: a directory already holding the name its fixed-seed mkdtemp draws (another run at the same time) does not move its counts', (t) => {
  // the name the guest draws: the same in every run, whatever the directory it is made in
  // (TMPDIR "." in a directory of the test's own: the whole path fits in strace's 32 characters)
  const elf = workloadPath('dir-list');
  const own = mkdtempSync('/tmp/dbtlab-golden-');
  const calls: string[] = [];
  try {
    runCaptured(createScheme('qemu-style'), { elf, argv: [elf], envp: ['TMPDIR=.'], cwd: own, deterministicClock: true, strace: (l) => calls.push(l) });
  } finally {
    rmSync(own, { recursive: true, force: true });
  }
  const name = /^mkdir\(".*\/(dbtlab-dir-list-\w{6})"/m.exec(calls.join('\n'))?.[1];
  t.truthy(name, 'dir-list makes its directory with mkdir');
  // where every run would make it if runs shared /tmp
  const squat = join('/tmp', name!);
  mkdirSync(squat);
  try {
    const config = findConfig('qemu-style');
    t.deepEqual(goldenCounts(runWorkload('dir-list', config)), golden[configLabel(config)]['dir-list']);
  } finally {
    rmSync(squat, { recursive: true, force: true });
  }
});
