// A signal from outside (the test's kill of dbtlab's pid, relayed by run-worker.ts) reaches the
// guest (test/fixtures/host-signal.c): its SA_SIGINFO handler runs, sees SI_USER, si_pid 0 (the
// sender's pid is unknown to dbtlab: natively it is the parent) and its own uid, and the guest
// then dies of SIGTERM, which kills dbtlab with it as natively. The kill is sent once the guest
// has printed "ready" (no timing involved), to a guest in pause(), to one spinning in its
// own code (the signal is taken at a TB boundary) and to one in a loop of system calls.
import test from 'ava';
import { spawn } from 'node:child_process';
import { buildFixture, CLI as cli, testTmpDir } from './fixture-build';

const dir = testTmpDir('dbtlab-host-signal-');
const exe = buildFixture(dir, 'host-signal', 32);

/** Runs argv, sends SIGTERM when it printed "ready"; its stdout and how it ended. */
function killWhenReady(argv: string[]): Promise<{ stdout: string; code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.setEncoding('latin1');
    child.stdout.on('data', (s: string) => {
      if (!stdout.includes('ready\n') && (stdout + s).includes('ready\n')) child.kill('SIGTERM');
      stdout += s;
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ stdout, code, signal }));
  });
}

const handled = (pid: string): string => `ready\nhandler: signal 15 si_code SI_USER si_pid ${pid} si_uid mine\n`;

test('native: SIGTERM from the parent runs the handler, then kills the program', async (t) => {
  t.deepEqual(await killWhenReady([buildFixture(dir, 'host-signal', 64)]), { stdout: handled('the parent'), code: null, signal: 'SIGTERM' });
});

for (const [runtime, how] of [['qemu-style', 'pause'], ['x86tomips-style', 'spin'], ['qemu-style', 'calls'], ['x86tomips-style', 'calls']]) {
  test(`${runtime}: SIGTERM to dbtlab reaches a guest in ${how} (handler, si_code SI_USER, si_pid 0, si_uid), then kills dbtlab`, async (t) => {
    const argv = ['node', cli, 'run', '--runtime', runtime, exe, ...(how === 'pause' ? [] : [how])];
    t.deepEqual(await killWhenReady(argv), { stdout: handled('0'), code: null, signal: 'SIGTERM' });
  });
}
