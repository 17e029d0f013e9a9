/**
 * The workload registry, as data: every guest program the experiments run, how to run it
 * (args, stdin) and what each runtime is expected to print relative to native execution.
 * Binaries are built by workloads/build.sh into workloads/build/; their expected outputs are
 * the native runs recorded by `build.sh --record` into workloads/ref/ (QEMU tests/tcg `.ref`
 * style): the oracle is the real CPU, never a hand-written string.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join, resolve } from 'node:path';

export type WorkloadKind = 'thin' | 'glibc' | 'smc';
export type WorkloadCategory = 'compute' | 'syscall' | 'smc';
export type RuntimeName = 'qemu-style' | 'x86tomips-style';

/** How one runtime's output relates to the native reference. */
export interface RuntimeExpectation {
  /** false: this runtime's stdout is expected to differ from the native reference. */
  matchesNative: boolean;
  /** Why, in the talk's terms. */
  why: string;
}

export interface Workload {
  name: string;
  /** thin: -nostdlib, int $0x80 only; glibc: static glibc; smc: -nostdlib, rewrites its code. */
  kind: WorkloadKind;
  category: WorkloadCategory;
  /** argv[1..] */
  args: readonly string[];
  /** Contents fed to stdin; absent means empty stdin. */
  stdin?: string;
  description: string;
  /** Per-runtime expectation where it differs from "output equals native". */
  expect?: Partial<Record<RuntimeName, RuntimeExpectation>>;
}

export interface RefOutput {
  stdout: Buffer;
  stderr: Buffer;
  /** Exit status, or 128 + signal number for a program killed by a signal (shell style). */
  status: number;
}

const WORKLOADS_DIR = resolve(__dirname, '..', 'workloads');
const BUILD_DIR = join(WORKLOADS_DIR, 'build');
const REF_DIR = join(WORKLOADS_DIR, 'ref');

const STALE_SYSCALL_WRITE: RuntimeExpectation = {
  matchesNative: false,
  why:
    'the system call runs inline inside the TB, so the instructions it rewrote in that TB ' +
    'were already translated and the stale host code goes on running (with the "system ' +
    'call ends the TB" ablation it matches native)',
};

/** stdin of stdin-wc: words split across its 37-byte reads, a blank line, no final newline. */
const STDIN_TEXT =
  'a dynamic binary translator runs guest code\n' +
  'one translation block at a time\n' +
  '\n' +
  '  qemu chains blocks;   x86tomips returns to the exec loop after each one\n' +
  'the end without a newline';

export const WORKLOADS: readonly Workload[] = [
  {
    name: 'loop',
    kind: 'thin',
    category: 'compute',
    args: [],
    description: 'counted loop of 400000 iterations summing integer expressions',
  },
  {
    name: 'calls',
    kind: 'thin',
    category: 'compute',
    args: [],
    description: 'recursive Fibonacci: calls and returns (indirect jumps via ret)',
  },
  {
    name: 'branches',
    kind: 'thin',
    category: 'compute',
    args: [],
    description: 'all 16 Jcc condition codes after cmp/add/test, plus jecxz and loop',
  },
  {
    name: 'memory',
    kind: 'thin',
    category: 'compute',
    args: [],
    description: '8/16/32-bit loads and stores, in-place byte reversal, checksums',
  },
  {
    name: 'syscalls',
    kind: 'thin',
    category: 'syscall',
    args: [],
    description: '2000 write system calls of one short line each',
  },
  {
    name: 'indirect',
    kind: 'thin',
    category: 'compute',
    args: [],
    description: 'calls through a function-pointer table and a switch jump table, 50000 times',
  },
  {
    name: 'string-ops',
    kind: 'thin',
    category: 'compute',
    args: [],
    description: 'rep movsb/movsl/stosb, repe cmpsb, repne scasb, lodsb, a backwards (std) copy',
  },
  {
    name: 'arith',
    kind: 'thin',
    category: 'compute',
    args: [],
    description:
      'mul/imul/div/idiv at 8/16/32 bits, adc/sbb, rcl/rcr, shld/shrd, bsf/bsr, bt*, cmov, bswap, xadd, cmpxchg, flags via pushf',
  },
  {
    name: 'segfault',
    kind: 'thin',
    category: 'compute',
    args: [],
    description: 'prints a line, then stores to address 0: killed by SIGSEGV (status 139)',
  },
  {
    name: 'smc-syscall-read',
    kind: 'smc',
    category: 'smc',
    args: [],
    description:
      'read() from a pipe rewrites the instruction right after its own int $0x80 (same block), twice',
    expect: { 'x86tomips-style': STALE_SYSCALL_WRITE },
  },
  {
    name: 'smc-syscall-other',
    kind: 'smc',
    category: 'smc',
    args: [],
    description:
      'control case: read() from a pipe rewrites a function translated earlier (not the running block), three times',
  },
  {
    name: 'smc-store',
    kind: 'smc',
    category: 'smc',
    args: [],
    description: 'a byte store rewrites the immediate of the next instruction of its own block',
  },
  {
    name: 'smc-jit',
    kind: 'smc',
    category: 'smc',
    args: [],
    description: 'mmap an RWX page, rewrite a small function in it 20 times, call it 10 times each',
  },
  {
    name: 'primes',
    kind: 'glibc',
    category: 'compute',
    args: [],
    description: 'sieve of Eratosthenes to 150000 and a bitwise CRC-32',
  },
  {
    name: 'strings',
    kind: 'glibc',
    category: 'compute',
    args: [],
    description: 'strtok, strcpy, strcat, strstr, qsort of words with strcmp, snprintf hashing',
  },
  {
    name: 'x87-math',
    kind: 'glibc',
    category: 'compute',
    args: [],
    description: 'libm on the x87 FPU: sin, cos, exp, log, sqrt, pow, atan2, long double series',
  },
  {
    name: 'qsort',
    kind: 'glibc',
    category: 'compute',
    args: [],
    description: 'qsort and bsearch of 8000 integers through a comparator (indirect calls)',
  },
  {
    name: 'int64',
    kind: 'glibc',
    category: 'compute',
    args: [],
    description: '64-bit multiply, divide, modulo and shifts on i386 (libgcc __divdi3 family)',
  },
  {
    name: 'file-io',
    kind: 'glibc',
    category: 'syscall',
    args: [],
    description: 'stdio to an unlinked mkstemp file: fprintf, rewind, fgets, fseek, fread',
  },
  {
    name: 'many-syscalls',
    kind: 'glibc',
    category: 'syscall',
    args: [],
    description: '300 rounds of getpid, getuid, dup, close, clock_gettime, sbrk and write',
  },
  {
    name: 'interp',
    kind: 'glibc',
    category: 'compute',
    args: [],
    description: 'bytecode interpreter with switch dispatch counting primes below 3000',
  },
  {
    name: 'printf-formats',
    kind: 'glibc',
    category: 'compute',
    args: [],
    description: 'printf over integer, string and floating-point conversions and flags',
  },
  {
    name: 'malloc-tree',
    kind: 'glibc',
    category: 'compute',
    args: [],
    description: 'malloc/free: a 4000-key binary search tree built, walked and freed twice',
  },
  {
    name: 'matrix',
    kind: 'glibc',
    category: 'compute',
    args: [],
    description: '48x48 integer matrix multiplies with transposes',
  },
  {
    name: 'setjmp',
    kind: 'glibc',
    category: 'compute',
    args: [],
    description: '2000 longjmp exits out of recursion of varying depth',
  },
  {
    name: 'stdin-wc',
    kind: 'glibc',
    category: 'syscall',
    args: [],
    stdin: STDIN_TEXT,
    description: 'wc of stdin read in 37-byte read() calls (lines, words, bytes)',
  },
  {
    name: 'args',
    kind: 'glibc',
    category: 'compute',
    args: ['7', '-3', '0x10', 'dbt', '', 'two words'],
    description: 'prints argv and sums the arguments that strtol parses',
  },
  {
    name: 'sha256',
    kind: 'glibc',
    category: 'compute',
    args: [],
    description: 'SHA-256 of "abc" (FIPS 180-4 test vector) and of 16 KiB',
  },
  {
    name: 'strtod',
    kind: 'glibc',
    category: 'compute',
    args: [],
    description: 'strtod of decimal, hex, subnormal, inf and nan literals, printed with %.17g and %a',
  },
  {
    name: 'dir-list',
    kind: 'glibc',
    category: 'syscall',
    args: [],
    description: 'mkdtemp, create 40 files, rename, readdir, stat, unlink, rmdir: file-system system calls',
  },
  {
    name: 'signals',
    kind: 'glibc',
    category: 'syscall',
    args: [],
    description: 'SIGUSR1 handler run by 100 raise() calls; SIGUSR2 blocked, pending, delivered on unblock with siginfo',
  },
  {
    name: 'exit-status',
    kind: 'glibc',
    category: 'syscall',
    args: [],
    description: 'prints to stdout and stderr, then exits with status 3 on purpose',
  },
];

const BY_NAME: ReadonlyMap<string, Workload> = new Map(WORKLOADS.map((w) => [w.name, w]));

export class UnknownWorkloadError extends Error {
  constructor(readonly workloadName: string) {
    super(`unknown workload '${workloadName}' (known: ${WORKLOADS.map((w) => w.name).join(', ')})`);
    this.name = 'UnknownWorkloadError';
  }
}

export class WorkloadNotBuiltError extends Error {
  constructor(
    readonly workloadName: string,
    readonly path: string,
  ) {
    super(`workload '${workloadName}' is not built: ${path} is missing (run packages/harness/workloads/build.sh)`);
    this.name = 'WorkloadNotBuiltError';
  }
}

export class MissingRefError extends Error {
  constructor(
    readonly workloadName: string,
    readonly path: string,
  ) {
    super(`no reference output for '${workloadName}': ${path} is missing (run packages/harness/workloads/build.sh --record)`);
    this.name = 'MissingRefError';
  }
}

export function getWorkload(name: string): Workload {
  const w = BY_NAME.get(name);
  if (!w) throw new UnknownWorkloadError(name);
  return w;
}

/** Path of the built i386 ELF (workloads/build/<name>); throws if unknown or not built. */
export function workloadPath(name: string): string {
  getWorkload(name);
  const path = join(BUILD_DIR, name);
  if (!existsSync(path)) throw new WorkloadNotBuiltError(name, path);
  return path;
}

/** The recorded native output (workloads/ref/<name>.{stdout,stderr,status}). */
export function refOutput(name: string): RefOutput {
  getWorkload(name);
  const file = (ext: string) => join(REF_DIR, `${name}.${ext}`);
  if (!existsSync(file('status'))) throw new MissingRefError(name, file('status'));
  return {
    stdout: readFileSync(file('stdout')),
    stderr: readFileSync(file('stderr')),
    status: Number(readFileSync(file('status'), 'utf8').trim()),
  };
}

/** Runs the workload on the real CPU (the oracle): empty environment, its args and stdin. */
export function runNative(name: string, timeoutMs = 60_000): RefOutput {
  const w = getWorkload(name);
  const r = spawnSync(workloadPath(name), [...w.args], {
    input: w.stdin ?? '',
    env: {},
    timeout: timeoutMs,
    maxBuffer: 64 << 20,
  });
  if (r.error) throw r.error;
  let status = r.status;
  if (status === null) {
    // the host's signal numbers: x86-64 and i386 Linux number the signals alike
    status = 128 + constants.signals[r.signal as NodeJS.Signals];
  }
  // through qemu-i386 (a kernel without ia32 emulation), QEMU itself reports a fatal signal on stderr
  const stderr = i386RunsNatively() ? r.stderr : Buffer.from(r.stderr.toString('latin1').replace(QEMU_FATAL_SIGNAL, ''), 'latin1');
  return { stdout: r.stdout, stderr, status };
}

const QEMU_FATAL_SIGNAL = /^qemu: uncaught target signal \d+ \([^)]*\) - core dumped\n/m;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { i386RunsNatively } = require(resolve(WORKLOADS_DIR, '..', '..', '..', 'tools', 'host-runs-i386.cjs')) as { i386RunsNatively: () => boolean };
