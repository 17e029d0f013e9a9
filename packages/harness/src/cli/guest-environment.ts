/** The guest's environment from -U and -E (no runtime needed: `dbtlab run` checks it on its main thread). */
import { listOption, UsageError, type ParsedArgs } from './parse-args';

/** base, less the -U variables, plus the -E ones (QEMU's order: unset, then set). */
export function guestEnvironment(args: ParsedArgs, base: readonly string[]): string[] {
  const env = new Map(base.map((kv) => [kv.slice(0, kv.indexOf('=') < 0 ? kv.length : kv.indexOf('=')), kv]));
  for (const name of listOption(args, 'unset-env')) env.delete(name);
  for (const kv of listOption(args, 'set-env')) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new UsageError(`-E: expected VAR=VALUE, got '${kv}'`, args.command);
    env.set(kv.slice(0, eq), kv);
  }
  return [...env.values()];
}
