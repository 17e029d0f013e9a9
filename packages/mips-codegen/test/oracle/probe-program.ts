/**
 * What the oracle suites built on a C probe (a program that prints what the CPU and kernel did)
 * share: the CLI, both runtimes, a temporary directory per test file, the probe built with gcc
 * for one mode, and the probe run natively and through a runtime.
 */
import test from 'ava';
import { execFile, execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { linuxI386, runOnLinuxI386, NO_LINUX_I386 } = require('../../../../tools/linux-i386.cjs') as {
  linuxI386: () => 'native' | 'vm' | 'none';
  runOnLinuxI386: (cwd: string, argv: string[]) => { stdout: string; status: number };
  NO_LINUX_I386: string;
};

export { testTmpDir };
export const CLI = resolve(__dirname, '../../../harness/bin/dbtlab.js');
export const RUNTIMES = ['qemu-style', 'x86tomips-style'] as const;
export type Runtime = (typeof RUNTIMES)[number];

/** Builds test/oracle/SOURCE.c as DIR/SOURCE-BITS (gcc -mBITS -static, then `flags`); returns its path. */
export function buildProbe(dir: string, source: string, bits: 32 | 64, flags: string[] = ['-O0']): string {
  const out = join(dir, `${source}-${bits}`);
  execFileSync('gcc', [`-m${bits}`, '-static', ...flags, '-o', out, join(__dirname, `${source}.c`)]);
  return out;
}

/** The probe run natively: its stdout. */
export const runNative = (prog: string, args: string[] = []): string => execFileSync(prog, args, { encoding: 'latin1', maxBuffer: 1 << 30 });

/** `dbtlab run` arguments: the runtime, a CPU model unless the default, the program and its arguments. */
const runArgs = (runtime: string, prog: string, args: string[], cpu?: string): string[] => [CLI, 'run', '--runtime', runtime, ...(cpu ? ['--cpu', cpu] : []), prog, ...args];

/** The probe run through a runtime (throws when it does not exit 0): its stdout. */
export function runDbtlab(runtime: string, prog: string, args: string[] = [], cpu?: string): string {
  return execFileSync('node', runArgs(runtime, prog, args, cpu), { encoding: 'latin1', maxBuffer: 1 << 30 });
}

const execFileAsync = promisify(execFile);

/** runDbtlab without blocking the test process, for tests that run both runtimes at once. */
export async function runDbtlabAsync(runtime: string, prog: string, args: string[] = [], cpu?: string): Promise<string> {
  return (await execFileAsync('node', runArgs(runtime, prog, args, cpu), { encoding: 'latin1', maxBuffer: 1 << 30 })).stdout;
}

/**
 * One test per runtime: the i386 probe SOURCE (gcc -m32 -static -O1) run through it prints what Linux
 * i386 prints (natively or in the kernel VM), `lines` lines with the last newline; `cpu` a CPU model
 * when the probe needs more than the default (MMX/SSE/x87 operands: 'max').
 */
export function testI386Probe(source: string, what: string, lines: number, cpu?: string): void {
  const dir = testTmpDir(`${source}-`);
  const prog = buildProbe(dir, source, 32, ['-O1']);
  let expected: string | undefined;
  for (const runtime of RUNTIMES) {
    const title = `${what}: ${runtime} gives what Linux i386 gives`;
    if (linuxI386() === 'none') {
      test.skip(`${title} ${NO_LINUX_I386}`, () => {});
      continue;
    }
    test(title, (t) => {
      if (expected === undefined) {
        const r = runOnLinuxI386(dir, [`./${source}-32`]);
        t.is(r.status, 0);
        expected = r.stdout;
      }
      t.is(expected.split('\n').length, lines);
      t.is(runDbtlab(runtime, prog, [], cpu), expected);
    });
  }
}

/**
 * One test per runtime: the x86-64 probe SOURCE (gcc -m64 -static -O1) run through it prints what it
 * prints on this CPU natively, `lines` lines with the last newline; `cpu` as for testI386Probe.
 */
export function testX8664Probe(source: string, what: string, lines: number, cpu?: string): void {
  const dir = testTmpDir(`${source}-`);
  const prog = buildProbe(dir, source, 64, ['-O1']);
  let expected: string | undefined;
  for (const runtime of RUNTIMES)
    test(`${what} (x86-64): ${runtime} gives what the CPU gives natively`, (t) => {
      expected ??= runNative(prog);
      t.is(expected.split('\n').length, lines);
      t.is(runDbtlab(runtime, prog, [], cpu), expected);
    });
}
