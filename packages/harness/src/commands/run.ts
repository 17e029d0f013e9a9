/** dbtlab run: the program through one runtime, standing in for it in a pipeline. */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import type { ParsedArgs } from '../cli/cli-config';
import { UsageError } from '../cli/cli-config';
import { runGuest } from '../run-guest';
import { createScheme } from '../runtimes';

/** Exit status when dbtlab itself cannot run the program to its end. */
export const EXIT_DBTLAB_ERROR = 125;

export function hostEnvironment(): string[] {
  return Object.entries(process.env).map(([k, v]) => `${k}=${v ?? ''}`);
}

export function warnLine(message: string): void {
  writeSync(2, `dbtlab: ${message}\n`);
}

export function runCommand(args: ParsedArgs): number {
  const [elf, ...guestArgs] = args.positionals;
  if (!elf) throw new UsageError('run: missing <elf>');
  const scheme = createScheme(String(args.options.runtime ?? 'qemu-style'), {
    noChain: !!args.options['no-chain'],
    syscallEndsTb: !!args.options['syscall-ends-tb'],
    chain: !!args.options.chain,
  });
  const strace = args.options.strace;
  const straceFd = typeof strace === 'string' ? openSync(strace, 'w') : strace ? 2 : -1;
  try {
    const r = runGuest(scheme, {
      elf,
      argv: [elf, ...guestArgs],
      envp: hostEnvironment(),
      deterministicClock: !!args.options['deterministic-clock'],
      strace: straceFd >= 0 ? (line) => writeSync(straceFd, `${line}\n`) : undefined,
      warn: warnLine,
    });
    if (r.error) warnLine(r.error);
    const statsFile = args.options['stats-json'];
    if (typeof statsFile === 'string') writeFileSync(statsFile, `${JSON.stringify(r.stats, null, 2)}\n`);
    return r.status ?? EXIT_DBTLAB_ERROR;
  } finally {
    if (straceFd > 2) closeSync(straceFd);
  }
}
