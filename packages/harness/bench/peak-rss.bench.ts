// Benchmark (not a timed test): peak RSS of `dbtlab run` on command lines that start many
// processes (issue 15's target: <= 300 MB on a busybox or bash run). Each line runs as a user
// runs it, the CLI in a fresh Node process, measured by GNU time's maximum resident set size
// (/usr/bin/time -v); its CPU seconds are printed too. One run per line: peak RSS depends on
// when V8 collects, so expect some tens of MB between runs.
// Run: pnpm --filter @dbtlab/harness bench:rss  (BENCH_RUNTIME=x86tomips-style for the other
// runtime; the busybox and bash-static lines need tools/debian-i386-programs.sh's download)
import { spawnSync } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../../..');
const cli = join(root, 'packages/harness/bin/dbtlab.js');
const programs = join(root, '.cache/debian-i386/bin');
const BB = join(programs, 'busybox');
const BASH = join(programs, 'bash-static');
const runtime = process.env.BENCH_RUNTIME ?? 'qemu-style';

const LINES: { name: string; argv: string[]; needs?: string }[] = [
  // 3 processes per iteration (the shell forks, each child execs busybox), ~60 in all
  { name: 'busybox sh: 20 x echo | cat | wc', argv: [BB, 'sh', '-c', `for i in $(${BB} seq 1 20); do echo $i | ${BB} cat | ${BB} wc -c; done`], needs: BB },
  { name: 'busybox sh: seq | wc; echo | tr', argv: [BB, 'sh', '-c', 'seq 1 2000 | wc -l; echo hi | tr a-z A-Z'], needs: BB },
  // bash-static running x86-64 /usr/bin programs (dynamic: ld.so and libc in every process)
  { name: 'bash-static: 8 x $(echo | tr), 8 x /usr/bin/true', argv: [BASH, '-c', 'for i in 1 2 3 4 5 6 7 8; do x=$(echo $i | tr 0-9 a-j); /usr/bin/true; done; echo $x'], needs: BASH },
  // the host's x86-64 dash and coreutils, 30 dynamic processes
  { name: 'dash (x86-64): 10 x echo | cat | wc', argv: ['/bin/dash', '-c', 'for i in 1 2 3 4 5 6 7 8 9 10; do echo $i | cat | wc -c; done'] },
];

console.log(`peak RSS of dbtlab run --runtime ${runtime} (one run each, load ${loadavg()[0].toFixed(1)})`);
// (stdio 'ignore' is /dev/null opened read-only: the guest's writes would fail with EBADF)
const devNull = openSync('/dev/null', 'w');
for (const line of LINES) {
  if (line.needs && !existsSync(line.needs)) {
    console.log(`${line.name}: skipped (no ${line.needs})`);
    continue;
  }
  const r = spawnSync('/usr/bin/time', ['-v', process.execPath, cli, 'run', '--runtime', runtime, ...line.argv], { encoding: 'utf8', stdio: ['ignore', devNull, 'pipe'] });
  const field = (name: string): string | undefined => new RegExp(`${name}: (.*)`).exec(r.stderr)?.[1];
  const kb = Number(field('Maximum resident set size \\(kbytes\\)'));
  const cpu = Number(field('User time \\(seconds\\)')) + Number(field('System time \\(seconds\\)'));
  const status = field('Exit status');
  console.log(`${line.name}: peak RSS ${(kb / 1024).toFixed(0)} MB, CPU ${cpu.toFixed(1)} s, exit ${status}`);
}
