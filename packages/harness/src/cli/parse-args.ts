/**
 * argv -> command, options, operands, with node:util's parseArgs (strict: unknown options,
 * missing values and booleans given a value are errors). For the commands that run a guest,
 * options end at the first operand (or `--`): what follows is the guest's argv, untouched,
 * as with qemu-user; elsewhere options and operands mix freely.
 */
import { parseArgs as nodeParseArgs, type ParseArgsConfig } from 'node:util';
import { COMMAND_NAMES, COMMANDS, optionsOf, type CommandName, type OptionSpec } from './cli-config';

/** A mistake in the command line: one line on stderr, exit status 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly command?: CommandName,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export type OptionValue = string | boolean | string[];

export interface ParsedArgs {
  command: CommandName;
  options: Record<string, OptionValue | undefined>;
  /** Everything from the first operand on, untouched (the ELF and the guest's arguments). */
  positionals: string[];
  help?: boolean;
}

const isCommand = (c: string): c is CommandName => (COMMAND_NAMES as readonly string[]).includes(c);

/** Index of the first operand: options before it, guest argv from it on. */
function optionsEnd(argv: readonly string[], specs: readonly OptionSpec[]): number {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--' || a === '-' || !a.startsWith('-')) return i;
    const takesValue = (s: OptionSpec | undefined) => s?.type === 'string';
    if (a.startsWith('--')) {
      if (!a.includes('=') && takesValue(specs.find((s) => s.name === a.slice(2)))) i++;
    } else if (a.length === 2 && takesValue(specs.find((s) => s.short === a[1]))) i++;
  }
  return argv.length;
}

/** QEMU's single-dash long options (-strace, -cpu) to their --name. */
const normalise = (a: string, specs: readonly OptionSpec[]): string => {
  const spec = specs.find((s) => s.qemu !== undefined && a === `-${s.qemu}`);
  return spec ? `--${spec.name}` : a;
};

/** node's messages name the option; ours are one line and add the command. */
function usageFromNode(e: Error & { code?: string }, command: CommandName): UsageError {
  const m = /^(Unknown option '[^']*'|Option '[^']*' argument missing|Option '[^']*' does not take an argument)/.exec(e.message);
  const text = m ? m[1].replace(/^Unknown/, 'unknown').replace(/^Option/, 'option') : e.message.split('\n')[0];
  return new UsageError(`${text} for '${command}'`, command);
}

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const [command, ...rest] = argv;
  if (!command) throw new UsageError('no command');
  if (!isCommand(command)) throw new UsageError(`unknown command '${command}' (${COMMAND_NAMES.join(', ')})`);
  const specs = [...optionsOf(command)];
  const end = COMMANDS[command].guestArgv ? optionsEnd(rest.map((a) => normalise(a, specs)), specs) : rest.length;
  const optionArgs = rest.slice(0, end).map((a) => normalise(a, specs));
  if (optionArgs.includes('--help') || optionArgs.includes('-h')) return { command, options: {}, positionals: [], help: true };
  const config: ParseArgsConfig['options'] = {};
  for (const s of specs) config[s.name] = { type: s.type, multiple: !!s.multiple, ...(s.short ? { short: s.short } : {}) };
  let values: ParsedArgs['options'];
  let operands: string[] = [];
  try {
    const parsed = nodeParseArgs({ args: optionArgs, options: config, strict: true, allowPositionals: !COMMANDS[command].guestArgv });
    values = parsed.values as ParsedArgs['options'];
    operands = parsed.positionals;
  } catch (e) {
    if (!String((e as { code?: string }).code).startsWith('ERR_PARSE_ARGS')) throw e;
    throw usageFromNode(e as Error, command);
  }
  for (const s of specs) {
    const v = values[s.name];
    if (v === undefined) {
      if (s.default !== undefined && !/^[<$]/.test(s.default)) values[s.name] = s.default;
      continue;
    }
    if (s.choices && !s.choices.includes(String(v))) throw new UsageError(`--${s.name}: '${String(v)}' is not one of ${s.choices.join(', ')}`, command);
    if (s.integer && !/^[1-9][0-9]*$/.test(String(v))) throw new UsageError(`--${s.name}: expected a positive integer, got '${String(v)}'`, command);
  }
  const positionals = [...operands, ...rest.slice(end)];
  if (COMMANDS[command].guestArgv && positionals[0] === '--') positionals.shift();
  return { command, options: values, positionals };
}

/** The runtime-specific options given, checked against the runtime that will run. */
export function checkRuntimeOptions(args: ParsedArgs, runtime: string): void {
  for (const s of optionsOf(args.command))
    if (s.runtime && s.runtime !== runtime && args.options[s.name])
      throw new UsageError(`--${s.name} applies to ${s.runtime} only, not ${runtime}`, args.command);
}

/** A string option's value, if given. */
export const stringOption = (args: ParsedArgs, name: string): string | undefined => {
  const v = args.options[name];
  return typeof v === 'string' ? v : undefined;
};

/** A repeatable option's values (empty if not given). */
export const listOption = (args: ParsedArgs, name: string): string[] => {
  const v = args.options[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
};

/** The operands a command needs: a usage error naming them if absent. */
export function requireOperand(args: ParsedArgs): string {
  const first = args.positionals[0];
  if (first === undefined) throw new UsageError(`missing ${COMMANDS[args.command].operands.split(' ')[0]}`, args.command);
  return first;
}
