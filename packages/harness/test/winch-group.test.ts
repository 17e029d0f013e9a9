// SIGWINCH from outside goes as a terminal sends it, to its foreground process group
// (test/fixtures/winch-group.c): the test signals the group the program (natively) or dbtlab
// leads, and every guest of dbtlab's own group takes it, not a guest that moved to a group of
// its own, as natively. dbtlab has no terminal of its own to ask for its foreground group (no
// TIOCSPGRP model): its own group, the one the host's terminal signals, stands for it.
import test from 'ava';
import { spawn } from 'node:child_process';
import { buildFixture, CLI as cli, testTmpDir } from './fixture-build';

const dir = testTmpDir('dbtlab-winch-');

/** Runs argv as the leader of a new process group, signals the group with SIGWINCH once it printed "ready"; its stdout and exit code. */
function winchWhenReady(argv: string[]): Promise<{ stdout: string; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'], detached: true });
    let stdout = '';
    child.stdout.setEncoding('latin1');
    child.stdout.on('data', (s: string) => {
      if (!stdout.includes('ready\n') && (stdout + s).includes('ready\n')) process.kill(-child.pid!, 'SIGWINCH');
      stdout += s;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout, code }));
  });
}

test('SIGWINCH to the foreground group reaches every guest of it, not one in a group of its own, as natively', async (t) => {
  const native = await winchWhenReady([buildFixture(dir, 'winch-group', 32)]);
  t.is(native.code, 0);
  t.regex(native.stdout, /child in the group: SIGWINCH/);
  for (const runtime of ['qemu-style', 'x86tomips-style']) {
    const r = await winchWhenReady(['node', cli, 'run', '--runtime', runtime, buildFixture(dir, 'winch-group', 32)]);
    t.deepEqual(sortedLines(r.stdout), sortedLines(native.stdout), runtime);
    t.is(r.code, native.code, runtime);
  }
});

/** The lines in order, but the two SIGWINCH takers' in either order (they run at once natively). */
const sortedLines = (s: string): string[] => {
  const lines = s.split('\n');
  const takers = lines.filter((l) => l.endsWith(': SIGWINCH')).sort();
  return [...lines.filter((l) => !l.endsWith(': SIGWINCH')), ...takers];
};
