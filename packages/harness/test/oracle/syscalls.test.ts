// The system-call test programs (test/syscalls/*.c, gcc -m32 -static): each prints every
// call's result and errno; dbtlab's stdout, stderr and status must equal a native run's.
// The programs in KERNEL_ORACLE print only what does not depend on the ABI; their native run
// is the x86-64 build on this kernel: the real kernel's answers even where i386 runs go
// through qemu-i386 (which, e.g., accepts flag bits Linux refuses with EINVAL). The programs in
// LINUX_I386 (i386-only interfaces: the ipc() and socketcall multiplexers, old structures) are judged
// by Linux's own i386 ABI: their i386 build run where Linux runs i386 (this kernel or the kernel VM).
import test from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { runCaptured } from '../../src/capture';
import { HOST_WIDE_LIMITS, underHostWideLock } from './host-wide-limits';
import { createScheme, RUNTIME_NAMES } from '../../src/runtimes';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

const SRC = join(__dirname, '..', 'syscalls');
const tmp = testTmpDir('dbtlab-syscalls-');
const PROGRAMS = readdirSync(SRC).filter((f) => f.endsWith('.c')).map((f) => f.slice(0, -2));
const KERNEL_ORACLE = new Set(['events', 'fifos', 'pipes', 'threads-fs']);
const LINUX_I386 = new Set(['inet', 'ipc', 'job-control', 'path-order', 'processes', 'sigreturn-segments', 'sockets', 'vdso-fastcall', 'vdso-mremap']);
/** Programs run also by x86tomips-style --chain: its 32-bit `syscall` returns to the landing pad by a chained exit, other places (restart, signal, moved [vdso]) by a lookup. */
const CHAINED_RETURNS = new Set(['vdso-fastcall', 'vdso-mremap']);
/** Programs whose native run needs an IPC namespace of its own (no other SysV segment counted), as dbtlab's guests have. */
const OWN_IPC_NAMESPACE = new Set(['shm-rss', 'maps-shmem']);
/** Programs whose native run needs a UTS namespace of its own (root here may rename the machine), as dbtlab's guests have. */
const OWN_UTS_NAMESPACE = new Set(['uts-mount']);
/** Programs whose native run needs a pid namespace of its own (/proc lists only its tree), as dbtlab's guests see. */
const OWN_PID_NAMESPACE = new Set(['proc-files']);
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { linuxI386, NO_LINUX_I386, runOnLinuxI386 } = require('../../../../tools/linux-i386.cjs') as {
  linuxI386: () => 'native' | 'vm' | 'none';
  NO_LINUX_I386: string;
  runOnLinuxI386: (cwd: string, argv: string[]) => { stdout: string; stderr: string; status: number };
};

/** The oracle's run of `exe` in `cwd`: stdout, stderr, exit status. */
function nativeRun(name: string, exe: string, cwd: string): { stdout: string; stderr: string; status: number } {
  if (LINUX_I386.has(name)) return runOnLinuxI386(cwd, [exe]);
  const prog = KERNEL_ORACLE.has(name) ? build(name, '-m64') : exe;
  const namespace = OWN_IPC_NAMESPACE.has(name) ? ['-i'] : OWN_UTS_NAMESPACE.has(name) ? ['-u'] : OWN_PID_NAMESPACE.has(name) ? ['-pf', '--mount-proc'] : undefined;
  const [file, ...args] = HOST_WIDE_LIMITS.has(name) ? underHostWideLock(prog) : namespace ? ['unshare', ...namespace, prog] : [prog];
  const r = spawnSync(file, args, { cwd, env: {}, encoding: 'utf8' });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status ?? 128 + constants.signals[r.signal as keyof typeof constants.signals] };
}

function build(name: string, abi: '-m32' | '-m64' = '-m32'): string {
  const exe = join(tmp, `${name}${abi}`);
  execFileSync('gcc', [abi, '-static', '-O1', `-I${SRC}`, '-o', exe, join(SRC, `${name}.c`)], { stdio: ['ignore', 'ignore', 'pipe'] });
  return exe;
}

/** Each run in its own empty directory (the programs create files). */
const freshDir = (): string => mkdtempSync(join(tmp, 'cwd-'));

for (const name of PROGRAMS) {
  const define = LINUX_I386.has(name) && linuxI386() === 'none' ? test.skip : test;
  define(`${name}: every call's result and errno as native${define === test ? '' : ` ${NO_LINUX_I386}`}`, (t) => {
    const exe = build(name);
    const native = nativeRun(name, exe, freshDir());
    const schemes = RUNTIME_NAMES.map((runtime) => createScheme(runtime));
    if (CHAINED_RETURNS.has(name)) schemes.push(createScheme('x86tomips-style', { chain: true }));
    for (const scheme of schemes) {
      const runtime = `${scheme.name} (${scheme.config})`;
      const r = runCaptured(scheme, { elf: exe, argv: [exe], envp: [], cwd: freshDir() });
      t.is(r.error, undefined, `${runtime}: ${r.error}`);
      t.is(r.stdout.toString(), native.stdout, runtime);
      t.is(r.stderr.toString(), native.stderr, runtime);
      t.is(r.status, native.status, runtime);
    }
  });
}

test('timers under the virtual clock fire at the same guest instruction on every run', (t) => {
  const exe = build('timers');
  const runs = [0, 1].map(() => runCaptured(createScheme('qemu-style'), { elf: exe, argv: [exe], envp: [], cwd: freshDir(), deterministicClock: true }));
  t.is(runs[0].status, 128 + 14);
  t.is(runs[0].stats.host_insns, runs[1].stats.host_insns);
  t.is(runs[0].stats.guest_insns, runs[1].stats.guest_insns);
  t.deepEqual(runs[0].stdout, runs[1].stdout);
});
