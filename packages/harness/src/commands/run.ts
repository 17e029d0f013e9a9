/**
 * dbtlab run: the program through one runtime, standing in for it in a pipeline. This is the
 * main thread's part (options checked, the worker started, signals relayed): it loads no
 * runtime; the guest's worker (run-thread.ts) loads them, once.
 */
import { fstatSync, readFileSync } from 'node:fs';
import { LOG_ITEMS } from '../cli/cli-config';
import { guestEnvironment } from '../cli/guest-environment';
import { checkRuntimeOptions, requireOperand, stringOption, UsageError, type ParsedArgs } from '../cli/parse-args';
import type { RuntimeName } from '../runtime-names';
import { runOnWorker } from '../run-worker';

/** Exit status when dbtlab itself cannot run the program to its end. */
export const EXIT_DBTLAB_ERROR = 125;
/** What a shell or env(1) exits with when execve says ENOENT (the program or its interpreter missing). */
export const EXIT_NOT_FOUND = 127;

/** -d ITEM,...: checked against LOG_ITEMS. */
export function logItems(args: ParsedArgs): Set<string> {
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

/** The runtime options checked against each other and the -d items: usage errors are thrown here, on the main thread. */
export function checkRunOptions(args: ParsedArgs, items: Set<string>): void {
  if (items.has('nochain') && args.options.chain) throw new UsageError('-d nochain and --chain contradict each other', 'run');
  checkRuntimeOptions(args, String(args.options.runtime) as RuntimeName);
}

/**
 * dbtlab run: the options are checked here, the guest runs on a worker thread (run-worker.ts)
 * while this thread relays the signals sent to dbtlab; a guest killed by a terminating
 * signal kills dbtlab with it, as QEMU does.
 */
export async function runCommand(args: ParsedArgs): Promise<number> {
  requireOperand(args);
  checkRunOptions(args, logItems(args));
  guestEnvironment(args, []);
  const stdio = [0, 1, 2].map((fd) => (closedAtStart(fd) ? -1 : fd));
  const env = Object.entries(process.env).map(([k, v]) => `${k}=${v ?? ''}`);
  const r = await runOnWorker({ args, stdio, env });
  if (r.signal !== undefined && RERAISE.has(r.signal)) process.kill(process.pid, r.signal);
  return r.exitStatus;
}

export interface RunOutcome {
  exitStatus: number;
  /** The signal that killed the guest, if one did. */
  signal?: number;
}

