// The dbtlab command line as a user meets it: stdio and status pass through, errors are one line.
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { COMMAND_NAMES, optionsOf } from '../src/cli/cli-config';
import { workloadPath } from '../src/workloads';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const BIN = resolve(__dirname, '..', 'bin', 'dbtlab.js');
interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}
/** At most this many CLI processes at once: tests side by side, the machine not flooded. */
let slots = 3;
const waiting: (() => void)[] = [];
async function dbtlab(args: string[], input = '', env: NodeJS.ProcessEnv = process.env): Promise<Result> {
  while (slots === 0) await new Promise<void>((wake) => waiting.push(wake));
  slots--;
  try {
    return await spawnCli(args, input, env);
  } finally {
    slots++;
    waiting.shift()?.();
  }
}

const spawnCli = (args: string[], input: string, env: NodeJS.ProcessEnv): Promise<Result> =>
  new Promise((done) => {
    const p = spawn('node', [BIN, ...args], { env });
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    p.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    p.on('close', (status) => done({ status, stdout, stderr }));
    p.stdin.end(input);
  });
const tmp = testTmpDir('dbtlab-cli-');

for (const runtime of ['qemu-style', 'x86tomips-style']) {
  test(`run --runtime ${runtime}: stdout and exit status are the guest's, stats only in the file`, async (t) => {
    const stats = join(tmp, `${runtime}.json`);
    const r = await dbtlab(['run', '--runtime', runtime, '--stats-json', stats, workloadPath('exit-status')]);
    const native = spawnSync(workloadPath('exit-status'), [], { encoding: 'utf8' });
    t.is(r.stdout, native.stdout);
    t.is(r.status, native.status);
    const s = JSON.parse(readFileSync(stats, 'utf8'));
    for (const k of ['guest_insns', 'host_insns', 'tbs_translated', 'tb_executions', 'code_cache_entries', 'context_switch_host_insns', 'syscalls'])
      t.true(Number.isInteger(s[k]) && s[k] > 0, k);
    t.is(s.runtime, runtime);
    t.is(s.config, 'default');
    t.is(s.binary_sha256, createHash('sha256').update(readFileSync(workloadPath('exit-status'))).digest('hex'));
    t.regex(s.dbtlab_version, /^\d+\.\d+\.\d+/);
  });
}

test('run passes stdin through, as in a pipeline', async (t) => {
  const input = 'one two\nthree four five\n';
  const r = await dbtlab(['run', '--runtime', 'qemu-style', workloadPath('stdin-wc')], input);
  const native = spawnSync(workloadPath('stdin-wc'), [], { input, encoding: 'utf8' });
  t.is(r.stdout, native.stdout);
  t.is(r.status, native.status);
});

test('stdio redirected from and to files: the shell\'s open files, seekable, their offsets shared with the next command', (t) => {
  const exe = join(tmp, 'host-offsets');
  t.is(spawnSync('gcc', ['-static', '-O1', '-o', exe, join(__dirname, 'fixtures', 'host-offsets.c')]).status, 0);
  writeFileSync(join(tmp, 'offsets.in'), 'abcdefghij\n');
  const shell = (cmd: string, out: string) => {
    spawnSync('sh', ['-c', `{ ${cmd}; cat; } < offsets.in > ${out}`], { cwd: tmp });
    return readFileSync(join(tmp, out), 'latin1');
  };
  const native = shell(exe, 'native.out');
  t.is(native, '4 2 2 abcdgh 2 0 0 1 -1\nstdout at 24\ncdefghij\n');
  t.is(shell(`node ${BIN} run ${exe}`, 'dbtlab.out'), native);
});

test('a bash-like read loop on a redirected stdin: a seek back per line through the host, the offset left for the next command, refused seeks as native', (t) => {
  writeFileSync(join(tmp, 'seeks.in'), Array.from({ length: 300 }, (_, i) => `${i} a line of words\n`).join(''));
  for (const bits of ['32', '64']) {
    const exe = join(tmp, `stdin-seeks${bits}`);
    t.is(spawnSync('gcc', [`-m${bits}`, '-static', '-O1', '-o', exe, join(__dirname, 'fixtures', 'stdin-seeks.c')]).status, 0);
    const shell = (cmd: string) => spawnSync('sh', ['-c', `{ ${cmd} 200; cat; } < seeks.in`], { cwd: tmp, encoding: 'latin1' }).stdout;
    const native = shell(exe);
    t.regex(native, /^200 lines, 3690 bytes, at 3890\n/);
    t.is(shell(`node ${BIN} run ${exe}`), native, bits);
  }
});

test('a missing file: one line naming it, non-zero status', async (t) => {
  const r = await dbtlab(['run', '--runtime', 'qemu-style', join(tmp, 'nope')]);
  t.not(r.status, 0);
  t.is(r.stdout, '');
  t.regex(r.stderr, /^dbtlab: .*nope.*\n$/);
});

for (const [bits, interp, missing] of [['32', '/lib/ld-linux.so.2', '/lib/ld-nowhere.so'], ['64', '/lib64/ld-linux-x86-64.so.2', '/lib64/ld-nowhere-x86-64.so']]) {
  test(`a dynamically linked ${bits}-bit program whose interpreter is missing: ENOENT from execve, status 127 as a shell gives`, async (t) => {
    const src = join(tmp, 'dyn.c');
    const elf = join(tmp, `dyn-noint${bits}`);
    writeFileSync(src, '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n');
    const cc = spawnSync('gcc', [`-m${bits}`, '-O1', '-o', elf, src]);
    t.is(cc.status, 0, cc.stderr?.toString());
    const bytes = readFileSync(elf);
    bytes.write(`${missing}\0`, bytes.indexOf(`${interp}\0`), 'latin1');
    writeFileSync(elf, bytes);
    const r = await dbtlab(['run', '--runtime', 'qemu-style', elf]);
    t.is(r.status, 127);
    t.is(r.stdout, '');
    t.is(r.stderr, `dbtlab: cannot execute: cannot read ${elf}: interpreter ${missing}: No such file or directory\n`);
  });
}

test('a file that is not an i386 ELF: one clear line, non-zero status', async (t) => {
  const f = join(tmp, 'not-elf');
  writeFileSync(f, '#!/bin/sh\necho hi\n');
  const r = await dbtlab(['run', '--runtime', 'x86tomips-style', f]);
  t.not(r.status, 0);
  t.regex(r.stderr, /^dbtlab: .*ELF.*\n$/);
});

test('/dev/zero as the program: one line, exit 125, nothing read', async (t) => {
  const r = await dbtlab(['run', '--runtime', 'qemu-style', '/dev/zero']);
  t.is(r.status, 125);
  t.regex(r.stderr, /^dbtlab: .*not a regular file\n$/);
});

test('an instruction of an extension the CPU model lacks is SIGILL; one dbtlab cannot run exits 125', async (t) => {
  const build = (name: string, insn: string) => {
    const src = join(tmp, `${name}.s`);
    const elf = join(tmp, name);
    writeFileSync(src, `.globl _start\n_start:\n  ${insn}\n  movl $1, %eax\n  int $0x80\n`);
    const cc = spawnSync('gcc', ['-m32', '-static', '-nostdlib', '-o', elf, src]);
    t.is(cc.status, 0, cc.stderr?.toString());
    return elf;
  };
  const sse = build('sse', 'addps %xmm1, %xmm0');
  // a Pentium II has no SSE: #UD, as on the real CPU; a Pentium III has
  t.is((await dbtlab(['run', '--runtime', 'qemu-style', '--cpu', 'pentium2', sse])).status, 128 + 4);
  t.is((await dbtlab(['run', '--runtime', 'qemu-style', '--cpu', 'pentium3', sse])).status, 0);
  t.is((await dbtlab(['run', '--cpu', 'pentium9', sse])).status, 2);
  // a far jump from 64-bit code to the 32-bit code segment (dbtlab runs one mode per process)
  const src = join(tmp, 'far23.s');
  const elf = join(tmp, 'far23');
  writeFileSync(src, '.globl _start\n_start:\n  ljmpl *farp(%rip)\n.data\nfarp: .long 0\n  .word 0x23\n');
  t.is(spawnSync('gcc', ['-m64', '-static', '-nostdlib', '-o', elf, src]).status, 0);
  const stats = join(tmp, 'far23.json');
  const r = await dbtlab(['run', '--runtime', 'qemu-style', '--stats-json', stats, elf]);
  t.is(r.status, 125);
  t.regex(r.stderr, /^dbtlab: internal error: a far transfer from 64-bit code to the 32-bit code segment 0x23 is not supported\n$/);
  t.is(JSON.parse(readFileSync(stats, 'utf8')).tbs_translated, 1);
});

test('compare: both runtimes checked against native, metrics side by side', async (t) => {
  const r = await dbtlab(['compare', workloadPath('calls')]);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /code_cache_entries\s+\d+\s+\d+/);
  t.regex(r.stdout, /qemu-style: matches native/);
  t.regex(r.stdout, /x86tomips-style: matches native/);
});

const oneLine = /^dbtlab[^\n]*\n$/;

const loop = workloadPath('loop');
const usageCases: [string[], RegExp][] = [
  [['frobnicate'], /unknown command 'frobnicate'/],
  [['run', '--bogus', 'x'], /unknown option '--bogus'/],
  [['run', '--runtime', 'qemu', loop], /--runtime: 'qemu' is not one of qemu-style, x86tomips-style/],
  [['run', '--runtime', 'qemu-style', '--syscall-ends-tb', loop], /--syscall-ends-tb applies to x86tomips-style only/],
  [['run', '--runtime', 'qemu-style', '--chain', loop], /--chain applies to x86tomips-style only/],
  [['trace', '--runtime', 'x86tomips-style', '--no-chain', loop], /--no-chain applies to qemu-style only/],
  [['trace', '--limit', 'abc', loop], /--limit: expected a positive integer, got 'abc'/],
  [['run', '--stats-json'], /argument missing/],
  [['run', '--strace=yes', loop], /does not take an argument/],
  [['run', '-d', 'in_asm,bogus', loop], /unknown log item 'bogus'/],
  [['run', '-E', 'NOEQUALS', loop], /expected VAR=VALUE/],
  [['run'], /missing <elf>/],
  [['disasm'], /missing <elf>/],
  [['compare', '--json', '--csv', loop], /choose one/],
];
for (const [args, message] of usageCases) {
  test(`usage error, one line on stderr, status 2: dbtlab ${args.map((a) => a.replace(/.*\//, '')).join(' ')}`, async (t) => {
    const r = await dbtlab(args);
    t.is(r.status, 2);
    t.regex(r.stderr, oneLine);
    t.regex(r.stderr, message);
    t.is(r.stdout, '');
  });
}

test('dbtlab could not run the guest: status 125, not 2', async (t) => {
  const f = join(tmp, 'not-elf-125');
  writeFileSync(f, 'plain text\n');
  t.is((await dbtlab(['run', '--runtime', 'qemu-style', f])).status, 125);
  t.is((await dbtlab(['disasm', join(tmp, 'nope')])).status, 125);
});

test('--version prints the package version; no command prints the help with status 2', async (t) => {
  const pkg = JSON.parse(readFileSync(resolve(__dirname, '..', 'package.json'), 'utf8'));
  for (const flag of ['--version', '-V']) {
    const r = await dbtlab([flag]);
    t.is(r.status, 0);
    t.is(r.stdout, `dbtlab ${pkg.version}\n`);
  }
  const none = await dbtlab([]);
  t.is(none.status, 2);
  t.regex(none.stderr, /^usage: dbtlab <command>/);
});

test('dbtlab --help lists every command', async (t) => {
  const top = await dbtlab(['--help']);
  t.is(top.status, 0);
  for (const c of COMMAND_NAMES) t.regex(top.stdout, new RegExp(`^  ${c} `, 'm'));
});

for (const c of COMMAND_NAMES) {
  test(`dbtlab ${c} --help: every option with its value name and default`, async (t) => {
    const forms = [[c, '--help'], [c, '-h'], ['help', c]];
    const rs = await Promise.all(forms.map((f) => dbtlab(f)));
    for (const r of rs) {
      t.is(r.status, 0);
      t.is(r.stdout, rs[0].stdout);
    }
    const text = rs[0].stdout;
    t.true(text.startsWith(`usage: dbtlab ${c} [options] `));
    for (const o of optionsOf(c)) {
      const line = text.split('\n').find((l) => new RegExp(`--${o.name}${o.value ? ` ${o.value.replace(/[[\].]/g, '\\$&')}` : ''}\\s`).test(l));
      t.truthy(line, `--${o.name}`);
      if (o.default !== undefined) t.true(line!.includes(`default: ${o.default}`), `--${o.name} default`);
    }
  });
}

test('a -h after the program is the guest\'s', async (t) => {
  const r = await dbtlab(['run', '--runtime', 'qemu-style', workloadPath('loop'), '-h']);
  t.is(r.status, 0);
  t.regex(r.stdout, /loop sum/);
});

test('-d in_asm,exec,nochain -D FILE: a QEMU-format log with as many IN: and Trace lines as qemu-i386 writes', async (t) => {
  const log = join(tmp, 'loop.log');
  const qlog = join(tmp, 'loop.qemu.log');
  const r = await dbtlab(['run', '--runtime', 'qemu-style', '-d', 'in_asm,exec,nochain', '-D', log, workloadPath('loop')]);
  t.is(r.status, 0, r.stderr);
  spawnSync('qemu-i386', ['-d', 'in_asm,exec,nochain', '-D', qlog, workloadPath('loop')]);
  const count = (f: string, re: RegExp) => readFileSync(f, 'latin1').split('\n').filter((l) => re.test(l)).length;
  t.is(count(log, /^IN:/), count(qlog, /^IN:/));
  t.is(count(log, /^Trace 0: 0x[0-9a-f]+ \[00000000\/[0-9a-f]{8}\//), count(qlog, /^Trace 0:/));
  // the first block is QEMU's: address, bytes, instruction
  t.regex(readFileSync(log, 'latin1'), /^-{16}\nIN: \n0x08049000: {2}31 ed {20}xor +%ebp,%ebp\n/);
});

test('-strace (QEMU spelling) logs the system calls', async (t) => {
  const r = await dbtlab(['run', '-strace', workloadPath('exit-status')]);
  t.is(r.status, 3);
  t.regex(r.stderr, /write\(1,/);
});

const ENV_PROG = `#include <stdio.h>
#include <stdlib.h>
int main(void) {
  const char *names[] = { "DBTLAB_SET", "DBTLAB_KEPT", "DBTLAB_GONE", "DBTLAB_TWICE" };
  for (int i = 0; i < 4; i++) { const char *v = getenv(names[i]); printf("%s=%s\\n", names[i], v ? v : "(unset)"); }
  return 0;
}
`;

test('-E and -U change the environment the guest sees (unset first, then set, as qemu-user)', async (t) => {
  const elf = buildC('env', ENV_PROG);
  const env = { ...process.env, DBTLAB_KEPT: 'k', DBTLAB_GONE: 'g', DBTLAB_TWICE: 'old' };
  const r = await dbtlab(['run', '-U', 'DBTLAB_GONE', '-E', 'DBTLAB_SET=a=b', '-U', 'DBTLAB_TWICE', '-E', 'DBTLAB_TWICE=new', elf], '', env);
  t.is(r.status, 0, r.stderr);
  t.is(r.stdout, 'DBTLAB_SET=a=b\nDBTLAB_KEPT=k\nDBTLAB_GONE=(unset)\nDBTLAB_TWICE=new\n');
});

test('compare --json and --csv: machine-readable, with configuration, version and binary hash', async (t) => {
  const elf = workloadPath('calls');
  const j = await dbtlab(['compare', '--json', '--syscall-ends-tb', elf]);
  t.is(j.status, 0, j.stderr);
  const parsed = JSON.parse(j.stdout);
  const sha = createHash('sha256').update(readFileSync(elf)).digest('hex');
  t.deepEqual(parsed.runs.map((r: { runtime: string; config: string }) => `${r.runtime} ${r.config}`), ['qemu-style default', 'x86tomips-style syscall-ends-tb']);
  for (const r of parsed.runs) {
    t.is(r.binary_sha256, sha);
    t.true(r.matches_native);
    t.is(typeof r.dbtlab_version, 'string');
  }
  const c = await dbtlab(['compare', '--csv', elf]);
  t.is(c.status, 0);
  const lines = c.stdout.trim().split('\n');
  t.is(lines.length, 3);
  t.regex(lines[0], /^workload,runtime,config,guest_insns,/);
  t.regex(lines[1], /,qemu-style,default,\d+,/);
});

/** gcc -m32 -static of a C source written to tmp; returns the executable. */
function buildC(name: string, source: string): string {
  const src = join(tmp, `${name}.c`);
  const elf = join(tmp, name);
  writeFileSync(src, source);
  const cc = spawnSync('gcc', ['-m32', '-static', '-O2', '-o', elf, src], { encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(cc.stderr);
  return elf;
}

const ENOSYS_PROG = `#include <stdio.h>
#include <unistd.h>
#include <errno.h>
int main(void) { long r = syscall(17); printf("%ld %d\\n", r, errno); return 3; }
`;

test('an unimplemented system call is ENOSYS for the guest, logged only with -d unimp (stderr or --log FILE)', async (t) => {
  const elf = buildC('enosys', ENOSYS_PROG);
  const native = spawnSync(elf, [], { encoding: 'utf8' });
  const quiet = await dbtlab(['run', elf]);
  t.is(quiet.stdout, native.stdout);
  t.is(quiet.stderr, '');
  t.is(quiet.status, 3);
  const logged = await dbtlab(['run', '-d', 'unimp', elf]);
  t.is(logged.stdout, native.stdout);
  t.is(logged.stderr, 'Unsupported syscall: 17 (break)\n');
  const log = join(tmp, 'unimp.log');
  const toFile = await dbtlab(['run', '-d', 'unimp', '--log', log, elf]);
  t.is(toFile.stderr, '');
  t.is(readFileSync(log, 'utf8'), 'Unsupported syscall: 17 (break)\n');
  t.is((await dbtlab(['run', '-d', 'bogus', elf])).status, 2);
});

test('an unwritable --stats-json: one line on stderr after the run, the guest status kept', async (t) => {
  const r = await dbtlab(['run', '--stats-json', join(tmp, 'no', 'such', 'dir.json'), workloadPath('exit-status')]);
  const native = spawnSync(workloadPath('exit-status'), [], { encoding: 'utf8' });
  t.is(r.status, native.status);
  t.is(r.stdout, native.stdout);
  t.regex(r.stderr, /\ndbtlab: --stats-json: ENOENT[^\n]*\n$/);
});

for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  test(`compare and trace leave no temporary directory when killed by ${sig}`, async (t) => {
    const own = mkdtempSync(join(tmp, 'tmpdir-'));
    for (const cmd of ['compare', 'trace']) {
      const child = spawn('node', [BIN, cmd, workloadPath('loop')], { env: { ...process.env, TMPDIR: own }, stdio: 'ignore' });
      await new Promise((r) => setTimeout(r, 1500));
      child.kill(sig);
      await new Promise((r) => child.on('exit', r));
      t.deepEqual(readdirSync(own), [], cmd);
    }
  });
}

/** gcc -m32 -static of test/signals/<name>.c */
function buildSignalProgram(name: string): string {
  const elf = join(tmp, `sig-${name}`);
  const cc = spawnSync('gcc', ['-m32', '-static', '-O1', '-o', elf, join(__dirname, 'signals', `${name}.c`)], { encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(cc.stderr);
  return elf;
}

/** Runs a shell command line, returns its stdout (the command itself reports statuses). */
const sh = (line: string): string => spawnSync('bash', ['-c', line], { encoding: 'utf8' }).stdout;

test('SIGPIPE: `run prog | head -c 10` ends with status 141 as natively', (t) => {
  const elf = buildSignalProgram('yes');
  const native = sh(`${elf} | head -c 10 >/dev/null; echo \${PIPESTATUS[0]}`);
  t.is(native, '141\n');
  t.is(sh(`node ${BIN} run ${elf} | head -c 10 >/dev/null; echo \${PIPESTATUS[0]}`), native);
});

test('closed standard descriptors stay closed for the guest (EBADF)', (t) => {
  const elf = buildSignalProgram('closed-stdio');
  // what Linux gives (a qemu-i386 registered with binfmt_misc's O flag puts the ELF on fd 0 instead)
  t.is(sh(`node ${BIN} run ${elf} 2>&1 >&- <&-; echo $?`), 'write -1 EBADF\nread -1 EBADF\n0\n');
  t.is(sh(`node ${BIN} run ${elf} 2>&1 >/dev/null </dev/null; echo $?`), 'write 2 ok\nread 0 ok\n0\n');
});

/** Sends HUP, WINCH, USR1, TERM once the program is ready, then INT once it waits for the end. */
async function sendSignals(cmd: string, args: string[]): Promise<{ out: string; signal: NodeJS.Signals | null }> {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const seen = (s: string) =>
    new Promise<void>((resolve) => {
      const check = () => (out.includes(s) ? resolve() : setTimeout(check, 50));
      check();
    });
  child.stdout.on('data', (d) => (out += d));
  await seen('ready');
  for (const [sig, after] of [['SIGHUP', 'got 1'], ['SIGWINCH', ''], ['SIGUSR1', 'got 10'], ['SIGTERM', 'got 15']] as const) {
    child.kill(sig);
    if (after) await seen(after);
  }
  await seen('waiting for the end');
  child.kill('SIGINT');
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, s) => resolve(s)));
  return { out, signal };
}

for (const mode of [[], ['busy']]) {
  test(`signals sent to dbtlab reach the guest's handlers, then SIGINT kills it as natively${mode.length ? ' (busy loop: at a TB boundary)' : ' (pause)'}`, async (t) => {
    const elf = buildSignalProgram('external');
    const native = await sendSignals(elf, mode);
    t.is(native.out, 'ready\ngot 1\ngot 10\ngot 15\nwaiting for the end\n');
    t.is(native.signal, 'SIGINT');
    t.deepEqual(await sendSignals('node', [BIN, 'run', elf, ...mode]), native);
  });
}

test('the main thread of dbtlab run loads no runtime (the guest worker does, once)', (t) => {
  // what the CLI loads before a command runs, and what `run`'s main-thread part loads
  const script = `require(${JSON.stringify(resolve(__dirname, '..', 'dist', 'cli.js'))});`
    + `require(${JSON.stringify(resolve(__dirname, '..', 'dist', 'commands', 'run.js'))});`
    + 'process.stdout.write(JSON.stringify(Object.keys(require.cache)))';
  const loaded = JSON.parse(spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' }).stdout) as string[];
  t.true(loaded.some((f) => f.endsWith('run-worker.js')));
  t.deepEqual(loaded.filter((f) => /(dbt-core|linux-user|mips-codegen|mips-host|runtime-[a-z0-9-]+)[/\\]dist/.test(f) || f.endsWith('run-thread.js')), []);
});
