#!/usr/bin/env node
// The project's test command: build, lint (eslint and the type check of the tests), then
// every package's fast tests and oracle suites
// (nx targets `test` and `test:oracle`, cached), reported by ava in TAP. Ends with the
// total over every suite: "N passed, N failed".
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { i386RunsNatively } = require('./host-runs-i386.cjs');
const { kernelVmAvailable, stopKernelVm } = require('./kernel-vm.cjs');
// the kernel VM (Linux's i386 ABI where this kernel has no ia32 emulation) boots while the build runs
const kernelVm = !i386RunsNatively() && kernelVmAvailable();
// up for the whole run (it powers itself off after this long without a job; the run stops it at its end)
process.env.DBTLAB_KERNEL_VM_IDLE ??= '1800';
if (kernelVm) spawn('bash', [new URL('./kernel-vm.sh', import.meta.url).pathname, 'start'], { stdio: 'ignore', detached: true }).unref();

const nx = (args) =>
  spawnSync('pnpm', ['exec', 'nx', ...args], { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'] });

/**
 * nx with its output passed through as it comes, timing each task from its "> nx run P:T" line to
 * the next (tasks run one at a time): CI's limit is on the whole run, so each suite's share is printed.
 */
function nxTimed(args) {
  return new Promise((resolvePromise) => {
    const child = spawn('pnpm', ['exec', 'nx', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    const durations = [];
    let current = null;
    let partial = '';
    const mark = (task) => {
      const now = Date.now();
      if (current) durations.push([current.task, (now - current.start) / 1000]);
      current = task && { task, start: now };
    };
    child.stdout.on('data', (chunk) => {
      out.push(chunk);
      process.stdout.write(chunk);
      const lines = (partial + chunk.toString()).split('\n');
      partial = lines.pop();
      for (const line of lines) {
        const m = /^> nx run ([\w-]+):"?([\w:]+)"?/.exec(line);
        if (m) mark(`${m[1]}:${m[2]}`);
      }
    });
    child.stderr.on('data', (chunk) => {
      err.push(chunk);
      process.stderr.write(chunk);
    });
    child.on('close', (status) => {
      mark(null);
      resolvePromise({ stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), status, durations });
    });
  });
}

let passed = 0;
let failed = 0;
let skipped = 0;
const build = nx(['run-many', '-t', 'build', '--outputStyle=static']);
const builtAt = Date.now();
process.stdout.write(build.stdout);
process.stderr.write(build.stderr);
if (build.status !== 0) {
  if (kernelVm) stopKernelVm();
  console.log('build failed');
  console.log(`${passed} passed, ${failed + 1} failed`);
  process.exit(1);
}
const lint = nx(['run-many', '-t', 'lint', '--outputStyle=static']);
const lintedAt = Date.now();
process.stdout.write(lint.stdout);
process.stderr.write(lint.stderr);
// a lint failure counts as one failed test: the run goes on to report the suites
if (lint.status !== 0) console.log('lint failed');
const run = await nxTimed(['run-many', '-t', 'test', 'test:oracle', '--outputStyle=stream', '--parallel=1', '--', '--tap']);
let suites = 0;
for (const line of run.stdout.split('\n')) {
  const m = /# (pass|fail|skip) (\d+)\s*$/.exec(line);
  if (!m) continue;
  if (m[1] === 'pass') {
    passed += Number(m[2]);
    suites++;
  } else if (m[1] === 'skip') skipped += Number(m[2]);
  else failed += Number(m[2]);
}
// a task that failed without reporting a failing test (crash, no tests found) counts as one failure
const failedTasks = /Failed tasks:\n([\s\S]*?)(\n\n|$)/.exec(run.stdout + run.stderr);
if (run.status !== 0 && failed === 0) failed += failedTasks ? failedTasks[1].split('\n').filter((l) => l.trim()).length : 1;
if (lint.status !== 0) failed++;
const started = performance.timeOrigin;
run.durations.push(['build (every package)', (builtAt - started) / 1000], ['lint (every package)', (lintedAt - builtAt) / 1000]);
console.log(`\nSeconds per suite (the whole run: ${Math.round((Date.now() - started) / 1000)} s):`);
for (const [task, seconds] of run.durations.sort((a, b) => b[1] - a[1])) if (seconds >= 1) console.log(`  ${seconds.toFixed(0).padStart(5)}  ${task}`);
// CI shows only the end of this output: name each failing test there, with the start of its diagnostics
const failures = [];
const lines = run.stdout.split('\n');
lines.forEach((line, i) => {
  if (!/^\S+: not ok \d+ /.test(line)) return;
  failures.push(line);
  for (let j = i + 1; j < lines.length && j <= i + 24 && !/^\S+: (not )?ok \d+ /.test(lines[j]); j++) failures.push(`    ${lines[j]}`);
});
if (failures.length) console.log(['', 'Failed tests:', ...failures, ''].join('\n'));
console.log(`${suites} suites`);
// skipped tests are those whose oracle this machine lacks (each names what it needs)
if (skipped) console.log(`${skipped} skipped`);
if (kernelVm) stopKernelVm();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
