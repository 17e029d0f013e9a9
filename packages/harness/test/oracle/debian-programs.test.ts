// Real Debian i386 programs (busybox-static, bash-static from tools/debian-i386-programs.sh)
// on command lines that stay in one process, and on shell lines that start process trees
// (pipes, $(...), subshells, & and wait, xargs, find -exec): dbtlab's stdout, stderr and exit
// status must be byte-identical to a native run's, in a fresh copy of the same small tree.
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, cpSync, mkdirSync, mkdtempSync, openSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join, resolve } from 'node:path';
import { runCaptured } from '../../src/capture';
import { createScheme, RUNTIME_NAMES } from '../../src/runtimes';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const programs = execFileSync('bash', [resolve(__dirname, '../../../../tools/debian-i386-programs.sh')], { encoding: 'utf8' }).trim();
const BUSYBOX = join(programs, 'bin', 'busybox');
const BASH = join(programs, 'bin', 'bash-static');
const tmp = testTmpDir('dbtlab-debian-');

/** The tree every command line starts from. */
const template = join(tmp, 'template');
mkdirSync(join(template, 'src', 'sub'), { recursive: true });
writeFileSync(join(template, 'in.txt'), 'banana\napple\ncherry\napple\n');
writeFileSync(join(template, 'src', 'a.txt'), 'alpha\n');
writeFileSync(join(template, 'src', 'sub', 'b.txt'), 'beta\n');

function freshTree(): string {
  const dir = mkdtempSync(join(tmp, 'run-'));
  cpSync(template, dir, { recursive: true });
  return dir;
}

const BUSYBOX_LINES: string[][] = [
  ['echo', 'hi'],
  ['sort', 'in.txt'],
  ['sort', '-u', '-r', 'in.txt'],
  ['uniq', '-c', 'in.txt'],
  ['sed', '-e', 's/an/AN/g', 'in.txt'],
  ['awk', '{ n += length($0) } END { print n, NR }', 'in.txt'],
  ['grep', '-n', 'apple', 'in.txt'],
  ['wc', 'in.txt'],
  ['md5sum', 'in.txt'],
  ['sha256sum', 'in.txt'],
  ['od', '-c', 'in.txt'],
  ['cp', '-r', 'src', 'dst'],
  ['cat', 'src/sub/b.txt'],
  ['stat', '-c', '%n %s %a %F %h', 'in.txt', 'src'],
  ['chmod', '600', 'in.txt'],
  ['touch', '-d', '2001-02-03 04:05:06', 'in.txt'],
  ['truncate', '-s', '3', 'in.txt'],
  ['ln', '-s', 'in.txt', 'link'],
  ['mkdir', '-p', 'a/b/c'],
  ['rm', '-r', 'src'],
  ['find', 'src', '-name', '*.txt'],
  ['du', '-s', 'src'],
  ['seq', '5'],
  ['basename', '/x/y/z.c', '.c'],
  ['expr', '6', '*', '7'],
  ['printf', '%05d|%s\\n', '42', 'x'],
  ['tr', 'a-z', 'A-Z'],
  ['sleep', '0.01'],
  ['cat', 'no-such-file'],
  ['ls', 'no-such-dir'],
];

const BASH_LINES: string[] = [
  'echo hi',
  'read x <<< "from here"; echo "$x"',
  'x=3; y=$((x * 14)); echo $y; printf "%s-%s\\n" a b',
  'for i in 1 2 3; do echo "n$i"; done; [[ abc == a* ]] && echo glob',
  'declare -A m=([k]=v); echo ${m[k]}; echo ${#BASH_VERSINFO[@]}',
  'cd src && pwd -P >/dev/null && echo $? && type cd',
  'exit 7',
];

const sigStatus = (r: ReturnType<typeof spawnSync>): number => r.status ?? 128 + constants.signals[r.signal as keyof typeof constants.signals];

function same(t: import('ava').ExecutionContext, argv: string[], stdin = '') {
  const stdinFile = join(tmp, 'stdin.txt');
  writeFileSync(stdinFile, stdin);
  // stdin a regular file on both sides: a socket there (Node's pipes are socketpairs) makes bash
  // believe rshd started it and source ~/.bashrc, which is the machine's, not the test's
  const stdinFd = openSync(stdinFile, 'r');
  const native = spawnSync(argv[0], argv.slice(1), { cwd: freshTree(), env: {}, stdio: [stdinFd, 'pipe', 'pipe'] });
  closeSync(stdinFd);
  for (const runtime of RUNTIME_NAMES) {
    const r = runCaptured(createScheme(runtime), { elf: argv[0], argv, envp: [], cwd: freshTree() }, stdinFile);
    const what = `${runtime}: ${argv.slice(1).join(' ')}`;
    t.is(r.error, undefined, what);
    t.is(r.stdout.toString(), native.stdout.toString(), what);
    t.is(r.stderr.toString(), native.stderr.toString(), what);
    t.is(r.status, sigStatus(native), what);
  }
}

/** Shell lines that fork, exec (busybox re-executes /proc/self/exe for applets) and pipe. */
const SEQ_LINES = process.env.CI === 'true' ? 2000 : 100000;
const BUSYBOX_SH_LINES: string[] = [
  `seq 1 ${SEQ_LINES} | wc -l`,
  'x=$(echo a b c | wc -w); echo "w=$x"; (cd src && ls) | sort -r; false & wait $!; echo "st=$?"; find src -name "*.txt" | sort | xargs cat; find src -type f -exec cat {} \\; | sort',
];
const BASH_PROCESS_LINES: string[] = [
  `x=$(echo hi | ${BUSYBOX} tr a-z A-Z); echo "$x"; ${BUSYBOX} seq 3 | while read l; do echo "<$l>"; done | ${BUSYBOX} cat -n; (exit 3); echo $?; ${BUSYBOX} true & wait $!; echo bg=$?`,
];

// CI=true samples every third line (the whole CI run has a time budget)
const sampled = <T>(xs: T[]): T[] => (process.env.CI === 'true' ? xs.filter((_, i) => i % 3 === 0) : xs);
for (const line of sampled(BUSYBOX_LINES)) {
  test(`busybox ${line.join(' ')}`, (t) => same(t, [BUSYBOX, ...line], 'one two\nthree\n'));
}
for (const line of sampled(BASH_LINES)) {
  test(`bash -c '${line}'`, (t) => same(t, [BASH, '-c', line]));
}
// every process-tree line in both modes (CI: a shorter seq)
for (const line of BUSYBOX_SH_LINES) {
  test(`busybox sh -c '${line}'`, (t) => same(t, [BUSYBOX, 'sh', '-c', line]));
}
for (const line of BASH_PROCESS_LINES) {
  test(`bash -c '${line.replaceAll(BUSYBOX, 'busybox')}'`, (t) => same(t, [BASH, '-c', line]));
}
