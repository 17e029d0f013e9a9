/// <reference lib="dom" />
// reports/report.html in a real browser: Debian's headless Chromium through playwright-core.
// The page must load with no console error, draw every chart non-empty, and redraw them
// when the workload filter changes; a screenshot is kept in test-artifacts/ (gitignored).
import test from 'ava';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const BIN = resolve(__dirname, '..', 'bin', 'dbtlab.js');
const ARTIFACTS = resolve(__dirname, '..', 'test-artifacts');
const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

test('report.html: loads without console errors, every chart drawn, the workload filter redraws them', async (t) => {
  const out = testTmpDir('dbtlab-html-');
  // every experiment, on three workloads: each chart kind of the report, quickly
  const r = spawnSync('node', [BIN, 'experiment', '--workload', 'loop', '--workload', 'syscalls', '--workload', 'smc-store', '--no-cache', '--out', out], { encoding: 'utf8' });
  t.is(r.status, 0, r.stderr);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  t.false(/<script[^>]+src=|<link[^>]+href=/.test(html), 'self-contained: no external script or stylesheet');
  const charts = [...html.matchAll(/<div class="chart" id="([^"]+)">/g)].map((m) => m[1]);
  t.true(charts.length >= 7);

  const context = await chromium.launchPersistentContext(testTmpDir('dbtlab-chromium-'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_FLAGS,
  });
  try {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(`file://${join(out, 'report.html')}`);
    await page.waitForFunction((n) => document.body.dataset.rendered === String(n) || document.body.dataset.error !== undefined, charts.length, { timeout: 60_000 });
    const sizes = async () =>
      page.evaluate((ids) => ids.map((id) => {
        const svg = document.querySelector(`#${id} svg`);
        const box = svg?.getBoundingClientRect();
        return { id, width: box?.width ?? 0, height: box?.height ?? 0, marks: svg?.querySelectorAll('.mark-symbol path, .mark-rect path, .mark-line path, .mark-area path').length ?? 0 };
      }), charts);
    for (const c of await sizes()) {
      t.true(c.width > 100 && c.height > 50, `${c.id}: ${c.width}x${c.height}`);
      t.true(c.marks > 0, `${c.id}: no marks`);
    }
    // one workload chosen: the charts are drawn again, with fewer marks where workloads are rows
    const before = await sizes();
    await page.selectOption('#workload-filter', ['syscalls']);
    await page.waitForTimeout(200);
    await page.waitForFunction((n) => document.body.dataset.rendered === String(n), charts.length);
    const after = await sizes();
    t.true(after.some((c, i) => c.marks < before[i].marks), 'the filter removes marks of other workloads');
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.selectOption('#workload-filter', []);
    await page.screenshot({ path: join(ARTIFACTS, 'report.png'), fullPage: true });
    t.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
