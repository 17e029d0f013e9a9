/** dbtlab run: the program through one runtime, standing in for it in a pipeline. */
import { closeSync, fstatSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { constants } from 'node:os';
import { LOG_ITEMS } from '../cli/cli-config';
import { cpuOption, guestEnvironment, schemeOf, sysrootOption } from '../cli/guest-options';
import { requireOperand, stringOption, UsageError, type ParsedArgs } from '../cli/parse-args';
import { qemuLogSink, type QemuLogItem } from '../qemu-log';
import { runGuest } from '../run-guest';
import { runOnWorker } from '../run-worker';
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

/**
 * A standard descriptor dbtlab was started without: Node opens /dev/null read-write in its
 * place before any JavaScript runs, which a shell redirection never does (`<` is read-only,
 * `>` write-only). The guest must see the descriptor closed (EBADF), as a native run would.
 * (libuv's `stdio: 'ignore'` for fd 1 and 2 looks the same and is taken as closed too.)
 */
function closedAtStart(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    if (!st.isCharacterDevice() || st.rdev !== DEV_NULL_RDEV) return false;
    const flags = /flags:\s*(\d+)/.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'))?.[1];
    return flags !== undefined && (parseInt(flags, 8) & 3) === 2;
  } catch {
    return false;
  }
}
const DEV_NULL_RDEV = (1 << 8) | 3;

/** Signals whose default action only terminates and that Node leaves at their default: dbtlab dies of them as the guest did. */
const RERAISE = new Set([1, 2, 12, 14, 15, 26, 27, 29, 30]); // not SIGUSR1: Node's inspector listens to it

/** The scheme the options ask for; usage errors are thrown here, on the main thread. */
function runScheme(args: ParsedArgs, items: Set<string>) {
  if (items.has('nochain') && args.options.chain) throw new UsageError('-d nochain and --chain contradict each other', 'run');
  // QEMU's -d nochain: no TB chaining; x86tomips-style chains only with --chain anyway
  return schemeOf(args, items.has('nochain') && args.options.runtime === 'qemu-style' ? { noChain: true } : {});
}

/**
 * dbtlab run: the options are checked here, the guest runs on a worker thread (run-worker.ts)
 * while this thread relays the signals sent to dbtlab; a guest killed by a terminating
 * signal kills dbtlab with it, as QEMU does.
 */
export async function runCommand(args: ParsedArgs): Promise<number> {
  requireOperand(args);
  runScheme(args, logItems(args));
  guestEnvironment(args, []);
  const stdio = [0, 1, 2].map((fd) => (closedAtStart(fd) ? -1 : fd));
  const r = await runOnWorker({ args, stdio });
  if (r.signal !== undefined && RERAISE.has(r.signal)) process.kill(process.pid, r.signal);
  return r.exitStatus;
}

export interface RunOutcome {
  exitStatus: number;
  /** The signal that killed the guest, if one did. */
  signal?: number;
}

/** The run itself (on the worker thread): host fds for the guest's 0, 1, 2 (-1: closed), the host-signal cell. */
export function runInThisThread(args: ParsedArgs, stdio: number[], hostSignals?: Int32Array): RunOutcome {
  const elf = requireOperand(args);
  const guestArgs = args.positionals.slice(1);
  const items = logItems(args);
  const scheme = runScheme(args, items);
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
