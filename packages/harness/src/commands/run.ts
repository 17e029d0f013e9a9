/** dbtlab run: the program through one runtime, standing in for it in a pipeline. */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { constants } from 'node:os';
import { LOG_ITEMS } from '../cli/cli-config';
import { cpuOption, guestEnvironment, schemeOf, sysrootOption } from '../cli/guest-options';
import { requireOperand, stringOption, UsageError, type ParsedArgs } from '../cli/parse-args';
import { qemuLogSink, type QemuLogItem } from '../qemu-log';
import { runGuest } from '../run-guest';
import { statsRecord } from '../stats-record';

/** Exit status when dbtlab itself cannot run the program to its end. */
export const EXIT_DBTLAB_ERROR = 125;
/** What a shell or env(1) exits with when execve says ENOENT (the program or its interpreter missing). */
export const EXIT_NOT_FOUND = 127;

export function hostEnvironment(): string[] {
  return Object.entries(process.env).map(([k, v]) => `${k}=${v ?? ''}`);
}

export function warnLine(message: string): void {
  writeSync(2, `dbtlab: ${message}\n`);
}

/** -d ITEM,...: checked against LOG_ITEMS. */
function logItems(args: ParsedArgs): Set<string> {
  const items = new Set((stringOption(args, 'log-items') ?? '').split(',').filter(Boolean));
  for (const i of items) if (!(LOG_ITEMS as readonly string[]).includes(i)) throw new UsageError(`-d: unknown log item '${i}' (${LOG_ITEMS.join(', ')})`, 'run');
  return items;
}

export function runCommand(args: ParsedArgs): number {
  const elf = requireOperand(args);
  const guestArgs = args.positionals.slice(1);
  const items = logItems(args);
  if (items.has('nochain') && args.options.chain) throw new UsageError('-d nochain and --chain contradict each other', 'run');
  // QEMU's -d nochain: no TB chaining; x86tomips-style chains only with --chain anyway
  const scheme = schemeOf(args, items.has('nochain') && args.options.runtime === 'qemu-style' ? { noChain: true } : {});
  const env = guestEnvironment(args, hostEnvironment());
  const logFile = stringOption(args, 'log');
  const logFd = logFile !== undefined ? openSync(logFile, 'w') : 2;
  // a -d exec log has a line per TB entered: to a file in 64 KiB pieces, not a system call
  // each; to stderr at once, in order with what the guest writes there
  let pending: string[] = [];
  let pendingChars = 0;
  const flush = () => {
    if (pending.length) writeSync(logFd, pending.join(''));
    pending = [];
    pendingChars = 0;
  };
  const log = (text: string) => {
    pending.push(text);
    pendingChars += text.length;
    if (logFd === 2 || pendingChars > 65536) flush();
  };
  const strace = !!args.options.strace || items.has('strace');
  const qemuItems = new Set([...items].filter((i): i is QemuLogItem => i === 'in_asm' || i === 'exec'));
  try {
    const r = runGuest(scheme, {
      elf,
      argv: [elf, ...guestArgs],
      envp: env,
      sysroot: sysrootOption(args),
      cpu: cpuOption(args),
      deterministicClock: !!args.options['deterministic-clock'],
      strace: strace ? (line) => log(`${line}\n`) : undefined,
      onEvent: qemuItems.size ? qemuLogSink(qemuItems, log) : undefined,
      logUnimp: items.has('unimp') ? (line) => log(`${line}\n`) : undefined,
    });
    if (r.error) warnLine(r.error);
    const statsFile = stringOption(args, 'stats-json');
    // the guest's status is decided: a failure to write the statistics is reported, not substituted
    if (statsFile !== undefined) {
      try {
        writeFileSync(statsFile, `${JSON.stringify(statsRecord(r.stats, scheme, elf), null, 2)}\n`);
      } catch (e) {
        warnLine(`--stats-json: ${(e as Error).message}`);
      }
    }
    return r.status ?? (r.execErrno === constants.errno.ENOENT ? EXIT_NOT_FOUND : EXIT_DBTLAB_ERROR);
  } finally {
    flush();
    if (logFd > 2) closeSync(logFd);
  }
}
