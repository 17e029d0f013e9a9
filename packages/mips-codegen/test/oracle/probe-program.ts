/**
 * What the oracle suites built on a C probe (a program that prints what the CPU and kernel did)
 * share: the CLI, both runtimes, a temporary directory per test file, the probe built with gcc
 * for one mode, and the probe run natively and through a runtime.
 */
import { execFile, execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { testTmpDir } = require('../../../../tools/test-tmpdir.cjs') as { testTmpDir: (prefix: string) => string };

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
