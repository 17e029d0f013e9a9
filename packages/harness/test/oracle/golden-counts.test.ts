// Every workload in every configuration against the committed golden counts
// (test/oracle/record-golden-counts.ts): guest-level counts and host instructions by kind and
// region must be identical. CI=true runs one configuration per workload, in rotation.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { goldenCounts, goldenRequests, type GoldenFile } from '../../src/experiments/golden-counts';
import { configLabel } from '../../src/experiments/grid';
import { runPool } from '../../src/experiments/run-pool';

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
