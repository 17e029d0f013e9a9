/*
 * Writes test/oracle/golden-counts.json: every workload in every configuration, counted.
 *   node -r ts-node/register/transpile-only packages/harness/test/oracle/record-golden-counts.ts
 * Review the git diff after: only host counts of code changed on purpose may move.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { goldenCounts, goldenRequests, type GoldenFile } from '../../src/experiments/golden-counts';
import { configLabel } from '../../src/experiments/grid';
import { runPool } from '../../src/experiments/run-pool';

async function main(): Promise<void> {
  const rows = await runPool(goldenRequests(false), (done, total, row) =>
    process.stderr.write(`golden: ${done}/${total} ${row.workload} (${configLabel(row)})\n`),
  );
  const golden: GoldenFile = {};
  for (const row of rows) (golden[configLabel(row)] ??= {})[row.workload] = goldenCounts(row);
  // one line per run, so a diff names the workload and configuration that moved
  const configs = Object.entries(golden).map(
    ([config, runs]) =>
      `  ${JSON.stringify(config)}: {\n${Object.entries(runs)
        .map(([w, c]) => `    ${JSON.stringify(w)}: ${JSON.stringify(c)}`)
        .join(',\n')}\n  }`,
  );
  writeFileSync(join(__dirname, 'golden-counts.json'), `{\n${configs.join(',\n')}\n}\n`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
