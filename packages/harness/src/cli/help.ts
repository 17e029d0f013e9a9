/** The help text, from the command and option tables: `dbtlab --help`, `dbtlab <cmd> --help`. */
import { COMMANDS, COMMAND_NAMES, optionsOf, type CommandName, type OptionSpec } from './cli-config';

function optionLine(o: OptionSpec): [string, string] {
  const names = [o.short ? `-${o.short}` : '', o.qemu ? `-${o.qemu}` : '', `--${o.name}`].filter(Boolean).join(', ');
  const notes = [
    o.choices ? `one of ${o.choices.join(', ')}` : '',
    o.default !== undefined ? `default: ${o.default}` : '',
    o.runtime ? `${o.runtime} only` : '',
    o.multiple ? 'repeatable' : '',
  ].filter(Boolean);
  return [`${names}${o.value ? ` ${o.value}` : ''}`, `${o.description}${notes.length ? ` (${notes.join('; ')})` : ''}`];
}

function columns(rows: [string, string][], indent: string): string[] {
  const w = Math.max(...rows.map((r) => r[0].length));
  return rows.map(([a, b]) => `${indent}${a.padEnd(w)}  ${b}`);
}

export function commandHelp(command: CommandName): string {
  const c = COMMANDS[command];
  return [
    `usage: dbtlab ${command} [options] ${c.operands}`,
    '',
    c.description,
    '',
    ...(c.details ?? []).flatMap((d) => [d, '']),
    'options:',
    ...columns([...optionsOf(command).map(optionLine), ['-h, --help', 'show this help']], '  '),
  ].join('\n');
}

export function helpText(): string {
  return [
    'usage: dbtlab <command> [options] ...',
    '',
    'commands:',
    ...columns(
      COMMAND_NAMES.map((n) => [n, COMMANDS[n].description]),
      '  ',
    ),
    '',
    'options: -h, --help (also after a command: dbtlab <command> --help); -V, --version',
    'exit status: the guest\'s (run); 2 for a usage error; 125 when dbtlab cannot run the guest.',
  ].join('\n');
}
