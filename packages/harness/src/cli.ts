/**
 * The dbtlab command line: parse (cli/cli-config.ts holds every command and option as
 * data), dispatch to one command file, exit with its status. Errors are one line on stderr.
 */
import { writeSync } from 'node:fs';
import { helpText, parseArgs, UsageError, type CommandName, type ParsedArgs } from './cli/cli-config';
import { benchCommand } from './commands/bench';
import { compareCommand } from './commands/compare';
import { disasmCommand } from './commands/disasm';
import { experimentCommand } from './commands/experiment';
import { runCommand, EXIT_DBTLAB_ERROR } from './commands/run';
import { traceCommand } from './commands/trace';
import { describeError } from './errors';

const HANDLERS: Record<CommandName, (a: ParsedArgs) => number | Promise<number>> = {
  run: runCommand,
  compare: compareCommand,
  trace: traceCommand,
  disasm: disasmCommand,
  experiment: experimentCommand,
  bench: benchCommand,
};

export async function main(argv: string[]): Promise<void> {
  if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
    writeSync(argv.length === 0 ? 2 : 1, `${helpText()}\n`);
    process.exitCode = argv.length === 0 ? 2 : 0;
    return;
  }
  try {
    const args = parseArgs(argv);
    process.exitCode = await HANDLERS[args.command](args);
  } catch (e) {
    if (e instanceof UsageError) {
      writeSync(2, `dbtlab: ${e.message}\n${helpText()}\n`);
      process.exitCode = 2;
    } else {
      writeSync(2, `dbtlab: ${describeError(e)}\n`);
      process.exitCode = EXIT_DBTLAB_ERROR;
    }
  }
}
