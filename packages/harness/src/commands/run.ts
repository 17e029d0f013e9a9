/** dbtlab run: the program through one runtime, standing in for it in a pipeline. */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { constants } from 'node:os';
import type { ParsedArgs } from '../cli/cli-config';
import { cpuOption, sysrootOption, UsageError } from '../cli/cli-config';
import { runGuest } from '../run-guest';
import { createScheme } from '../runtimes';

/** Exit status when dbtlab itself cannot run the program to its end. */
export const EXIT_DBTLAB_ERROR = 125;
/** What a shell or env(1) exits with when execve says ENOENT (the program or its interpreter missing). */
export const EXIT_NOT_FOUND = 127;

/** QEMU's -d items dbtlab knows. */
const LOG_ITEMS = ['unimp'] as const;

export function hostEnvironment(): string[] {
  return Object.entries(process.env).map(([k, v]) => `${k}=${v ?? ''}`);
}

export function warnLine(message: string): void {
  writeSync(2, `dbtlab: ${message}\n`);
}

function logItems(value: string | boolean | undefined): Set<string> {
  const items = new Set(typeof value === 'string' ? value.split(',').filter((x) => x) : []);
  for (const i of items) if (!(LOG_ITEMS as readonly string[]).includes(i)) throw new UsageError(`-d: unknown log item '${i}' (known: ${LOG_ITEMS.join(', ')})`);
  return items;
}

export function runCommand(args: ParsedArgs): number {
  const [elf, ...guestArgs] = args.positionals;
  if (!elf) throw new UsageError('run: missing <elf>');
  const scheme = createScheme(String(args.options.runtime ?? 'qemu-style'), {
    noChain: !!args.options['no-chain'],
    syscallEndsTb: !!args.options['syscall-ends-tb'],
    chain: !!args.options.chain,
  });
  const items = logItems(args.options.d);
  const strace = args.options.strace;
  const straceFd = typeof strace === 'string' ? openSync(strace, 'w') : strace ? 2 : -1;
  // as QEMU's -D: the log goes to the file when one is given, else to stderr
  const logFile = args.options.log;
  const logFd = typeof logFile === 'string' ? openSync(logFile, 'w') : 2;
  try {
    const r = runGuest(scheme, {
      elf,
      argv: [elf, ...guestArgs],
      envp: hostEnvironment(),
      sysroot: sysrootOption(args),
      deterministicClock: !!args.options['deterministic-clock'],
      cpu: cpuOption(args),
      strace: straceFd >= 0 ? (line) => writeSync(straceFd, `${line}\n`) : undefined,
      logUnimp: items.has('unimp') ? (line) => writeSync(logFd, `${line}\n`) : undefined,
    });
    if (r.error) warnLine(r.error);
    const statsFile = args.options['stats-json'];
    // the guest's status is decided: a failure to write the statistics is reported, not substituted
    if (typeof statsFile === 'string') {
      try {
        writeFileSync(statsFile, `${JSON.stringify(r.stats, null, 2)}\n`);
      } catch (e) {
        warnLine(`--stats-json: ${(e as Error).message}`);
      }
    }
    return r.status ?? (r.execErrno === constants.errno.ENOENT ? EXIT_NOT_FOUND : EXIT_DBTLAB_ERROR);
  } finally {
    if (straceFd > 2) closeSync(straceFd);
    if (logFd > 2) closeSync(logFd);
  }
}
