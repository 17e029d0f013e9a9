/**
 * The dbtlab command line: parse (cli/cli-config.ts holds every command and option as
 * data, cli/parse-args.ts reads argv with node:util's parseArgs), dispatch to one command
 * file, exit with its status. Usage errors: one line, status 2; dbtlab unable to run the
 * guest: one line, status 125.
 */
import { writeSync } from 'node:fs';
import type { CommandName } from './cli/cli-config';
import { commandHelp, helpText } from './cli/help';
import { parseArgs, UsageError, type ParsedArgs } from './cli/parse-args';
import { runCommand, EXIT_DBTLAB_ERROR } from './commands/run';
import { DBTLAB_VERSION } from './version';

/** Exit status of a command-line mistake (as getopt programs, GNU and BSD alike). */
export const EXIT_USAGE = 2;

type Handler = (a: ParsedArgs) => number | Promise<number>;

/**
 * Each command's module, loaded when that command runs: experiment, report and bench bring
 * ajv, yaml, vega and benchmark.js, about half a second of loading `dbtlab run` need not pay.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- on demand: import() would load them as ES modules */
const HANDLERS: Record<CommandName, () => Handler> = {
  run: () => runCommand,
  compare: () => (require('./commands/compare') as typeof import('./commands/compare')).compareCommand,
  trace: () => (require('./commands/trace') as typeof import('./commands/trace')).traceCommand,
  disasm: () => (require('./commands/disasm') as typeof import('./commands/disasm')).disasmCommand,
  experiment: () => (require('./commands/experiment') as typeof import('./commands/experiment')).experimentCommand,
  report: () => (require('./commands/report') as typeof import('./commands/report')).reportCommand,
  bench: () => (require('./commands/bench') as typeof import('./commands/bench')).benchCommand,
};
/* eslint-enable @typescript-eslint/no-require-imports */

export async function main(argv: string[]): Promise<void> {
  const first = argv[0];
  if (first === '--version' || first === '-V') {
    writeSync(1, `dbtlab ${DBTLAB_VERSION}\n`);
    return;
  }
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? argv[1] : undefined;
    let text = helpText();
    if (topic !== undefined) {
      try {
        text = commandHelp(parseArgs([topic, '--help']).command);
      } catch {
        // an unknown topic: the general help
      }
    }
    writeSync(first === undefined ? 2 : 1, `${text}\n`);
    process.exitCode = first === undefined ? EXIT_USAGE : 0;
    return;
  }
  try {
    const args = parseArgs(argv);
    if (args.help) {
      writeSync(1, `${commandHelp(args.command)}\n`);
      return;
    }
    process.exitCode = await HANDLERS[args.command]()(args);
  } catch (e) {
    if (e instanceof UsageError) {
      const where = e.command ? `dbtlab ${e.command}` : 'dbtlab';
      writeSync(2, `${where}: ${e.message} (see '${where} --help')\n`);
      process.exitCode = EXIT_USAGE;
    } else {
      // errors.ts knows every package's error classes: loaded only when one is to be described
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { describeError } = require('./errors') as typeof import('./errors');
      writeSync(2, `dbtlab: ${describeError(e)}\n`);
      process.exitCode = EXIT_DBTLAB_ERROR;
    }
  }
}
