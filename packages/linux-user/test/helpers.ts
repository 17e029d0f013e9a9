/**
 * Test support: builds the C fixtures with gcc -m32 into a temporary directory, runs them
 * natively without address randomization (setarch -R) as the oracle, and drives a
 * LinuxProcess's system calls with a hand-set CpuState.
 */
import test, { type ExecutionContext } from 'ava';
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ENV_BASE, ENV_SIZE, GuestMemory, HostMemory, PROT_READ, PROT_WRITE } from '@dbtlab/mips-host';
import { CpuState, R_CS, R_DS, R_EAX, R_EBP, R_EBX, R_ECX, R_EDI, R_EDX, R_ES, R_ESI, R_SS } from '@dbtlab/x86-frontend';
import { LinuxProcess, ProcessOptions, SYSCALLS_I386, syscallName } from '../src';
import { USER32_CS, USER32_DS } from '../src/linuxload';
import { I386_SYSCALL_NAMES } from '../src/syscall-names';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

export const FIXTURES = join(__dirname, 'fixtures');

export function tmpDir(): string {
  return testTmpDir('linux-user-test-');
}

/** gcc -m32 <flags> fixtures/<name>.c -o dir/<out>; returns the output path. */
export function buildFixture(dir: string, name: string, flags: string[] = ['-static', '-O2'], out = name): string {
  const exe = join(dir, out);
  execFileSync('gcc', ['-m32', ...flags, join(FIXTURES, `${name}.c`), '-o', exe], { stdio: ['ignore', 'ignore', 'pipe'] });
  return exe;
}

/**
 * Whether i386 programs run on this kernel natively. On a kernel without ia32 emulation,
 * tools/i386-binfmt.sh hands them to qemu-i386 through binfmt_misc: process-level outputs are
 * still an oracle, but Linux's own i386 ABI (stack layout, signal frames, real strace lines) is not;
 * for those, tools/kernel-vm.sh boots a real Linux kernel (with ia32 emulation) over this machine's files.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { i386RunsNatively } = require('../../../tools/host-runs-i386.cjs') as { i386RunsNatively: () => boolean };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const linuxI386 = require('../../../tools/linux-i386.cjs') as {
  linuxI386: () => 'native' | 'vm' | 'none';
  NO_LINUX_I386: string;
  runOnLinuxI386: (cwd: string, argv: string[]) => { stdout: string; stderr: string; status: number };
};


/**
 * A test whose oracle is Linux's i386 ABI itself: run where the kernel runs i386 programs (this one,
 * or the kernel VM), reported as skipped (with the reason in its title) where neither is available.
 */
export function kernelAbiTest(title: string, impl: (t: ExecutionContext) => void | Promise<void>): void {
  if (linuxI386.linuxI386() === 'none') test.skip(`${title} ${linuxI386.NO_LINUX_I386}`, impl);
  else test(title, impl);
}

const nativeCommand = (argv: string[], env: string[], wrapper: string[]): string[] => ['setarch', '-R', 'env', '-i', ...env, ...wrapper, ...argv];

/**
 * Runs argv on this machine with ASLR off and exactly `env`, in `cwd`; returns stdout (whatever the
 * exit status). An i386 program runs on this kernel, or through qemu-i386 where it has no ia32 emulation.
 */
export function runNative(cwd: string, argv: string[], env: string[] = [], wrapper: string[] = []): string {
  const [file, ...args] = nativeCommand(argv, env, wrapper);
  const r = spawnSync(file, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) throw r.error;
  return r.stdout;
}

/**
 * runNative on a Linux kernel that executes i386 programs itself: this one, or the kernel VM (same
 * files, its own kernel). The oracle of every kernelAbiTest; `cwd` under /tmp (tmpDir()).
 */
export function runOnLinuxI386(cwd: string, argv: string[], env: string[] = [], wrapper: string[] = []): string {
  return linuxI386.runOnLinuxI386(cwd, nativeCommand(argv, env, wrapper)).stdout;
}

export interface Harness {
  host: HostMemory;
  mem: GuestMemory;
  cpu: CpuState;
  proc: LinuxProcess;
  strace: string[];
  unknown: Array<[number, string]>;
}

/** A fresh process with a 64 KiB scratch area at SCRATCH (for argument buffers). */
export const SCRATCH = 0x20000000;
export function newProcess(opts: Partial<ProcessOptions> = {}): Harness {
  const host = new HostMemory();
  const mem = new GuestMemory(host);
  host.map(ENV_BASE, ENV_SIZE, PROT_READ | PROT_WRITE);
  const cpu = new CpuState(host, ENV_BASE);
  // the selectors execve gives an i386 process: sigreturn hands them to the CPU again
  for (const [seg, sel] of [[R_CS, USER32_CS], [R_SS, USER32_DS], [R_DS, USER32_DS], [R_ES, USER32_DS]]) cpu.setSegSelector(seg, sel);
  const strace: string[] = [];
  const unknown: Array<[number, string]> = [];
  const proc = new LinuxProcess(mem, cpu, {
    argv: ['prog'],
    envp: [],
    strace: (l) => strace.push(l),
    onUnknownSyscall: (nr, name) => unknown.push([nr, name]),
    ...opts,
  });
  mem.map(SCRATCH, 0x10000, PROT_READ | PROT_WRITE);
  return { host, mem, cpu, proc, strace, unknown };
}

export function nr(name: string): number {
  const row = SYSCALLS_I386.find((r) => r.name === name);
  const n = row ? row.nr : I386_SYSCALL_NAMES.indexOf(name);
  if (n < 0 || syscallName(n) !== name) throw new Error(`no syscall ${name}`);
  return n;
}

const ARG_REGS = [R_EBX, R_ECX, R_EDX, R_ESI, R_EDI, R_EBP];
/** int $0x80 with eax = nr(name) and the arguments in ebx..ebp; returns eax as a signed int. */
export function syscall(h: Harness, name: string, ...args: number[]): number {
  h.cpu.setReg(R_EAX, nr(name));
  ARG_REGS.forEach((r, i) => h.cpu.setReg(r, args[i] ?? 0));
  h.proc.doSyscall();
  return h.cpu.reg(R_EAX) | 0;
}

/** Writes a NUL-terminated string into guest memory, returns its address. */
export function putString(h: Harness, addr: number, s: string): number {
  h.mem.writeBytes(addr, Buffer.from(s + '\0'));
  return addr;
}
