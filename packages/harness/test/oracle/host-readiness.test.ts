// Host streams. Readiness: test/host-streams/readiness.c polls its stdin (a socketpair, as
// Node's pipes are) while it holds no data, after one byte, and after end of file, with poll,
// select, ppoll, epoll and a non-blocking read. The driver below reacts to the program's output
// the same way for the native run (the x86-64 build on this kernel: the output does not depend
// on the ABI) and for `dbtlab run` in each runtime. Socket calls: test/host-streams/sockopt.c
// sets, reads and shuts down its stdout socket.
import test from 'ava';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { RUNTIME_NAMES } from '../../src/runtimes';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const SRC_DIR = join(__dirname, '..', 'host-streams');
const BIN = join(__dirname, '..', '..', 'bin', 'dbtlab.js');
const tmp = testTmpDir('dbtlab-readiness-');

function build(abi: '-m32' | '-m64', name = 'readiness'): string {
  const exe = join(tmp, `${name}${abi}`);
  execFileSync('gcc', [abi, '-static', '-O1', '-o', exe, join(SRC_DIR, `${name}.c`)], { stdio: ['ignore', 'ignore', 'pipe'] });
  return exe;
}

/** Runs the program with stdin held open: one byte after it prints "ready", closed (end of file, the peer gone) after "more". */
function drive(cmd: string, args: string[]): Promise<{ out: string; status: number | null }> {
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    let step = 0;
    c.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (step === 0 && out.includes('ready\n')) {
        step = 1;
        c.stdin.write('x');
      }
      if (step === 1 && out.includes('more\n')) {
        step = 2;
        c.stdin.destroy();
      }
    });
    c.on('close', (status) => resolve({ out, status }));
  });
}

test('poll, select, ppoll, epoll and O_NONBLOCK read on a host stream see what the host kernel sees', async (t) => {
  const native = await drive(build('-m64'), []);
  t.regex(native.out, /^poll = 0 revents 0$/m, 'the native run saw an empty stdin first');
  const exe = build('-m32');
  for (const runtime of RUNTIME_NAMES) {
    const r = await drive('node', [BIN, 'run', '--runtime', runtime, exe]);
    t.is(r.out, native.out, runtime);
    t.is(r.status, native.status, runtime);
  }
});

test('getsockopt, setsockopt and shutdown on an inherited host socket act on it as natively', (t) => {
  const run = (cmd: string, args: string[]): unknown => {
    const r = spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    return { out: r.stdout, err: r.stderr, status: r.status };
  };
  const native = run(build('-m64', 'sockopt'), []);
  t.regex((native as { err: string }).err, /^write after shutdown = -1 EPIPE$/m, 'the native run shut its stdout');
  const exe = build('-m32', 'sockopt');
  for (const runtime of RUNTIME_NAMES) t.deepEqual(run('node', [BIN, 'run', '--runtime', runtime, exe]), native, runtime);
});
