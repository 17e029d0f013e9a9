// The dbtlab command line as a user meets it: stdio and status pass through, errors are one line.
import test from 'ava';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { workloadPath } from '../src/workloads';

const BIN = resolve(__dirname, '..', 'bin', 'dbtlab.js');
const dbtlab = (args: string[], input = '') => spawnSync('node', [BIN, ...args], { input, encoding: 'utf8' });
const tmp = mkdtempSync(join(tmpdir(), 'dbtlab-cli-'));

for (const runtime of ['qemu-style', 'x86tomips-style']) {
  test(`run --runtime ${runtime}: stdout and exit status are the guest's, stats only in the file`, (t) => {
    const stats = join(tmp, `${runtime}.json`);
    const r = dbtlab(['run', '--runtime', runtime, '--stats-json', stats, workloadPath('exit-status')]);
    const native = spawnSync(workloadPath('exit-status'), [], { encoding: 'utf8' });
    t.is(r.stdout, native.stdout);
    t.is(r.status, native.status);
    const s = JSON.parse(readFileSync(stats, 'utf8'));
    for (const k of ['guest_insns', 'host_insns', 'tbs_translated', 'tb_executions', 'code_cache_entries', 'context_switch_host_insns', 'syscalls'])
      t.true(Number.isInteger(s[k]) && s[k] > 0, k);
    t.is(s.runtime, runtime);
  });
}

test('run passes stdin through, as in a pipeline', (t) => {
  const input = 'one two\nthree four five\n';
  const r = dbtlab(['run', '--runtime', 'qemu-style', workloadPath('stdin-wc')], input);
  const native = spawnSync(workloadPath('stdin-wc'), [], { input, encoding: 'utf8' });
  t.is(r.stdout, native.stdout);
  t.is(r.status, native.status);
});

test('a missing file: one line naming it, non-zero status', (t) => {
  const r = dbtlab(['run', '--runtime', 'qemu-style', join(tmp, 'nope')]);
  t.not(r.status, 0);
  t.is(r.stdout, '');
  t.regex(r.stderr, /^dbtlab: .*nope.*\n$/);
});

test('a dynamically linked program whose interpreter is missing: ENOENT from execve, status 127 as a shell gives', (t) => {
  const src = join(tmp, 'dyn.c');
  const elf = join(tmp, 'dyn-noint');
  writeFileSync(src, '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n');
  const cc = spawnSync('gcc', ['-m32', '-O1', '-o', elf, src]);
  t.is(cc.status, 0, cc.stderr?.toString());
  const bytes = readFileSync(elf);
  bytes.write('/lib/ld-nowhere.so', bytes.indexOf('/lib/ld-linux.so.2\0'), 'latin1');
  writeFileSync(elf, bytes);
  const r = dbtlab(['run', '--runtime', 'qemu-style', elf]);
  t.is(r.status, 127);
  t.is(r.stdout, '');
  t.regex(r.stderr, /^dbtlab: cannot execute: .*interpreter \/lib\/ld-nowhere.so: No such file or directory\n$/);
});

test('a file that is not an i386 ELF: one clear line, non-zero status', (t) => {
  const f = join(tmp, 'not-elf');
  writeFileSync(f, '#!/bin/sh\necho hi\n');
  const r = dbtlab(['run', '--runtime', 'x86tomips-style', f]);
  t.not(r.status, 0);
  t.regex(r.stderr, /^dbtlab: .*ELF.*\n$/);
});

test('an instruction of an extension the CPU model lacks is SIGILL; one dbtlab does not translate exits 125', (t) => {
  const src = join(tmp, 'sse.s');
  const elf = join(tmp, 'sse');
  writeFileSync(src, '.globl _start\n_start:\n  addps %xmm1, %xmm0\n  movl $1, %eax\n  int $0x80\n');
  const cc = spawnSync('gcc', ['-m32', '-static', '-nostdlib', '-o', elf, src]);
  t.is(cc.status, 0, cc.stderr?.toString());
  // a Pentium II has no SSE: #UD, as on the real CPU
  t.is(dbtlab(['run', '--runtime', 'qemu-style', '--cpu', 'pentium2', elf]).status, 128 + 4);
  const stats = join(tmp, 'sse.json');
  const r = dbtlab(['run', '--runtime', 'qemu-style', '--cpu', 'max', '--stats-json', stats, elf]);
  t.is(r.status, 125);
  t.regex(r.stderr, /^dbtlab: unsupported instruction at 0x[0-9a-f]+: 0f 58 c1 \(addps %xmm1,%xmm0; .*\)\n$/);
  t.is(JSON.parse(readFileSync(stats, 'utf8')).tbs_translated, 0);
  t.is(dbtlab(['run', '--cpu', 'pentium9', elf]).status, 2);
});

test('compare: both runtimes checked against native, metrics side by side', (t) => {
  const r = dbtlab(['compare', workloadPath('calls')]);
  t.is(r.status, 0, r.stderr);
  t.regex(r.stdout, /code_cache_entries\s+\d+\s+\d+/);
  t.regex(r.stdout, /qemu-style: matches native/);
  t.regex(r.stdout, /x86tomips-style: matches native/);
});

test('unknown command or option: usage on stderr, status 2', (t) => {
  t.is(dbtlab(['frobnicate']).status, 2);
  const r = dbtlab(['run', '--bogus', 'x']);
  t.is(r.status, 2);
  t.regex(r.stderr, /unknown option --bogus/);
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

test('an unimplemented system call is ENOSYS for the guest, logged only with -d unimp (stderr or --log FILE)', (t) => {
  const elf = buildC('enosys', ENOSYS_PROG);
  const native = spawnSync(elf, [], { encoding: 'utf8' });
  const quiet = dbtlab(['run', elf]);
  t.is(quiet.stdout, native.stdout);
  t.is(quiet.stderr, '');
  t.is(quiet.status, 3);
  const logged = dbtlab(['run', '-d', 'unimp', elf]);
  t.is(logged.stdout, native.stdout);
  t.is(logged.stderr, 'Unsupported syscall: 17 (break)\n');
  const log = join(tmp, 'unimp.log');
  const toFile = dbtlab(['run', '-d', 'unimp', '--log', log, elf]);
  t.is(toFile.stderr, '');
  t.is(readFileSync(log, 'utf8'), 'Unsupported syscall: 17 (break)\n');
  t.is(dbtlab(['run', '-d', 'bogus', elf]).status, 2);
});

test('an unwritable --stats-json: one line on stderr after the run, the guest status kept', (t) => {
  const r = dbtlab(['run', '--stats-json', join(tmp, 'no', 'such', 'dir.json'), workloadPath('exit-status')]);
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
