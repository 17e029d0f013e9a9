/** `dbtlab run` on the guest's worker thread (run-worker.ts): the runtime, the run, its logs and statistics. */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { constants } from 'node:os';
import { cpuOption, guestEnvironment, schemeOf, sysrootOption } from '../cli/guest-options';
import { requireOperand, stringOption, type ParsedArgs } from '../cli/parse-args';
import { qemuLogSink, type QemuLogItem } from '../qemu-log';
import { runGuest } from '../run-guest';
import { statsRecord } from '../stats-record';
import { checkRunOptions, EXIT_DBTLAB_ERROR, EXIT_NOT_FOUND, logItems, type RunOutcome } from './run';

function warnLine(message: string): void {
  writeSync(2, `dbtlab: ${message}\n`);
}

/** The scheme the options ask for. */
function runScheme(args: ParsedArgs, items: Set<string>) {
  checkRunOptions(args, items);
  // QEMU's -d nochain: no TB chaining; x86tomips-style chains only with --chain anyway
  return schemeOf(args, items.has('nochain') && args.options.runtime === 'qemu-style' ? { noChain: true } : {});
}

/**
 * The run itself (on the worker thread): host fds for the guest's 0, 1, 2 (-1: closed), dbtlab's
 * environment as the main thread read it, the host-signal cell.
 */
export function runInThisThread(args: ParsedArgs, stdio: number[], hostEnv: readonly string[], hostSignals?: Int32Array): RunOutcome {
  const elf = requireOperand(args);
  const guestArgs = args.positionals.slice(1);
  const items = logItems(args);
  const scheme = runScheme(args, items);
  const env = guestEnvironment(args, hostEnv);
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
      stdin: stdio[0],
      stdout: stdio[1],
      stderr: stdio[2],
      hostSignals,
    });
    if (r.error) warnLine(r.error);
    const statsFile = stringOption(args, 'stats-json');
    // the guest's status is decided: a failure to write the statistics is reported, not substituted
    if (statsFile !== undefined) {
      try {
        writeFileSync(statsFile, `${JSON.stringify({ ...statsRecord(r.stats, scheme, elf), processes: r.processes }, null, 2)}\n`);
      } catch (e) {
        warnLine(`--stats-json: ${(e as Error).message}`);
      }
    }
    return { exitStatus: r.status ?? (r.execErrno === constants.errno.ENOENT ? EXIT_NOT_FOUND : EXIT_DBTLAB_ERROR), signal: r.signal };
  } finally {
    flush();
    if (logFd > 2) closeSync(logFd);
  }
}
