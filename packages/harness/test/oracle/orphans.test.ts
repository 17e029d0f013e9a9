// Guests the first guest leaves running (orphans) and the run's end, against native: natively a
// caller's wait for `sh -c '(sleep 1; echo late) & echo hi; exit 3'` returns at once with 3 and the
// orphan writes later; dbtlab cannot end while guests run, so the run waits for the orphan and then
// exits with the first guest's 3 (README, `dbtlab run --help`): the same status and output, later.
// A signal sent to dbtlab once the first guest has exited goes to every guest left, so a caller
// can still end the run at once (the status stays the first guest's).
import test from 'ava';
import { execFileSync, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { CLI } from '../fixture-build';
import { RUNTIME_NAMES } from '../../src/runtimes';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { linuxI386, NO_LINUX_I386 } = require('../../../../tools/linux-i386.cjs') as { linuxI386: () => 'native' | 'vm' | 'none'; NO_LINUX_I386: string };

const BB = join(execFileSync('bash', [resolve(__dirname, '../../../../tools/debian-i386-programs.sh')], { encoding: 'utf8' }).trim(), 'bin', 'busybox');
const dbtlab = (runtime: string): string[] => ['node', CLI, 'run', '--runtime', runtime];

interface Ended {
  stdout: string;
  status: number | null;
  /** seconds from the start (or from `signalAfter`'s signal) to the exit: what the caller's wait sees */
  exitedAfter: number;
}

/** Runs argv; with `signalAfter`, sends it SIGTERM once its stdout has that text. stdout is read to its end (orphans included). */
function run(argv: string[], signalAfter?: string): Promise<Ended> {
  return new Promise((res, rej) => {
    let t0 = process.hrtime.bigint();
    let exitedAfter = Infinity;
    let signalled = false;
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('latin1');
    child.stdout.on('data', (s: string) => {
      stdout += s;
      if (signalAfter !== undefined && !signalled && stdout.includes(signalAfter)) {
        signalled = true;
        t0 = process.hrtime.bigint();
        child.kill('SIGTERM');
      }
    });
    child.on('error', rej);
    child.on('exit', () => (exitedAfter = Number(process.hrtime.bigint() - t0) / 1e9));
    child.on('close', (status) => res({ stdout, status, exitedAfter }));
  });
}

const native = linuxI386() === 'native';
const define = native ? test : test.skip;
const LATE = `(${BB} sleep 1; echo late) & echo hi; exit 3`;

define(`sh -c '(sleep 1; echo late) & echo hi; exit 3': status 3 and the orphan's output as native, the run ends after the orphan${native ? '' : ` ${NO_LINUX_I386}`}`, async (t) => {
  const [nat, ...dbt] = await Promise.all([run([BB, 'sh', '-c', LATE]), ...RUNTIME_NAMES.map((rt) => run([...dbtlab(rt), BB, 'sh', '-c', LATE]))]);
  t.deepEqual({ stdout: nat.stdout, status: nat.status }, { stdout: 'hi\nlate\n', status: 3 });
  t.true(nat.exitedAfter < 0.9, `native: the caller's wait returned after ${nat.exitedAfter.toFixed(2)} s, before the orphan's end`);
  for (const [i, r] of dbt.entries()) {
    t.deepEqual({ stdout: r.stdout, status: r.status }, { stdout: nat.stdout, status: nat.status }, RUNTIME_NAMES[i]);
    t.true(r.exitedAfter >= 1, `${RUNTIME_NAMES[i]}: the run ended after ${r.exitedAfter.toFixed(2)} s, after the orphan's second`);
  }
});

test('a SIGTERM to dbtlab after the first guest exited ends the orphans computing; the status is the first guest\'s', async (t) => {
  // "hi" comes from an orphan half a second after the shell forked it and exited
  const line = `(${BB} sleep 0.5; echo hi; while :; do :; done) & while :; do :; done & exit 5`;
  const rs = await Promise.all(RUNTIME_NAMES.map((rt) => run([...dbtlab(rt), BB, 'sh', '-c', line], 'hi\n')));
  for (const [i, r] of rs.entries()) {
    t.deepEqual({ stdout: r.stdout, status: r.status }, { stdout: 'hi\n', status: 5 }, RUNTIME_NAMES[i]);
    // about a second on an idle machine
    t.true(r.exitedAfter < 10, `${RUNTIME_NAMES[i]} ended ${r.exitedAfter.toFixed(2)} s after the signal`);
    t.log(`${RUNTIME_NAMES[i]}: ended ${r.exitedAfter.toFixed(2)} s after the signal`);
  }
});
