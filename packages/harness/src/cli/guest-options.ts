/**
 * What the guest-running commands (run, compare, trace) share: the runtime and its
 * ablations checked against each other, the guest's environment after -U/-E, the sysroot
 * (-L) and the CPU model (-cpu), each with its environment variable as the default.
 */
import type { RuntimeScheme } from '@dbtlab/dbt-core';
import { createScheme, type Ablations, type RuntimeName } from '../runtimes';
import { checkRuntimeOptions, stringOption, UsageError, type ParsedArgs } from './parse-args';
import { SYSROOT_ENV } from '@dbtlab/linux-user';
import { CPU_MODEL_NAMES } from '@dbtlab/x86-semantics';

export { guestEnvironment } from './guest-environment';

export function ablationsOf(args: ParsedArgs): Ablations {
  return { noChain: !!args.options['no-chain'], syscallEndsTb: !!args.options['syscall-ends-tb'], chain: !!args.options.chain };
}

/** The scheme for --runtime with its ablations; an ablation of the other runtime is a usage error. */
export function schemeOf(args: ParsedArgs, extra: Ablations = {}): RuntimeScheme {
  const runtime = String(args.options.runtime) as RuntimeName;
  checkRuntimeOptions(args, runtime);
  return createScheme(runtime, { ...ablationsOf(args), ...extra });
}

/** The sysroot of a run: -L DIR, else $DBTLAB_LD_PREFIX (QEMU_LD_PREFIX), else none. */
export function sysrootOption(args: ParsedArgs): string | undefined {
  return stringOption(args, 'sysroot') ?? (process.env[SYSROOT_ENV] || undefined);
}

/**
 * The CPU model a command runs: --cpu, else $DBTLAB_CPU, else undefined (the default for the
 * guest's width: DEFAULT_CPU_MODEL, DEFAULT_CPU_MODEL_64); an unknown name is a usage error.
 */
export function cpuOption(args: ParsedArgs): string | undefined {
  const name = stringOption(args, 'cpu') ?? process.env.DBTLAB_CPU;
  if (name !== undefined && !CPU_MODEL_NAMES.includes(name)) throw new UsageError(`unknown CPU model '${name}' (known: ${CPU_MODEL_NAMES.join(', ')})`, args.command);
  return name;
}
