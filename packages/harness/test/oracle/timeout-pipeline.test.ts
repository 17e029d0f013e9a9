// GNU timeout over a pipeline of CPU-bound guests (busybox sh -c 'loop | loop'), against the same
// command run natively: timeout signals its child (dbtlab, natively the shell) and then its whole
// process group, so natively every process of the pipeline dies at once and timeout returns 124.
// dbtlab cannot tell the two kill()s apart (guest-tree.ts groupSignal); a SIGTERM that kills the
// first guest ends its group too, so the run ends within about a second of the signal as well.
// Before, only the shell died and the loops ran on until timeout's -k SIGKILL (rc 137).
import test from 'ava';
import { execFileSync, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { CLI } from '../fixture-build';
import { RUNTIME_NAMES } from '../../src/runtimes';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { linuxI386, NO_LINUX_I386 } = require('../../../../tools/linux-i386.cjs') as { linuxI386: () => 'native' | 'vm' | 'none'; NO_LINUX_I386: string };

const BB = join(execFileSync('bash', [resolve(__dirname, '../../../../tools/debian-i386-programs.sh')], { encoding: 'utf8' }).trim(), 'bin', 'busybox');
/** "started" once the second loop's subshell runs: then the test makes timeout time out. */
const LINE = 'while :; do :; done | { echo started; while :; do :; done; }';
/** timeout's -k: SIGKILL this long after the SIGTERM (rc 137) if the command is still running. */
const KILL_AFTER = 20;

/**
 * Runs `timeout -k KILL_AFTER 600 argv` and, once the pipeline printed "started", sends timeout
 * SIGALRM: its own timer's signal, on which it times out at once (timeout.c's cleanup), so the
 * signals come from timeout's code at a moment independent of how fast the command started.
 * Its stdout, status, and the seconds from then to the end.
 */
function timeoutRun(argv: string[]): Promise<{ stdout: string; status: number | null; late: number }> {
  return new Promise((res, rej) => {
    let t0 = 0n;
    const child = spawn('timeout', ['-k', String(KILL_AFTER), '600', ...argv], { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('latin1');
    child.stdout.on('data', (s: string) => {
      stdout += s;
      if (t0 === 0n && stdout.includes('started\n')) {
        t0 = process.hrtime.bigint();
        child.kill('SIGALRM');
      }
    });
    child.on('error', rej);
    child.on('close', (status) => res({ stdout, status, late: t0 === 0n ? Infinity : Number(process.hrtime.bigint() - t0) / 1e9 }));
  });
}

// natively on this machine only: the oracle is the timing of a native run, which the kernel VM does not give
const native = linuxI386() === 'native';
const define = native ? test : test.skip;

define(`timeout sh -c 'loop | loop': native and both runtimes end at the signal with rc 124${native ? '' : ` ${NO_LINUX_I386}`}`, async (t) => {
  const runs = await Promise.all([timeoutRun([BB, 'sh', '-c', LINE]), ...RUNTIME_NAMES.map((rt) => timeoutRun(['node', CLI, 'run', '--runtime', rt, BB, 'sh', '-c', LINE]))]);
  const [nat, ...dbt] = runs;
  t.deepEqual({ stdout: nat.stdout, status: nat.status }, { stdout: 'started\n', status: 124 });
  t.true(nat.late < 1, `native ended ${nat.late.toFixed(2)} s after the signal`);
  for (const [i, r] of dbt.entries()) {
    t.deepEqual({ stdout: r.stdout, status: r.status }, { stdout: nat.stdout, status: nat.status }, RUNTIME_NAMES[i]);
    // about a second on an idle machine; the bound leaves room for a loaded one, far below -k's
    t.true(r.late < KILL_AFTER / 2, `${RUNTIME_NAMES[i]} ended ${r.late.toFixed(2)} s after the signal`);
    t.log(`${RUNTIME_NAMES[i]}: ended ${r.late.toFixed(2)} s after the signal (native ${nat.late.toFixed(2)} s)`);
  }
});
