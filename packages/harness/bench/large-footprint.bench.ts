// Benchmark (not a timed test): CPU of `dbtlab run` on programs with a large code footprint:
// tens of thousands of blocks each run a few hundred to a few thousand times, below the
// compile threshold, so most host instructions run in interpreted warm blocks (issue 15: a
// python start-up was ~200x qemu-i386, where the compute loops are ~7x). Each line runs as a
// user runs it, the CLI in a fresh Node process, timed by GNU time (user + sys, all threads);
// the host instructions (--stats-json) are exact, so M host insns per CPU second compares
// trees and runtimes. One run per line: on a loaded machine, run the trees side by side.
// Run: pnpm --filter @dbtlab/harness bench:footprint  (BENCH_RUNTIME=x86tomips-style for the
// other runtime; BENCH_CLI=<another tree>/packages/harness/bin/dbtlab.js to time another build;
// BENCH_PY32_ROOT=<an i386 Debian root with /usr/bin/python3.11> adds the i386 python lines)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');
const cli = process.env.BENCH_CLI ?? join(root, 'packages/harness/bin/dbtlab.js');
const runtime = process.env.BENCH_RUNTIME ?? 'qemu-style';
const py32 = process.env.BENCH_PY32_ROOT;

const LINES: { name: string; argv: string[]; needs?: string }[] = [
  // the host's x86-64 python3: ld.so, libc, libpython's start-up (~170,000 blocks)
  { name: 'python3 (x86-64) -S -c print(6*7)', argv: ['/usr/bin/python3', '-S', '-c', 'print(6*7)'], needs: '/usr/bin/python3' },
  ...(py32 === undefined ? [] : [
    { name: 'python3.11 (i386) -c print(1)', argv: ['-L', py32, '/usr/bin/python3.11', '-c', 'print(1)'], needs: join(py32, 'usr/bin/python3.11') },
    { name: 'python3.11 (i386) -c import subprocess', argv: ['-L', py32, '/usr/bin/python3.11', '-c', 'import subprocess'], needs: join(py32, 'usr/bin/python3.11') },
  ]),
];

console.log(`CPU of dbtlab run --runtime ${runtime} (${cli}; one run each, load ${loadavg()[0].toFixed(1)})`);
const devNull = openSync('/dev/null', 'w');
const dir = mkdtempSync(join(tmpdir(), 'dbtlab-footprint-'));
try {
  for (const line of LINES) {
    if (line.needs && !existsSync(line.needs)) {
      console.log(`${line.name}: skipped (no ${line.needs})`);
      continue;
    }
    const stats = join(dir, 'stats.json');
    const r = spawnSync('/usr/bin/time', ['-v', process.execPath, cli, 'run', '--runtime', runtime, '--stats-json', stats, ...line.argv], { encoding: 'utf8', stdio: ['ignore', devNull, 'pipe'] });
    const field = (name: string): string | undefined => new RegExp(`${name}: (.*)`).exec(r.stderr)?.[1];
    const cpu = Number(field('User time \\(seconds\\)')) + Number(field('System time \\(seconds\\)'));
    const kb = Number(field('Maximum resident set size \\(kbytes\\)'));
    const s = existsSync(stats) ? (JSON.parse(readFileSync(stats, 'utf8')) as { guest_insns: number; host_insns: number }) : undefined;
    const insns = s ? `, ${(s.guest_insns / 1e6).toFixed(1)} M guest / ${(s.host_insns / 1e6).toFixed(1)} M host insns, ${(s.host_insns / 1e6 / cpu).toFixed(1)} M host insns per CPU s` : '';
    console.log(`${line.name}: CPU ${cpu.toFixed(1)} s, peak RSS ${(kb / 1024).toFixed(0)} MB${insns}, exit ${field('Exit status')}`);
    rmSync(stats, { force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
